/**
 * The JSON body parser every family shares, with the two limits that keep hostile bodies from
 * reaching a handler: size (413) and nesting depth (400). Both errors carry an HTTP status, so the
 * family's error mapper renders them in its own envelope. The depth is measured without recursion,
 * and anything deeper than the limit never gets past this point, so no later recursive walk
 * (validation, structuredClone, JSON.stringify of a stored value) can overflow the stack.
 */
import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';

export const MAX_JSON_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 64;

const parse = bodyParser({
  enableTypes: ['json'],
  parsedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  jsonLimit: MAX_JSON_BYTES,
  // Accept a JSON body whatever the Content-Type claims; several stock clients omit it on DELETE, and curl -d sends form-urlencoded.
  extendTypes: { json: ['application/json', 'text/plain', 'application/*+json', 'application/x-www-form-urlencoded'] },
}) as unknown as Middleware;

export const jsonBody: Middleware = (ctx, next) =>
  parse(ctx, async () => {
    if (exceedsDepth(ctx.request.body, MAX_JSON_DEPTH)) {
      throw Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400, expose: true });
    }
    await next();
  });

/** True when arrays and objects nest deeper than `max` (`{}` is depth 1). Iterative. */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
