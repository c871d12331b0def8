/**
 * Profiling aid: live heap by part at a dataset size, as the bench server holds it. Builds the
 * dataset, seeds a memory store, starts Portcullis over it and lets the plain dataset go (as the
 * bench server does), then releases one part at a time and reports what each one retained (heap
 * used after a full GC, before and after). Run with
 *   node --expose-gc --import tsx src/bench/profile-memory.ts [S|M|L]
 */
import 'reflect-metadata';
import { createPortcullis } from '../portcullis.js';
import { loadConfig } from '../config/config.js';
import { createMemoryStores } from '../store/memory/memory-stores.js';
import type { SizeName } from './dataset-types.js';
import { generateDataset } from './dataset.js';
import { loadDataset } from './load-stores.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const size = (process.argv[2] ?? 'M') as SizeName;
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const base = heap();
const baseRss = process.memoryUsage().rss;
let ds: ReturnType<typeof generateDataset> | undefined = generateDataset(size);
const stores = createMemoryStores();
await loadDataset(ds, stores);
ds = undefined;
const config = loadConfig({ PORTCULLIS_POLICY_WATCH: 'false', LOG_LEVEL: 'warn', PORTCULLIS_ADMIN_TOKEN: 'profile-memory-token-0123456789' });
const portcullis = await createPortcullis(config, { stores, defaultMetrics: false });
const total = heap();
const rss = process.memoryUsage().rss;
process.stdout.write(
  `dataset ${size}: node and code ${mb(base)} heap (${mb(baseRss)} RSS); with the data ${mb(total)} heap (${mb(rss)} RSS), data ${mb(total - base)}\n`,
);

// Released in this order; each figure is what that part alone kept alive at that point.
const internals = (o: unknown) => o as Record<string, { clear?: () => void } & Record<string, unknown>>;
const parts: [string, () => void][] = [
  ['engine (enforcers, ~90 partitions)', () => void (internals(portcullis.context.engine).current = undefined as never)],
  ['role graph', () => portcullis.context.graph.clear()],
  ['resources store: indexes', () => {
    const r = internals(stores.resources);
    (r.sortedIds as unknown as Map<string, unknown>).clear();
    for (const index of r.indexes as unknown as { clear(): void }[]) index.clear();
  }],
  ['resources store: records', () => (internals(stores.resources).byType as unknown as Map<string, unknown>).clear()],
  ['grants store (records shared with the role graph)', () => {
    const byActor = internals(stores.grants).byActor as unknown as Record<string, Map<string, unknown>>;
    byActor.user!.clear();
    byActor.group!.clear();
  }],
  ['memberships store', () => {
    const m = internals(stores.directory.memberships);
    m.usersByGroup!.clear!();
    m.groupsByUser!.clear!();
    (internals(m.ids).copies as unknown as Map<string, string>).clear(); // a StringPool
  }],
  ['users and groups stores', () => {
    for (const store of [stores.directory.users, stores.directory.groups]) {
      const d = internals(store);
      for (const k of ['byId', 'byUniqueKey', 'byName']) (d[k] as { clear(): void }).clear();
    }
  }],
  ['projects store', () => {
    const p = internals(stores.directory.projects);
    for (const k of ['byId', 'byUniqueKey', 'byName']) (p[k] as { clear(): void }).clear();
  }],
  ['lock stores', () => {
    internals(stores.manilaLocks).locks!.clear!();
    internals(stores.manilaLocks).byResource!.clear!();
    internals(stores.cdnLocks).locks!.clear!();
    internals(stores.routeLocks).locks!.clear!();
  }],
];
let before = total;
for (const [name, release] of parts) {
  release();
  const after = heap();
  process.stdout.write(`  ${name.padEnd(36)} ${mb(before - after).padStart(9)}\n`);
  before = after;
}
process.stdout.write(`  ${'rest (app, services, shared)'.padEnd(36)} ${mb(before - base).padStart(9)}\n`);
await portcullis.close();
