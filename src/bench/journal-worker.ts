/**
 * The decision log cost measurement's process (journal-cost.ts spawns it, pinned to one core).
 * Two modes, by JOURNAL_MODE:
 *
 * `time` (default): two Portcullis instances in this one process over one seeded memory store
 * (the registry, locks and directory are shared; each has its own role graph, engine, caches and
 * decision log). The first serves two variants: the log off and on (10,000 kept, the default),
 * switched between windows (switchLog: off, the ring's capacity is 0, so the journal keeps
 * nothing, as with PORTCULLIS_DECISION_LOG_SIZE=0). The second has the log on with a shadow policy (the shipped
 * policies again, so every answer agrees and the shadow's whole cost shows). Both are warmed up
 * until their rings are full. Then, per phase (resource decisions with DecisionService.evaluate,
 * then permission checks with Authorizer.check), rounds of one timed window per variant, so
 * whatever else loads the machine weighs on the three alike, a window apart. A window is
 * JOURNAL_PASSES passes over the same 2,000 Zipf questions, timed as process CPU (every thread:
 * V8's parallel scavenges count).
 *
 * Why the log off and on share an instance: two instances hold the same data at different
 * addresses, and that alone moved the figure. With a second log-off instance in place of the
 * shadow variant (dataset M, six runs each), it read +0.6 to +5.0% per resource decision against
 * the first, every run above zero. Why the rounds go through every order of the three in turn
 * (ORDERS), so each variant runs first, second and third, and right after each other variant,
 * equally often: a window pays for the cache state and the GC work the previous one leaves, and
 * with the order merely rotating (before) each variant always followed the same one; the second
 * log-off instance read -0.0 to -4.2% per permission check then, every run below zero, and -2.9
 * to +2.5% with every order.
 *
 * Each variant pays for its own garbage, and only its own: every window starts and ends with a
 * forced scavenge outside its clock, so it starts with an empty young generation and leaves
 * nothing young to the next window; the scavenges its own allocation triggers fall inside it. A
 * record that retained young objects would have them copied and promoted there, on the log's
 * clock; what survives a window's last scavenge (outside) is the one part not charged, so each
 * window's growth of the old generation is measured too and printed per call (`promotedBytes`)
 * beside the CPU: with the log on it is the log off's (~0: a record keeps only objects that were
 * long-lived already), with a shadow policy ~130 bytes a call. Major GCs run when V8 decides,
 * in whichever window; the median over the rounds keeps such a window from deciding the figure.
 * (A full GC before each round, to keep them out, left V8's concurrent sweeping running in the
 * next windows on the same pinned core and made every variant slower.)
 *
 * Each round gives one paired ratio per variant (its window against the log off's window of the
 * same round); the cost is the median of those ratios, so drift in the machine's load between
 * rounds cancels out and one disturbed window moves nothing.
 *
 * `heap`: one variant (JOURNAL_VARIANT) alone, nothing timed: the live heap after a full GC with
 * the ring full of resource decisions, then full of permission checks (logOn minus logOff is what
 * the kept records retain; variants in separate processes, each an instance of its own, so
 * nothing else differs).
 *
 * Configured by BENCH_SIZE, BENCH_SEED, JOURNAL_MODE, JOURNAL_VARIANT (heap), JOURNAL_ROUNDS and
 * JOURNAL_PASSES (time); prints one JSON line.
 */
import 'reflect-metadata';
import path from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { createPortcullis, type Portcullis } from '../portcullis.js';
import { DEFAULT_DECISION_LOG_SIZE, type DecisionLogStore } from '../store/decision-log-store.js';
import { MemoryDecisionLog } from '../store/memory/memory-decision-log.js';
import { createMemoryStores } from '../store/memory/memory-stores.js';
import type { Stores } from '../store/stores.js';
import { buildOracle, policyDir } from './build.js';
import type { SizeName } from './dataset-types.js';
import { DEFAULT_SEED } from './dataset.js';
import { median } from './histogram.js';
import { loadDataset } from './load-stores.js';
import { makeQuestions, type Question } from './requests.js';

