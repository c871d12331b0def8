/**
 * What the decision log and a shadow policy cost per decision, in process: Portcullis over the
 * bench's seeded dataset in three variants, each in a process of its own (so each pays for its own
 * garbage: a ring of kept records makes the collector copy and promote them), pinned like the
 * bench server: the decision log off (PORTCULLIS_DECISION_LOG_SIZE=0: nothing kept, what a
 * decision cost before the log existed, plus the id every answer carries), on (10,000 kept, the
 * default), and on with a shadow policy (the shipped policies again, so every answer agrees and
 * the shadow's whole cost shows). Timed as process CPU per DecisionService.evaluate (resource
 * decisions) and per Authorizer.check (an API permission check). The variants run in rotating
 * order, several rounds, so load on the machine hits all three alike; each figure is a median.
 */
import { spawn } from 'node:child_process';
import { DEFAULT_DECISION_LOG_SIZE } from '../store/decision-log-store.js';
import type { SizeName } from './dataset-types.js';
import { median } from './histogram.js';
import { benchProgram } from './server-process.js';

export interface VariantCost {
  /** CPU µs per resource decision (DecisionService.evaluate: registry, locks, engine, journal). */
  readonly decisionUs: number;
  /** CPU µs per permission check (Authorizer.check: engine, journal). */
  readonly permissionUs: number;
  /** Live heap after a full GC with the ring full of resource decisions (null without --expose-gc). */
  readonly heapBytes: number | null;
  /** The same with the ring full of permission checks. */
  readonly permissionHeapBytes: number | null;
}

export interface JournalCost {
  readonly rounds: number;
  readonly logOff: VariantCost;
  readonly logOn: VariantCost;
  readonly logOnShadow: VariantCost;
}

const VARIANTS = ['logOff', 'logOn', 'logOnShadow'] as const;
type Variant = (typeof VARIANTS)[number];

function runWorker(o: { size: SizeName; seed: number; variant: Variant; passes: number; core: number | null; tsx: boolean }): Promise<VariantCost> {
  const node = benchProgram('journal-worker', o.tsx);
  const argv = o.core === null ? node : ['taskset', '-c', String(o.core), ...node];
  const child = spawn(argv[0]!, argv.slice(1), {
    env: { ...process.env, BENCH_SIZE: o.size, BENCH_SEED: String(o.seed), JOURNAL_VARIANT: o.variant, JOURNAL_PASSES: String(o.passes) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`journal worker (${o.variant}) exited with code ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as VariantCost);
    });
  });
}

export async function measureJournalCost(o: { size: SizeName; seed: number; rounds: number; passes: number; core: number | null; tsx: boolean }): Promise<JournalCost> {
  const samples = Object.fromEntries(VARIANTS.map((v) => [v, [] as VariantCost[]])) as Record<Variant, VariantCost[]>;
  for (let r = 0; r < o.rounds; r++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const variant = VARIANTS[(i + r) % VARIANTS.length]!;
      samples[variant].push(await runWorker({ ...o, variant }));
    }
  }
  const cost = (v: Variant): VariantCost => ({
    decisionUs: median(samples[v].map((s) => s.decisionUs)),
    permissionUs: median(samples[v].map((s) => s.permissionUs)),
    heapBytes: medianOrNull(samples[v].map((s) => s.heapBytes)),
    permissionHeapBytes: medianOrNull(samples[v].map((s) => s.permissionHeapBytes)),
  });
  return { rounds: o.rounds, logOff: cost('logOff'), logOn: cost('logOn'), logOnShadow: cost('logOnShadow') };
}

/** How many records the logOn variants keep: the default log size. */
export const KEPT_RECORDS = DEFAULT_DECISION_LOG_SIZE;

const medianOrNull = (xs: readonly (number | null)[]): number | null => (xs.some((x) => x === null) ? null : median(xs as number[]));

/** Live heap bytes per kept record, of resource decisions or permission checks: (log on - log off) / records kept. */
export function bytesPerRecord(j: JournalCost, kind: 'resource' | 'permission' = 'resource'): number | null {
  const heap = (v: VariantCost) => (kind === 'resource' ? v.heapBytes : v.permissionHeapBytes);
  const on = heap(j.logOn);
  const off = heap(j.logOff);
  return on === null || off === null ? null : (on - off) / KEPT_RECORDS;
}

/** (with - without) / without. */
export const overhead = (withIt: number, without: number) => (withIt - without) / without;
