/**
 * In-process decision cost, without HTTP: the decision service (registry lookup + lock facts +
 * engine, as the AuthZEN route calls it) and the engine alone (Engine.decideResource with the
 * facts already gathered). Timed per call with process.hrtime.bigint(); no decision cache exists
 * in Portcullis, so every call decides afresh (the role graph keeps its per-user role memo).
 */
import type { Portcullis } from '../portcullis.js';
import { resourceScope } from '../engine/scope.js';
import type { LockFact } from '../engine/engine.js';
import { locksOn } from '../domain/lock-facts.js';
import { PerformanceObserver } from 'node:perf_hooks';
import { summarize, type Summary } from './histogram.js';
import type { Question } from './requests.js';

export interface InProcessResult {
  readonly service: Summary;
  readonly engine: Summary;
  /** Server time for a batch of 50 evaluations, sequential as the route runs them. */
  readonly batch50: Summary;
  /**
   * Process CPU time per DecisionService.evaluate (mean): unlike wall-clock percentiles it does not
   * count time the process spent descheduled, so it holds up on a busy machine.
   */
  readonly serviceCpuUs: number;
  /** GC pauses during the timed DecisionService loop (they land in the tail percentiles). */
  readonly gc: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
}

function watchGc() {
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push(e.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    for (const e of observer.takeRecords()) pauses.push(e.duration);
    observer.disconnect();
    return { count: pauses.length, totalMs: pauses.reduce((a, b) => a + b, 0), maxMs: Math.max(0, ...pauses) };
  };
}

/** Checks every question against the oracle's answer; returns the ones that differ. */
export async function verifyInProcess(p: Portcullis, questions: readonly Question[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const q of questions) {
    const d = await p.context.services.decisions.evaluate({ subjectId: q.subject, action: q.action, resource: { type: q.type, id: q.id } });
    if (d.allowed !== q.expected) {
      wrong.push(`${q.subject} ${q.action} ${q.type}/${q.id}: engine ${d.allowed}, oracle ${q.expected} (${d.reason})`);
    }
  }
  return wrong;
}

export async function measureInProcess(p: Portcullis, questions: readonly Question[], rounds: number): Promise<InProcessResult> {
  const { decisions } = p.context.services;
  const { engine, stores } = p.context;
  const ask = (q: Question) => decisions.evaluate({ subjectId: q.subject, action: q.action, resource: { type: q.type, id: q.id } });
  for (const q of questions) await ask(q); // warm-up
  const service: number[] = [];
  const stopGc = watchGc();
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const t = process.hrtime.bigint();
      await ask(q);
      service.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const serviceCpuUs = (cpu.user + cpu.system) / service.length;
  await new Promise((resolve) => setImmediate(resolve)); // let the observer deliver
  const gc = stopGc();
  // Engine only: gather registry facts and locks first, then time decideResource alone.
  const prepared: Parameters<typeof engine.decideResource>[0][] = [];
  for (const q of questions) {
    const r = await stores.resources.get(q.type, q.id);
    const locks: readonly LockFact[] = await locksOn(stores, { type: q.type, id: q.id, properties: r?.attributes ?? {} });
    prepared.push({
      subjectId: q.subject,
      action: q.action,
      resource: { type: q.type, id: q.id, scope: resourceScope({ projectId: r?.projectId, domainId: r?.domainId }), owner: r?.owner, group: r?.group },
      locks,
    });
  }
  const engineUs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const pq of prepared) {
      const t = process.hrtime.bigint();
      engine.decideResource(pq);
      engineUs.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
  }
  const batch: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i + 50 <= questions.length; i += 50) {
      const t = process.hrtime.bigint();
      for (let j = i; j < i + 50; j++) await ask(questions[j]!);
      batch.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
  }
  return { service: summarize(service), engine: summarize(engineUs), batch50: summarize(batch), serviceCpuUs, gc };
}
