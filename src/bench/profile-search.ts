/**
 * Profiling aid: the bench's two searches in process at a dataset size, each timed against a
 * pass that evaluates every candidate (every directory user; every resource of the type) in the
 * same run, so the figures compare on a noisy machine. Answers are checked against the oracle.
 * Run with
 *   node --import tsx src/bench/profile-search.ts [S|M|L] [calls]
 */
import 'reflect-metadata';
import type { Portcullis } from '../portcullis.js';
import { buildOracle, buildPortcullis } from './build.js';
import type { SizeName } from './dataset-types.js';
import { summarize } from './histogram.js';

const size = (process.argv[2] ?? 'M') as SizeName;
const calls = Number(process.argv[3] ?? 9);
const { ds, oracle } = buildOracle(size);
const p: Portcullis = await buildPortcullis(ds, 'silent');
const { search, decisions, subjects } = p.context.services;
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function timed(name: string, run: () => Promise<string[]>, expected: string[]): Promise<void> {
  const ms: number[] = [];
  let got: string[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    got = await run();
    ms.push(performance.now() - t);
  }
  const s = summarize(ms);
  const same = JSON.stringify(got) === JSON.stringify(expected) ? 'equal to the oracle' : `DIFFERS from the oracle (${got.length} vs ${expected.length})`;
  process.stdout.write(`${name.padEnd(44)} p50 ${s.p50.toFixed(2).padStart(8)} ms, max ${s.max.toFixed(2).padStart(8)} ms (${calls} calls), ${got.length} results, ${same}\n`);
}

const users = ds.users.map((u) => u.id).sort(byCodePoint);
const resource = { type: 'vm', id: 'vm-feat-chain' };
const expectSubjects = users.filter((u) => oracle.decide(u, 'delete', resource.type, resource.id)).slice(0, 50);
const subjectBody = { subject: { type: 'user' }, action: { name: 'delete' }, resource };
await timed('subject search (narrowed)', async () => (await search.subjects(subjectBody, { limit: 50 }, subjectBody)).results, expectSubjects);
await timed('  every user evaluated', async () => {
  const found: string[] = [];
  for (const u of users) {
    if (found.length === 50) break;
    if ((await decisions.evaluate({ subjectId: u, action: 'delete', resource })).allowed) found.push(u);
  }
  return found;
}, expectSubjects);

const vms = ds.resources.filter((r) => r.type === 'vm').map((r) => r.id).sort(byCodePoint);
const expectResources = vms.filter((id) => oracle.decide('u-feat-chain', 'update', 'vm', id)).slice(0, 50);
const subject = await subjects.resolve({ type: 'user', id: 'u-feat-chain' });
const resourceBody = { subject, action: { name: 'update' }, resource: { type: 'vm' } };
await timed('resource search (narrowed)', async () => (await search.resources(resourceBody, { limit: 50 }, resourceBody)).results, expectResources);
await timed('  every vm evaluated', async () => {
  const found: string[] = [];
  for (const id of vms) {
    if (found.length === 50) break;
    if ((await decisions.evaluate({ subjectId: subject.userId, subject, action: 'update', resource: { type: 'vm', id } })).allowed) found.push(id);
  }
  return found;
}, expectResources);
await p.close();