const VARIANTS = ['logOff', 'logOn', 'logOnShadow'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Every order of the variants, one a round in turn. */
const ORDERS: readonly (readonly Variant[])[] = (function orders(rest: readonly Variant[]): Variant[][] {
  return rest.length <= 1 ? [[...rest]] : rest.flatMap((v) => orders(rest.filter((w) => w !== v)).map((o) => [v, ...o]));
})(VARIANTS);

/** What one variant measured in `time` mode: medians over the rounds. */
export interface TimedVariant {
  /** CPU µs per resource decision (DecisionService.evaluate: registry, locks, engine, journal). */
  readonly decisionUs: number;
  /** CPU µs per permission check (Authorizer.check: engine, journal). */
  readonly permissionUs: number;
  /** Old-space growth per resource decision / permission check (bytes): what the variant promotes. */
  readonly decisionPromotedBytes: number;
  readonly permissionPromotedBytes: number;
  /** Median over the rounds of (this window / the log off's window) - 1, per phase. */
  readonly decisionCost: number;
  readonly permissionCost: number;
}

export interface TimedResult {
  readonly rounds: number;
  readonly passes: number;
  readonly variants: Record<Variant, TimedVariant>;
}

export interface HeapResult {
  /** Live heap after a full GC with the ring full of resource decisions. */
  readonly heapBytes: number;
  /** The same with the ring full of permission checks. */
  readonly permissionHeapBytes: number;
}

type Gc = (options?: { type?: 'minor' | 'major'; execution?: 'sync' }) => void;
const gc = (globalThis as { gc?: Gc }).gc;

const ADMIN = { userId: 'admin', scope: { type: 'system' as const }, scopeKey: 'system', via: 'admin-token' as const };

interface Instance {
  readonly p: Portcullis;
  readonly decide: () => Promise<void>;
  readonly check: () => void;
}

/**
 * The log off and on in one instance: the ring's capacity set to 0 (the journal keeps nothing, as
 * with PORTCULLIS_DECISION_LOG_SIZE=0; the ring writes nothing either) or back to its own,
 * between windows. The journal calls the ring itself, as in a server: no wrapper between them.
 */
function switchLog(ring: MemoryDecisionLog, on: boolean): void {
  (ring as { capacity: number }).capacity = on ? DEFAULT_DECISION_LOG_SIZE : 0;
}

async function instance(variant: Variant, stores: Stores, questions: readonly Question[], decisionLog?: DecisionLogStore): Promise<Instance> {
  // The dataset is loaded once; each instance gets the shared store with a decision log of its own.
  const own: Stores = { ...stores, decisionLog: decisionLog ?? new MemoryDecisionLog(variant === 'logOff' ? 0 : DEFAULT_DECISION_LOG_SIZE) };
  const config = loadConfig(
    {
      PORTCULLIS_POLICY_WATCH: 'false',
      LOG_LEVEL: 'warn',
      PORTCULLIS_ADMIN_TOKEN: 'bench-journal-token-0123456789',
      PORTCULLIS_POLICY_DIR: policyDir(),
      ...(variant === 'logOnShadow' ? { PORTCULLIS_SHADOW_POLICY_DIR: policyDir() } : {}),
    },
    path.dirname(policyDir()),
  );
  const p = await createPortcullis(config, { stores: own, log: pino({ level: 'warn' }), defaultMetrics: false });
  const { decisions, authorizer } = p.context.services;
  return {
    p,
    decide: async () => {
      for (const q of questions) await decisions.evaluate({ subjectId: q.subject, action: q.action, resource: { type: q.type, id: q.id } });
    },
    check: () => {
      // As the AuthZEN routes ask it (authzen-routes.ts mayAsk: the target's one key named).
      for (const q of questions) authorizer.check(ADMIN, 'authzen:evaluate', { subject_id: q.subject }, undefined, 'subject_id');
    },
  };
}

const oldSpaceUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;

/**
 * One timed window: CPU µs and promoted bytes per call. Scavenges before and after it, outside the
 * clock: the window starts with an empty young generation and leaves none of its garbage to the next.
 */
async function window(run: () => unknown, passes: number, calls: number, gcNow: Gc): Promise<{ us: number; promoted: number }> {
  gcNow({ type: 'minor', execution: 'sync' });
  const old = oldSpaceUsed();
  const start = process.cpuUsage();
  for (let i = 0; i < passes; i++) await run();
  const used = process.cpuUsage(start);
  gcNow({ type: 'minor', execution: 'sync' });
  return { us: (used.user + used.system) / (passes * calls), promoted: (oldSpaceUsed() - old) / (passes * calls) };
}

async function timed(size: SizeName, seed: number, rounds: number, passes: number, gcNow: Gc): Promise<TimedResult> {
  const { ds, oracle } = buildOracle(size, seed);
  const questions = makeQuestions(ds, oracle, 2000, 'zipf', seed + 1);
  const stores = createMemoryStores({ decisionLogSize: 0 });
  await loadDataset(ds, stores);
  const ring = new MemoryDecisionLog(DEFAULT_DECISION_LOG_SIZE);
  const both = await instance('logOn', stores, questions, ring);
  const instances: Record<Variant, Instance> = { logOff: both, logOn: both, logOnShadow: await instance('logOnShadow', stores, questions) };
  // Warm up until every ring is full (10,000 records) and the code is optimized for all three.
  for (let i = 0; i < 6; i++) {
    for (const v of VARIANTS) {
      switchLog(ring, v !== 'logOff');
      await instances[v].decide();
    }
  }
  const phase = async (run: (x: Instance) => unknown) => {
    const samples = Object.fromEntries(VARIANTS.map((v) => [v, [] as { us: number; promoted: number }[]])) as Record<Variant, { us: number; promoted: number }[]>;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < VARIANTS.length; i++) {
        const v = ORDERS[r % ORDERS.length]![i]!;
        const x = instances[v];
        switchLog(ring, v !== 'logOff');
        samples[v].push(await window(() => run(x), passes, questions.length, gcNow));
      }
    }
    return samples;
  };
  const decisions = await phase((x) => x.decide());
  for (let i = 0; i < 3; i++) {
    for (const v of VARIANTS) {
      switchLog(ring, v !== 'logOff');
      instances[v].check(); // warm up: 6,000 checks a ring
    }
  }
  const checks = await phase((x) => x.check());
  const variants = {} as Record<Variant, TimedVariant>;
  const paired = (s: Record<Variant, { us: number }[]>, v: Variant) => median(s[v].map((w, r) => w.us / s.logOff[r]!.us - 1));
  for (const v of VARIANTS) {
    variants[v] = {
      decisionUs: median(decisions[v].map((w) => w.us)),
      permissionUs: median(checks[v].map((w) => w.us)),
      decisionPromotedBytes: median(decisions[v].map((w) => w.promoted)),
      permissionPromotedBytes: median(checks[v].map((w) => w.promoted)),
      decisionCost: paired(decisions, v),
      permissionCost: paired(checks, v),
    };
  }
  await both.p.close();
  await instances.logOnShadow.p.close();
  return { rounds, passes, variants };
}

