/**
 * The request's logger: the app's logger bound to the request id (set by src/app.ts). Route
 * handlers log through it, and pass it to service methods that log (their `log` parameter), so
 * every line written for a request carries its `requestId`. (Explicit rather than through
 * AsyncLocalStorage, whose promise hooks cost ~15% CPU per request on Node 20.)
 */
import type { Context } from 'koa';
import type { Logger } from '../../telemetry/logger.js';

export function requestLog(ctx: Context): Logger {
  return ctx.state.log as Logger;
}
