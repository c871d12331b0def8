/** Prints the functions with the most self time in a V8 .cpuprofile (for the README's profile notes). */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { nodes: Node[]; samples: number[] };
const self = new Map<number, number>();
for (const s of profile.samples) self.set(s, (self.get(s) ?? 0) + 1);
const byFn = new Map<string, number>();
for (const node of profile.nodes) {
  const f = node.callFrame;
  const where = f.url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/');
  const key = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + (self.get(node.id) ?? 0));
}
const total = profile.samples.length;
const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 25));
for (const [key, count] of top) process.stdout.write(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${key}\n`);

// Inclusive time (the function and everything it calls) for the names given after the count.
const byId = new Map(profile.nodes.map((n) => [n.id, n] as const));
const inclusive = (id: number): number => (self.get(id) ?? 0) + (byId.get(id)!.children ?? []).reduce((s, c) => s + inclusive(c), 0);
const outermost = (name: string) => {
  // Sum over the outermost frames of that name only, so recursion is not counted twice.
  let sum = 0;
  const walk = (id: number, inside: boolean) => {
    const node = byId.get(id)!;
    const hit = !inside && node.callFrame.functionName === name;
    if (hit) sum += inclusive(id);
    for (const c of node.children ?? []) walk(c, inside || hit);
  };
  walk(profile.nodes[0]!.id, false);
  return sum;
};
for (const name of process.argv.slice(4)) {
  process.stdout.write(`inclusive ${((100 * outermost(name)) / total).toFixed(1).padStart(5)}%  ${name}\n`);
}
