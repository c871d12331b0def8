/**
 * AuthZEN search workloads: "who may delete resource R" (subject search) and "which resources of
 * type T may user U update" (resource search; AuthZEN's resource search is per type, so the
 * project filter docs/benchmarks.md mentions is not expressible). Each answer is checked against the oracle
 * (first page of 50, ids in code-point order), then that call and more sequential ones are timed
 * (the first, cold call shows in the max; the p50 is a server answering searches repeatedly).
 */
import type { Dataset } from './dataset-types.js';
import { summarize, type Summary } from './histogram.js';
import type { BenchClient } from './http-load.js';
import type { Oracle } from './oracle.js';

export interface SearchResult {
  readonly name: string;
  readonly latencyMs: Summary;
  readonly resultCount: number;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function measureSearch(client: BenchClient, ds: Dataset, oracle: Oracle, calls: number): Promise<{ results: SearchResult[]; wrong: string[] }> {
  const wrong: string[] = [];
  const userIds = ds.users.map((u) => u.id).sort(byCodePoint);
  const subjectCase = { type: 'vm', id: 'vm-feat-chain', action: 'delete' };
  const resourceCase = { subject: 'u-feat-chain', type: 'vm', action: 'update' };
  const expectSubjects = userIds.filter((u) => oracle.decide(u, subjectCase.action, subjectCase.type, subjectCase.id)).slice(0, 50);
  const vms = ds.resources.filter((r) => r.type === resourceCase.type).map((r) => r.id).sort(byCodePoint);
  const expectResources = vms.filter((id) => oracle.decide(resourceCase.subject, resourceCase.action, resourceCase.type, id)).slice(0, 50);

  const subjectBody = {
    subject: { type: 'user' },
    action: { name: subjectCase.action },
    resource: { type: subjectCase.type, id: subjectCase.id },
    page: { limit: 50 },
  };
  const resourceBody = {
    subject: { type: 'user', id: resourceCase.subject },
    action: { name: resourceCase.action },
    resource: { type: resourceCase.type },
    page: { limit: 50 },
  };
  const runs: [string, string, unknown, string[]][] = [
    [`subject search: who may ${subjectCase.action} ${subjectCase.type}/${subjectCase.id}`, '/access/v1/search/subject', subjectBody, expectSubjects],
    [`resource search: ${resourceCase.type}s ${resourceCase.subject} may ${resourceCase.action}`, '/access/v1/search/resource', resourceBody, expectResources],
  ];
  const results: SearchResult[] = [];
  for (const [name, path, body, expected] of runs) {
    const started = performance.now();
    const first = await client.call('POST', path, body);
    const ms: number[] = [performance.now() - started];
    const got = ((first.json?.results ?? []) as { id: string }[]).map((r) => r.id);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      wrong.push(`${name}: server [${got.slice(0, 5).join(', ')}...] (${got.length}), oracle [${expected.slice(0, 5).join(', ')}...] (${expected.length})`);
    }
    for (let i = 1; i < calls; i++) {
      const t = performance.now();
      await client.call('POST', path, body);
      ms.push(performance.now() - t);
    }
    results.push({ name, latencyMs: summarize(ms), resultCount: got.length });
  }
  return { results, wrong };
}
