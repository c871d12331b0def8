/**
 * Instructions per decision log record, in process, under callgrind: what the journal and the
 * memory ring cost per call on the inputs a dataset's Zipf evaluations give them.
 *
 * One Portcullis instance over a seeded memory store (as journal-worker.ts builds it) answers
 * 2,000 Zipf questions once (a resource decision and an `authzen:evaluate` permission check each,
 * as an evaluation over HTTP makes), and the arguments its journal is handed are captured. Then
 * each measured loop replays them, one JSON.parse reviver call a loop: callgrind collects inside
 * the reviver only (--toggle-collect) and dumps on entering the next (--dump-before; the pattern
 * also matches the internalizer's inner functions, whose dumps are tiny), so the dumps of more
 * than 100,000 instructions, then the final one, hold the loops in order:
 *
 *   valgrind --tool=callgrind --collect-atstart=no \
 *     --toggle-collect='v8::internal::JsonParseInternalizer::Internalize(*' \
 *     --dump-before='*JsonParseInternalizer*' \
 *     --callgrind-out-file=/tmp/ji.cg node .bench/dist/src/bench/journal-instructions.js
 *
 * The process prints the loops' order and the calls a loop. Subtract the `requestId` loop (a
 * server-made request id per evaluation, which every loop makes, as the server does, and the
 * loop's own overhead) and divide by the calls. Every loop runs warm (WARM_PASSES passes outside
 * the collected region first, so the code is optimized). Configured by BENCH_SIZE (M) and
 * JOURNAL_LOOPS (a comma-separated subset).
 */
import 'reflect-metadata';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import type { DecisionJournal } from '../domain/decision-journal.js';
import type { RoleGraph } from '../engine/role-graph.js';
import { createPortcullis } from '../portcullis.js';
import { newRequestId as newRequestIdString } from '../request-id.js';
import { decisionIdOfKey, newDecisionKeyAt } from '../store/decision-id.js';
import { DEFAULT_DECISION_LOG_SIZE } from '../store/decision-log-store.js';
import { MemoryDecisionLog } from '../store/memory/memory-decision-log.js';
import { createMemoryStores } from '../store/memory/memory-stores.js';
import { buildOracle, policyDir } from './build.js';
import type { SizeName } from './dataset-types.js';
import { DEFAULT_SEED } from './dataset.js';
import { loadDataset } from './load-stores.js';
import { makeQuestions } from './requests.js';

const ADMIN = { userId: 'admin', scope: { type: 'system' as const }, scopeKey: 'system', via: 'admin-token' as const };
const PASSES = 5;

const WARM_PASSES = 20;

/**
 * A server-made request id as the journal sees it, after the server's X-Request-Id header was set
 * with it (src/app.ts, first): Node checks a header value with this regular expression, which
 * copies a cons string flat (the ids were concatenations before, src/request-id.ts).
 */
const HEADER_CHARS = /[^\t\x20-\x7e\x80-\xff]/;
function newRequestId(): string {
  const id = newRequestIdString();
  HEADER_CHARS.test(id);
  return id;
}

type Journal = DecisionJournal;
type PermissionArgs = Parameters<Journal['permission']>;
type ResourceArgs = Parameters<Journal['resource']>;

