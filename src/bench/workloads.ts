/**
 * The HTTP workloads (docs/benchmarks.md "Workloads") and their correctness gate: every request the load
 * generator will send is first sent once and its answer compared with the oracle's; any
 * difference aborts the run before anything is timed.
 */
import type { BenchClient, LoadSpec } from './http-load.js';
import type { Oracle } from './oracle.js';
import { QUESTION_HEADER } from './bench-family.js';
import { evaluationBody, type Question } from './requests.js';

const EVAL = '/access/v1/evaluation';
const BATCH = '/access/v1/evaluations';

export function batches(questions: readonly Question[], size: number): Question[][] {
  const out: Question[][] = [];
  for (let i = 0; i + size <= questions.length; i += size) out.push(questions.slice(i, i + size));
  return out;
}

const batchBody = (qs: readonly Question[]) => ({ evaluations: qs.map(evaluationBody) });

/** Writes of the mixed workload: registry PUTs on resources no read touches. */
export function writeRequests(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    method: 'PUT',
    path: `/v1/resources/vm/vm-bench-write-${i}`,
    body: JSON.stringify({ project_id: 'p-0-4', domain_id: 'd-0', owner: `u-${i}` }),
  }));
}

/**
 * Gives the no-op its answers: the server decides every question once; the no-op then writes
 * question i's answer to a request whose X-Bench-Question is i (loadSpecs numbers the requests of
 * a workload from `firstIndex`, so pass the workloads' questions here in the same order).
 */
export async function setNoopAnswers(client: BenchClient, questions: readonly Question[]): Promise<void> {
  const { status, json } = await client.call('PUT', '/bench/noop', { evaluations: questions.map(evaluationBody) });
  if (status !== 200) throw new Error(`PUT /bench/noop answered ${status}: ${JSON.stringify(json)}`);
}

/**
 * The HTTP workloads over `questions`, whose first is question `firstIndex` of those the no-op was
 * given (setNoopAnswers): a single evaluation and the no-op carry the same X-Bench-Question.
 */
export function loadSpecs(questions: readonly Question[], firstIndex = 0): LoadSpec[] {
  const post = (path: string, body: unknown) => ({ method: 'POST', path, body: JSON.stringify(body) });
  const asking = (path: string) => questions.map((q, i) => ({ ...post(path, evaluationBody(q)), headers: { [QUESTION_HEADER]: String(firstIndex + i) } }));
  const single = asking(EVAL);
  const noop = asking('/bench/noop');
  const writes = writeRequests(Math.ceil(questions.length / 99));
  const mixed = single.flatMap((r, i) => (i % 99 === 98 ? [r, writes[Math.floor(i / 99)]!] : [r]));
  return [
    { name: 'no-op (physical limit)', connections: 32, requests: noop, decisionsPerRequest: 1, timedPath: '/bench/noop' },
    { name: 'single evaluation', connections: 1, requests: single, decisionsPerRequest: 1, timedPath: EVAL },
    { name: 'single evaluation', connections: 32, requests: single, decisionsPerRequest: 1, timedPath: EVAL },
    { name: 'batch of 10', connections: 8, requests: batches(questions, 10).map((b) => post(BATCH, batchBody(b))), decisionsPerRequest: 10, timedPath: BATCH },
    { name: 'batch of 50', connections: 8, requests: batches(questions, 50).map((b) => post(BATCH, batchBody(b))), decisionsPerRequest: 50, timedPath: BATCH },
    { name: 'mixed 99/1 reads/writes', connections: 32, requests: mixed, decisionsPerRequest: 1, timedPath: EVAL },
  ];
}

/** Sends every question (singly and in batches) and returns the answers that differ from the oracle. */
export async function verifyHttp(client: BenchClient, questions: readonly Question[]): Promise<string[]> {
  const wrong: string[] = [];
  const describe = (q: Question, got: unknown) => `${q.subject} ${q.action} ${q.type}/${q.id}: server ${String(got)}, oracle ${q.expected}`;
  let next = 0;
  const worker = async () => {
    while (next < questions.length) {
      const q = questions[next++]!;
      const { status, json } = await client.call('POST', EVAL, evaluationBody(q));
      if (status !== 200 || json.decision !== q.expected) wrong.push(describe(q, status === 200 ? json.decision : `HTTP ${status}`));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  for (const size of [10, 50]) {
    for (const b of batches(questions, size)) {
      const { status, json } = await client.call('POST', BATCH, batchBody(b));
      b.forEach((q, i) => {
        const got = status === 200 ? json.evaluations?.[i]?.decision : `HTTP ${status}`;
        if (got !== q.expected) wrong.push(`batch of ${size}: ${describe(q, got)}`);
      });
    }
  }
  return wrong;
}

/**
 * A write is visible to the very next decision: re-owns a resource and asks about its new owner.
 * Returns the time from the write's acknowledgement to a decision that reflects it, and any error.
 */
export async function verifyWriteVisibility(client: BenchClient, oracle: Oracle): Promise<{ ms: number; wrong: string[] }> {
  const wrong: string[] = [];
  let ms = 0;
  for (const owner of ['u-feat-owner', 'u-feat-sibling']) {
    const r = { type: 'vm', id: 'vm-bench-write-visibility', projectId: 'p-0-4', domainId: 'd-0', owner, group: null };
    const put = await client.call('PUT', `/v1/resources/vm/${r.id}`, { project_id: r.projectId, domain_id: r.domainId, owner });
    const acked = performance.now();
    oracle.putResource(r);
    for (const subject of ['u-feat-owner', 'u-feat-sibling']) {
      const expected = oracle.decide(subject, 'update', 'vm', r.id);
      const { json } = await client.call('POST', EVAL, evaluationBody({ subject, action: 'update', type: 'vm', id: r.id, expected }));
      if (subject === owner) ms = Math.max(ms, performance.now() - acked);
      if (put.status >= 300 || json.decision !== expected) wrong.push(`after PUT owner=${owner}: ${subject} update: server ${json.decision}, oracle ${expected}`);
    }
  }
  return { ms, wrong };
}
