/**
 * How much memory registered resources take in a replica's mirror (the README's "a million
 * resources" figure): `node --expose-gc --import tsx src/bench/resource-memory.ts [count]`.
 * Fills an empty mirror with `count` resources shaped like the benchmark's (type, id, project,
 * domain, owner; one in ten with a `cdn` attribute), as the change feed and the snapshot load do,
 * and reports heap and RSS growth after full garbage collections.
 */
import { emptyMirrors } from '../domain/read-model.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const count = Number(process.argv[2] ?? 1_000_000);
const settle = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage();
};

const before = settle();
const mirrors = emptyMirrors();
(globalThis as { keep?: unknown }).keep = mirrors; // alive until measured
const started = performance.now();
for (let i = 0; i < count; i++) {
  mirrors.resources.restore({
    type: i % 3 === 0 ? 'share' : 'vm',
    id: `r-${i.toString(36)}-${(i * 7919).toString(16)}`,
    projectId: `p-${i % 100}-${i % 50}`,
    domainId: `d-${i % 100}`,
    owner: i % 2 ? `u-${i % 20000}` : null,
    group: null,
    status: null,
    attributes: i % 10 === 0 ? { cdn: `cdn-${i % 40}` } : {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
}
const loadedMs = performance.now() - started;
const after = settle();
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
process.stdout.write(
  `${count.toLocaleString('en-US')} resources: heap +${mb(after.heapUsed - before.heapUsed)} ` +
    `(${Math.round((after.heapUsed - before.heapUsed) / count)} bytes each), RSS +${mb(after.rss - before.rss)}, ` +
    `filled in ${Math.round(loadedMs)} ms; node ${process.version}\n`,
);