async function heap(size: SizeName, seed: number, variant: Variant, gcNow: Gc): Promise<HeapResult> {
  const { ds, oracle } = buildOracle(size, seed);
  const questions = makeQuestions(ds, oracle, 2000, 'zipf', seed + 1);
  const stores = createMemoryStores({ decisionLogSize: 0 });
  await loadDataset(ds, stores);
  const x = await instance(variant, stores, questions);
  for (let i = 0; i < 6; i++) await x.decide(); // 12,000 resource decisions: the ring is full of them
  gcNow();
  gcNow();
  const heapBytes = process.memoryUsage().heapUsed;
  for (let i = 0; i < 6; i++) x.check();
  gcNow();
  gcNow();
  const permissionHeapBytes = process.memoryUsage().heapUsed;
  await x.p.close();
  return { heapBytes, permissionHeapBytes };
}

async function main(): Promise<void> {
  if (!gc) throw new Error('run with node --expose-gc');
  const size = (process.env.BENCH_SIZE ?? 'S') as SizeName;
  const seed = Number(process.env.BENCH_SEED ?? DEFAULT_SEED);
  const result =
    process.env.JOURNAL_MODE === 'heap'
      ? await heap(size, seed, (process.env.JOURNAL_VARIANT ?? 'logOn') as Variant, gc)
      : await timed(size, seed, Number(process.env.JOURNAL_ROUNDS ?? 30), Number(process.env.JOURNAL_PASSES ?? 2), gc);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`journal worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
