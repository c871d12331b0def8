/**
 * Prints where a V8 .cpuprofile spends its time (for the README's profile notes):
 *   npx tsx src/bench/profile-summary.ts <file.cpuprofile> [top] [--per <requests>] [name...]
 * The functions with the most self time, then the inclusive time (a function and everything it
 * calls) of each name given. Idle time is left out. With `--per N` (the requests the profile
 * covers, as src/bench/profile-http.ts names its files) times are µs per request, else percent.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const { values, positionals } = parseArgs({ options: { per: { type: 'string' } }, allowPositionals: true });
const [file, top = '25', ...names] = positionals;
const profile = JSON.parse(readFileSync(file!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n] as const));
// Self time per node from the sample intervals (µs); each sample's time is the gap after it.
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (byId.get(id)!.callFrame.functionName === '(idle)') return;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const per = values.per ? Number(values.per) : undefined;
const show = (us: number) => (per ? `${(us / per).toFixed(2).padStart(7)} µs` : `${((100 * us) / total).toFixed(1).padStart(5)}%`);

const byFn = new Map<string, number>();
for (const node of profile.nodes) {
  const f = node.callFrame;
  const where = f.url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/');
  const key = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + (self.get(node.id) ?? 0));
}
process.stdout.write(`total (not idle): ${show(total)}\n`);
for (const [key, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) process.stdout.write(`${show(us)}  ${key}\n`);

// Inclusive time over the outermost frames of each name only, so recursion is not counted twice.
const inclusive = (id: number): number => (self.get(id) ?? 0) + (byId.get(id)!.children ?? []).reduce((s, c) => s + inclusive(c), 0);
for (const name of names) {
  let sum = 0;
  const walk = (id: number, inside: boolean) => {
    const node = byId.get(id)!;
    const hit = !inside && node.callFrame.functionName === name;
    if (hit) sum += inclusive(id);
    for (const c of node.children ?? []) walk(c, inside || hit);
  };
  walk(profile.nodes[0]!.id, false);
  process.stdout.write(`inclusive ${show(sum)}  ${name}\n`);
}
