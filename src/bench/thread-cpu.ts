/**
 * CPU time of a process split into its main thread (JavaScript, and the GC work V8 does on it)
 * and every other thread (V8's platform workers: concurrent marking and sweeping, parallel
 * scavenging; libuv's pool), read from Linux's /proc/<pid>/task/<tid>/schedstat (nanoseconds on
 * the CPU). process.cpuUsage() adds the two up; this tells them apart. Undefined off Linux.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadCpu {
  readonly mainMs: number;
  readonly otherMs: number;
}

export function threadCpu(pid: number): ThreadCpu | undefined {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let mainMs = 0;
  let otherMs = 0;
  for (const tid of tids) {
    let ns: number;
    try {
      ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      continue; // the thread ended between the listing and the read
    }
    if (tid === String(pid)) mainMs += ns / 1e6;
    else otherMs += ns / 1e6;
  }
  return { mainMs, otherMs };
}
