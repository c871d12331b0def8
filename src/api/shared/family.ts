/**
 * An API family (Keystone, Manila, Traffic Ops, route locks, ManageIQ, Portcullis' own) is a set
 * of routes under one or more path prefixes with its own error envelope (docs/compatibility.md §6.1). The mount
 * gives every family the same pipeline: error mapping → JSON body parsing → routes → 404/405 in
 * the family's envelope. Families translate wire formats only; rules live in services.
 */
import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
// koa-compose is held at 4.1.0 (package.json): 4.2.0 flattens the list it is given with
// Array.prototype.concat, and @koa/router composes each request's matched layers anew, so every
// request paid ~2,000 instructions per middleware on its route (callgrind).
import compose from 'koa-compose';
import { AppError, isAppError, notFound } from '../../errors.js';
import { InvalidCursorError } from '../../store/cursor.js';
import { StoreUnavailableError } from '../../store/store-errors.js';
import type { Logger } from '../../telemetry/logger.js';
import { jsonBody, MAX_JSON_BYTES } from './json-body.js';
import { requestLog } from './request-log.js';

export interface ErrorEnvelope {
  /** Writes status, body (and any headers) for an error the family must report. */
  render(ctx: Context, status: number, message: string, err?: AppError): void;
}

export interface ApiFamily {
  /** Label for logs and metrics. */
  readonly name: string;
  /** Path prefixes the family answers under, e.g. ['/v3', '/identity/v3']. '' for the root. */
  readonly prefixes: readonly string[];
  readonly envelope: ErrorEnvelope;
  /** Runs first on every request under the family's prefixes, errors and unknown paths included. */
  readonly middleware?: readonly Middleware[];
  /** Registers routes (relative to the prefix) on a router; called once per prefix. */
  routes(router: Router, prefix: string): void;
  /** Messages for errors raised before a handler runs. */
  readonly messages?: {
    readonly malformedBody?: (detail: string) => string;
    /** A body over the size limit (413). */
    readonly tooLarge?: string;
    readonly notFound?: (ctx: Context) => string;
    readonly methodNotAllowed?: (ctx: Context) => string;
    readonly internal?: string;
    readonly unavailable?: string;
  };
}

/**
 * Serves every family at each of its prefixes from one middleware: a request goes to the first
 * mount, longest prefix first (so `/api/4.0` wins over `/api`), whose prefix its path is under, or
 * on to `next` when none is. One step a request whichever family answers: with a middleware per
 * mount, a request went through every mount sorted before its own (an async step and a composed
 * dispatch each; a route of a short prefix paid for ten).
 */
export function mountFamilies(families: readonly ApiFamily[], log: Logger): Middleware {
  const mounts = families
    .flatMap((family) => family.prefixes.map((prefix) => ({ family, prefix, under: `${prefix}/`, pipeline: familyPipeline(family, prefix, log) })))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return (ctx: Context, next: Next) => {
    const path = ctx.path;
    for (const m of mounts) {
      if (m.prefix === '' || path === m.prefix || path.startsWith(m.under)) {
        ctx.state.family = m.family.name;
        return m.pipeline(ctx, next);
      }
    }
    return next();
  };
}

/** One family at one prefix: error mapping, JSON body, its routes, then 404/405 in its envelope. */
function familyPipeline(family: ApiFamily, prefix: string, log: Logger): Middleware {
  const router = new Router(prefix ? { prefix } : {});
  family.routes(router, prefix);
  return compose([
    ...(family.middleware ?? []),
    errorMapper(family, log),
    jsonBody,
    router.routes() as unknown as Middleware,
    unmatched(family),
  ]);
}

/**
 * Runs when no route answered: 405 with Allow when the path exists for other methods, else 404,
 * both in the family's envelope.
 */
function unmatched(family: ApiFamily): Middleware {
  return async (ctx) => {
    if (ctx.status !== 404 || ctx.body != null) return;
    const layers = ((ctx as unknown as { matched?: { methods: string[] }[] }).matched ?? []).filter(
      (l) => l.methods.length > 0,
    );
    const allowed = [...new Set(layers.flatMap((l) => l.methods))];
    if (allowed.length) {
      ctx.set('Allow', allowed.join(', '));
      throw Object.assign(new Error('method not allowed'), { status: 405 });
    }
    throw notFound(family.messages?.notFound?.(ctx) ?? 'The resource could not be found.');
  };
}

function errorMapper(family: ApiFamily, log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, message, appError } = classify(family, ctx, err);
      if (status >= 500) {
        (requestLog(ctx) ?? log).error({ err, family: family.name }, 'request failed');
      }
      ctx.body = undefined;
      family.envelope.render(ctx, status, message, appError);
      ctx.status = status;
    }
  };
}

function classify(family: ApiFamily, ctx: Context, err: unknown) {
  if (isAppError(err)) return { status: err.status, message: err.message, appError: err };
  // A page token that does not decode, from whichever route passed it on: the caller's mistake.
  if (err instanceof InvalidCursorError) return { status: 400, message: 'The page token is not valid.', appError: undefined };
  if (err instanceof StoreUnavailableError) {
    return { status: 503, message: family.messages?.unavailable ?? 'Service Unavailable', appError: undefined };
  }
  const e = err as { status?: number; expose?: boolean; message?: string; type?: string };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.status === 405) {
      const msg = family.messages?.methodNotAllowed?.(ctx) ?? `The method ${ctx.method} is not allowed here.`;
      return { status: 405, message: msg, appError: undefined };
    }
    if (e.status === 413) {
      const message = family.messages?.tooLarge ?? `Request body larger than ${MAX_JSON_BYTES} bytes`;
      return { status: 413, message, appError: undefined };
    }
    const detail = e.message ?? 'invalid request body';
    const message = family.messages?.malformedBody?.(detail) ?? `Malformed request body: ${detail}`;
    return { status: e.status, message, appError: undefined };
  }
  return { status: 500, message: family.messages?.internal ?? 'Internal Server Error', appError: undefined };
}
