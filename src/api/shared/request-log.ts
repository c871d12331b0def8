/**
 * The request's logger: the app's logger bound to the request id (set by src/app.ts). Route
 * handlers log through it, and pass it to service methods that log (their `log` parameter), so
 * every line written for a request carries its `requestId`. (Explicit rather than through
 * AsyncLocalStorage, whose promise hooks cost ~15% CPU per request on Node 20.) The child logger
 * is made on first use (~1 µs): most requests write no line at the default level.
 */
import type { Context } from 'koa';
import type { Logger } from '../../telemetry/logger.js';

/** Gives the request its logger, made from `base` when something first asks for it. */
export function bindRequestLog(ctx: Context, base: Logger, requestId: string): void {
  let log: Logger | undefined;
  Object.defineProperty(ctx.state, 'log', {
    configurable: true,
    enumerable: true,
    get: () => (log ??= base.child({ requestId })),
  });
  ctx.state.logBase = base;
}

export function requestLog(ctx: Context): Logger {
  return ctx.state.log as Logger;
}

/** The request's logger when it would write at `level`, else undefined (nothing to bind). */
export function requestLogAt(ctx: Context, level: string): Logger | undefined {
  return (ctx.state.logBase as Logger | undefined)?.isLevelEnabled(level) === false ? undefined : requestLog(ctx);
}