async function main(): Promise<void> {
  const size = (process.env.BENCH_SIZE ?? 'M') as SizeName;
  const { ds, oracle } = buildOracle(size, DEFAULT_SEED);
  const questions = makeQuestions(ds, oracle, 2000, 'zipf', DEFAULT_SEED + 1);
  const stores = createMemoryStores({ decisionLogSize: 0 });
  await loadDataset(ds, stores);
  const ring = new MemoryDecisionLog(DEFAULT_DECISION_LOG_SIZE);
  const config = loadConfig(
    { PORTCULLIS_POLICY_WATCH: 'false', LOG_LEVEL: 'warn', PORTCULLIS_ADMIN_TOKEN: 'bench-journal-token-0123456789', PORTCULLIS_POLICY_DIR: policyDir() },
    path.dirname(policyDir()),
  );
  const p = await createPortcullis(config, { stores: { ...stores, decisionLog: ring }, log: pino({ level: 'warn' }), defaultMetrics: false });
  const { decisions, authorizer } = p.context.services;
  const journal = (decisions as unknown as { journal: Journal }).journal;

  // Capture what the journal and the ring are handed for one evaluation per question.
  const permissions: PermissionArgs[] = [];
  const resources: ResourceArgs[] = [];
  // Wrapped on the journal object, and set back to the class's own methods afterwards (deleted, the
  // object would be left in dictionary mode): no call site inside the journal or the ring ever
  // sees a wrapper, so their call feedback stays as the server's (one target).
  const { permission, resource } = journal;
  journal.permission = (...a: PermissionArgs) => (permissions.push(a), permission.apply(journal, a));
  journal.resource = (...a: ResourceArgs) => (resources.push(a), resource.apply(journal, a));
  for (const q of questions) {
    const requestId = newRequestId();
    authorizer.check({ ...ADMIN, requestId }, 'authzen:evaluate', { subject_id: q.subject }, undefined, 'subject_id'); // as mayAsk asks it
    await decisions.evaluate({ subjectId: q.subject, action: q.action, resource: { type: q.type, id: q.id }, requestId });
  }
  journal.permission = permission;
  journal.resource = resource;
  const n = questions.length;
  if (permissions.length !== n || resources.length !== n) throw new Error('capture: not one check and one decision per question');
  // What the journal hands the ring for them (decision-journal.ts; no shadow policy here).
  const graph = (journal as unknown as { deps: { graph: RoleGraph } }).deps.graph;
  const storePermissions = permissions.map(([q, d]) => [q, d, d.held ?? graph.held(q.userId, q.scope)] as const);
  const storeResources = resources.map(([q, d, meta]) => [q, d, d.held ?? graph.held(q.subjectId, q.resource.scope), meta] as const);
  /** A resource decision's meta with the request id and reading given (made per call, as the decision service makes it). */
  const metas = resources.map((a) => (requestId: string, at: number) => ({ requestId, registered: a[2].registered, sent: a[2].sent, stored: a[2].stored, log: a[2].log, at }));
  let sink = 0;
  const setLog = (on: boolean) => ((ring as { capacity: number }).capacity = on ? DEFAULT_DECISION_LOG_SIZE : 0);
  /**
   * What one evaluation does, per loop (the i-th captured arguments): every loop makes a fresh
   * server-made request id, as the server does per request, and reads performance.now(), as the
   * services do to time the engine's answer (the reading the journal takes its ids' time from),
   * so the `requestId` loop is the base.
   */
  const steps: Record<string, { on: boolean; step: (i: number) => void }> = {
    requestId: { on: true, step: () => void (sink += newRequestId().length + performance.now()) },
    appendPermission: {
      on: true,
      step: (i) => {
        const [q, d, held] = storePermissions[i]!;
        ring.appendPermission(undefined, newDecisionKeyAt(performance.now()), newRequestId(), q, d, held, undefined);
      },
    },
    appendResource: {
      on: true,
      step: (i) => {
        const [q, d, held, meta] = storeResources[i]!;
        const key = newDecisionKeyAt(performance.now());
        const stored = meta.sent === undefined ? meta.stored : undefined;
        ring.appendResource(decisionIdOfKey(key), key, newRequestId(), q, d, held, meta.registered, meta.sent, stored, undefined);
      },
    },
    journalPermission: { on: true, step: (i) => journal.permission(permissions[i]![0], permissions[i]![1], newRequestId(), performance.now()) },
    journalPermissionOff: { on: false, step: (i) => journal.permission(permissions[i]![0], permissions[i]![1], newRequestId(), performance.now()) },
    journalResource: { on: true, step: (i) => void (sink += journal.resource(resources[i]![0], resources[i]![1], metas[i]!(newRequestId(), performance.now())).length) },
    journalResourceOff: { on: false, step: (i) => void (sink += journal.resource(resources[i]![0], resources[i]![1], metas[i]!(newRequestId(), performance.now())).length) },
    decisionKey: { on: true, step: () => void (sink += newDecisionKeyAt(performance.now()) + newRequestId().length) },
    decisionId: { on: true, step: () => void (sink += decisionIdOfKey(newDecisionKeyAt(performance.now())).length + newRequestId().length) },
  };
  const only = process.env.JOURNAL_LOOPS?.split(',');
  const names = Object.keys(steps).filter((k) => !only || only.includes(k));
  /** One pass over the captured evaluations; the step is called, not inlined, in every loop alike. */
  const pass = (step: (i: number) => void) => {
    for (let i = 0; i < n; i++) step(i);
  };
  for (const name of names) {
    setLog(steps[name]!.on);
    for (let w = 0; w < WARM_PASSES; w++) pass(steps[name]!.step);
  }
  for (const name of names) {
    const { on, step } = steps[name]!;
    setLog(on);
    pass(step);
    JSON.parse('0', () => {
      for (let w = 0; w < PASSES; w++) pass(step);
      return 0;
    });
  }
  process.stdout.write(`${JSON.stringify({ loops: names, callsPerLoop: PASSES * n, sink: sink > 0 })}\n`);
  await p.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`journal instructions failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
