/**
 * One run of the decision log cost measurement (journal-cost.ts), in a process of its own so each
 * variant pays for exactly its own garbage: builds the seeded dataset and the same Zipf questions
 * as the bench, starts Portcullis with the variant's decision log and shadow policy, warms up, and
 * prints one JSON line: CPU µs per resource decision and per permission check.
 * Configured by BENCH_SIZE, BENCH_SEED, JOURNAL_VARIANT (logOff | logOn | logOnShadow), JOURNAL_PASSES.
 */
import 'reflect-metadata';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { createPortcullis } from '../portcullis.js';
import { DEFAULT_DECISION_LOG_SIZE } from '../store/decision-log-store.js';
import { createMemoryStores } from '../store/memory/memory-stores.js';
import { buildOracle, policyDir } from './build.js';
import type { SizeName } from './dataset-types.js';
import { DEFAULT_SEED } from './dataset.js';
import { loadDataset } from './load-stores.js';
import { makeQuestions } from './requests.js';

async function main(): Promise<void> {
  const size = (process.env.BENCH_SIZE ?? 'S') as SizeName;
  const seed = Number(process.env.BENCH_SEED ?? DEFAULT_SEED);
  const variant = process.env.JOURNAL_VARIANT ?? 'logOn';
  const passes = Number(process.env.JOURNAL_PASSES ?? 10);
  const { ds, oracle } = buildOracle(size, seed);
  const questions = makeQuestions(ds, oracle, 2000, 'zipf', seed + 1);
  const stores = createMemoryStores({ decisionLogSize: variant === 'logOff' ? 0 : DEFAULT_DECISION_LOG_SIZE });
  await loadDataset(ds, stores);
  const config = loadConfig({
    PORTCULLIS_POLICY_WATCH: 'false',
    LOG_LEVEL: 'warn',
    PORTCULLIS_ADMIN_TOKEN: 'bench-journal-token-0123456789',
    PORTCULLIS_POLICY_DIR: policyDir(),
    ...(variant === 'logOnShadow' ? { PORTCULLIS_SHADOW_POLICY_DIR: policyDir() } : {}),
  }, path.dirname(policyDir()));
  const p = await createPortcullis(config, { stores, log: pino({ level: 'warn' }), defaultMetrics: false });
  (globalThis as { gc?: () => void }).gc?.(); // the dataset builder's garbage is not the log's
  const { decisions, authorizer } = p.context.services;
  const admin = { userId: 'admin', scope: { type: 'system' as const }, scopeKey: 'system', via: 'admin-token' as const };
  const decide = async () => {
    for (const q of questions) await decisions.evaluate({ subjectId: q.subject, action: q.action, resource: { type: q.type, id: q.id } });
  };
  const check = () => {
    for (const q of questions) authorizer.check(admin, 'authzen:evaluate', { subject_id: q.subject });
  };
  // Warm up until the ring is full (10,000 records), so the run pays the steady state.
  for (let i = 0; i < 6; i++) await decide();
  const cpu = (run: () => unknown) => async () => {
    const start = process.cpuUsage();
    for (let i = 0; i < passes; i++) await run();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / (passes * questions.length);
  };
  const decisionUs = await cpu(decide)();
  // What the kept records hold on to: the live heap with the ring full of resource decisions
  // (the variant without a log keeps none).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const heapBytes = gc ? process.memoryUsage().heapUsed : null;
  for (let i = 0; i < 3; i++) check();
  const permissionUs = await cpu(check)();
  // The same with the ring full of permission checks (26,000 made since).
  gc?.();
  gc?.();
  const permissionHeapBytes = gc ? process.memoryUsage().heapUsed : null;
  process.stdout.write(`${JSON.stringify({ variant, decisionUs, permissionUs, heapBytes, permissionHeapBytes })}\n`);
  await p.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`journal worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
