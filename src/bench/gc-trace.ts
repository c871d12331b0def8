/**
 * Sums V8's `--trace-gc-nvp` lines (one per collection, `name=value` pairs, written to stdout)
 * over a measurement window: how many bytes were allocated and promoted to old space, and how
 * long collections paused the main thread or kept V8's helper threads busy, by kind
 * (`s` scavenge, `mc` mark-compact, `ms` ...).
 */
export interface GcWindow {
  /** Collections by kind. */
  readonly count: Record<string, number>;
  /** Main-thread pause by kind, ms. */
  readonly pauseMs: Record<string, number>;
  /** Work reported as `background.*` (helper threads), ms. */
  backgroundMs: number;
  allocatedBytes: number;
  promotedBytes: number;
  /** Survivors copied within new space. */
  survivedBytes: number;
}

export function emptyGcWindow(): GcWindow {
  return { count: {}, pauseMs: {}, backgroundMs: 0, allocatedBytes: 0, promotedBytes: 0, survivedBytes: 0 };
}

/** Adds one trace line to the window; false when the line is not a `--trace-gc-nvp` line. */
export function addGcLine(w: GcWindow, line: string): boolean {
  const kind = /\bgc=(\w+)/.exec(line)?.[1];
  if (!kind) return false;
  const field = (name: string) => Number(new RegExp(`\\b${name.replace('.', '\\.')}=([\\d.]+)`).exec(line)?.[1] ?? 0);
  w.count[kind] = (w.count[kind] ?? 0) + 1;
  w.pauseMs[kind] = (w.pauseMs[kind] ?? 0) + field('pause');
  for (const m of line.matchAll(/\bbackground\.[\w.]+=([\d.]+)/g)) w.backgroundMs += Number(m[1]);
  w.allocatedBytes += field('allocated');
  w.promotedBytes += field('promoted');
  w.survivedBytes += field('new_space_survived');
  return true;
}

/** One line per window, per request: `alloc 12.3 KB, promoted 1.2 KB, pause s 4.1 µs (n 12) mc ...`. */
export function describeGcWindow(w: GcWindow, requests: number): string {
  const kb = (b: number) => `${(b / requests / 1024).toFixed(1)} KB`;
  const pauses = Object.keys(w.count)
    .map((k) => `${k} ${((w.pauseMs[k]! * 1000) / requests).toFixed(1)} µs (${w.count[k]})`)
    .join(', ');
  return (
    `alloc ${kb(w.allocatedBytes)}, survived ${kb(w.survivedBytes)}, promoted ${kb(w.promotedBytes)} a request; ` +
    `pause ${pauses || 'none'}; helpers ${((w.backgroundMs * 1000) / requests).toFixed(1)} µs`
  );
}
