/**
 * The request's logger: the app's logger bound to the request id (set by src/app.ts). Route
 * handlers log through it, and pass it to service methods that log (their `log` parameter), so
 * every line written for a request carries its `requestId`. (Explicit rather than through
 * AsyncLocalStorage, whose promise hooks cost ~15% CPU per request on Node 20.) The child logger
 * is made on first use (~1 µs): most requests write no line at the default level.
 */
import type { Context } from 'koa';
import type { Logger, LogLevels } from '../../telemetry/logger.js';

/**
 * The request's logger, made on first use. A small object on `ctx.state` rather than a getter
 * defined there per request: `Object.defineProperty` with a fresh closure gave every request's
 * state a hidden class of its own, allocated in old space (~180 bytes of old-space garbage a
 * request, most of what a request left there for the next major GC).
 */
class RequestLogger {
  private made: Logger | undefined;

  constructor(
    readonly base: Logger,
    /** The base logger's levels, which the request's logger shares. */
    readonly levels: LogLevels,
    private readonly requestId: string,
  ) {}

  get log(): Logger {
    return (this.made ??= this.base.child({ requestId: this.requestId }));
  }
}

/** Gives the request its logger, made from `base` (whose levels are `levels`) when something first asks for it. */
export function bindRequestLog(ctx: Context, base: Logger, levels: LogLevels, requestId: string): void {
  ctx.state.requestLogger = new RequestLogger(base, levels, requestId);
}

const loggerOf = (ctx: Context) => ctx.state.requestLogger as RequestLogger | undefined;

export function requestLog(ctx: Context): Logger {
  return loggerOf(ctx)?.log as Logger;
}

/** The request's logger when it would write at `level`, else undefined (nothing to bind). */
export function requestLogAt(ctx: Context, level: 'info' | 'debug'): Logger | undefined {
  return loggerOf(ctx)?.levels[level] === false ? undefined : requestLog(ctx);
}
