/**
 * What the decision log and a shadow policy cost per decision, in process: the log off
 * (PORTCULLIS_DECISION_LOG_SIZE=0: nothing kept, what a decision cost before the log existed, plus
 * the id every answer carries), on (10,000 kept, the default), and on with a shadow policy.
 *
 * Timed in one process (journal-worker.ts, pinned like the bench server) that holds the three
 * variants side by side (the log off and on in one instance, switched) and alternates short
 * timed windows between them in every order in turn, scavenging between
 * windows outside the clock so each variant pays for its own garbage; the cost is the median over
 * the rounds of each round's paired ratio. The worker's comment says why and what is left out.
 * Before, each variant ran in a process of its own and the figure was a ratio of medians over
 * four processes a variant: the spread between processes of one variant (±20-35%) was larger
 * than the effect. The heap the kept records retain is measured apart, one short process per
 * variant (log off, log on), since it needs each variant's heap alone.
 */
import { spawn } from 'node:child_process';
import { DEFAULT_DECISION_LOG_SIZE } from '../store/decision-log-store.js';
import type { SizeName } from './dataset-types.js';
import type { HeapResult, TimedResult, TimedVariant } from './journal-worker.js';
import { benchProgram } from './server-process.js';

export interface VariantCost extends TimedVariant {
  /** Live heap after a full GC with the ring full of resource decisions (the logOnShadow variant: not measured). */
  readonly heapBytes: number | null;
  /** The same with the ring full of permission checks. */
  readonly permissionHeapBytes: number | null;
}

export interface JournalCost {
  readonly rounds: number;
  readonly passes: number;
  readonly logOff: VariantCost;
  readonly logOn: VariantCost;
  readonly logOnShadow: VariantCost;
}

function runWorker<T>(o: { size: SizeName; seed: number; core: number | null; tsx: boolean; env: Record<string, string> }): Promise<T> {
  const node = benchProgram('journal-worker', o.tsx);
  const argv = o.core === null ? node : ['taskset', '-c', String(o.core), ...node];
  const child = spawn(argv[0]!, argv.slice(1), {
    env: { ...process.env, BENCH_SIZE: o.size, BENCH_SEED: String(o.seed), ...o.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`journal worker (${JSON.stringify(o.env)}) exited with code ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
    });
  });
}

/** `rounds` windows per variant and phase, each `passes` passes over 2,000 questions. */
export async function measureJournalCost(o: { size: SizeName; seed: number; rounds: number; passes: number; core: number | null; tsx: boolean }): Promise<JournalCost> {
  const timed = await runWorker<TimedResult>({ ...o, env: { JOURNAL_MODE: 'time', JOURNAL_ROUNDS: String(o.rounds), JOURNAL_PASSES: String(o.passes) } });
  const heap = (variant: 'logOff' | 'logOn') => runWorker<HeapResult>({ ...o, env: { JOURNAL_MODE: 'heap', JOURNAL_VARIANT: variant } });
  const off = await heap('logOff');
  const on = await heap('logOn');
  const v = timed.variants;
  return {
    rounds: timed.rounds,
    passes: timed.passes,
    logOff: { ...v.logOff, ...off },
    logOn: { ...v.logOn, ...on },
    logOnShadow: { ...v.logOnShadow, heapBytes: null, permissionHeapBytes: null },
  };
}

/** How many records the logOn variants keep: the default log size. */
export const KEPT_RECORDS = DEFAULT_DECISION_LOG_SIZE;

/** Live heap bytes per kept record, of resource decisions or permission checks: (log on - log off) / records kept. */
export function bytesPerRecord(j: JournalCost, kind: 'resource' | 'permission' = 'resource'): number | null {
  const heap = (v: VariantCost) => (kind === 'resource' ? v.heapBytes : v.permissionHeapBytes);
  const on = heap(j.logOn);
  const off = heap(j.logOff);
  return on === null || off === null ? null : (on - off) / KEPT_RECORDS;
}
