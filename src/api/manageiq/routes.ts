/**
 * The ManageIQ routes under `/api[/vX.Y]`: `GET` of the entry point, a collection or a resource
 * (read-routes.ts), and `POST /api[/vX.Y]/{collection}[/{id}]` with `{"action": "set_ownership", ...}`
 * (docs/compatibility.md §5). POST's check order follows upstream: collection → action name →
 * product feature (Casbin) → response format → request data → per-target checks. Hrefs in
 * results use the request's own prefix.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import type { OwnershipService } from '../../domain/ownership/ownership-service.js';
import { badRequest, forbidden } from '../../errors.js';
import { miqCollection, ownershipPermission, type MiqCollection } from './collections.js';
import { miqError, renderMiqError } from './envelope.js';
import { bulkItems, DIGITS, isObject, singleData } from './request.js';
import { actionResult, invalidIdMessage, singleRequestError, type ActionResult } from './results.js';
import { baseUrl } from '../shared/base-url.js';
import { requestLog } from '../shared/request-log.js';
import { readRoutes } from './read-routes.js';

const VERSION = /^v\d+(\.\d+)*$/;

/** Where a request points: `/api` or `/api/v4.4.0` as requested, then a collection and an id. */
export interface MiqPath {
  readonly prefix: string;
  readonly collection?: MiqCollection;
  readonly id?: string;
}

interface Target extends MiqPath {
  readonly collection: MiqCollection;
}

/** Splits the path after the mount prefix into version, collection and id; 404 otherwise. */
function parsePath(ctx: Context, mount: string): MiqPath {
  const parts = Object.values(ctx.params as Record<string, string>);
  const version = parts[0] !== undefined && VERSION.test(parts[0]) ? parts.shift() : undefined;
  const [name, id, extra] = parts;
  const collection = name === undefined ? undefined : miqCollection(name);
  if (name !== undefined && !collection) {
    throw miqError('not_found', `Unsupported Collection ${name} specified`, 'Api::NotFoundError');
  }
  if (extra !== undefined) throw miqError('not_found', `Invalid request ${ctx.path}`, 'Api::NotFoundError');
  return { prefix: version ? `${mount}/${version}` : mount, ...(collection ? { collection } : {}), ...(id !== undefined ? { id } : {}) };
}

export function ownershipRoutes(router: Router, mount: string, app: AppContext, ownership: OwnershipService): void {
  const { authorizer } = app.services;

  const reads = readRoutes(app, ownership);

  const handle = async (ctx: Context) => {
    const path = parsePath(ctx, mount);
    if (ctx.method === 'GET') return reads.get(ctx, path, await groupFacts(ctx));
    // The entry point answers GET only; upstream routes nothing else there.
    if (!path.collection) throw miqError('not_found', `Invalid request ${ctx.path}`, 'Api::NotFoundError');
    if (ctx.method !== 'POST') {
      renderMiqError(ctx, 405, `Unsupported HTTP Method ${ctx.method.toLowerCase()} for the ${path.collection.name} ${path.id ? 'resource' : 'collection'} specified`);
      return;
    }
    await setOwnership(ctx, { ...path, collection: path.collection });
  };

  /** `miq_group:<id>` when X-MIQ-Group names a group the caller belongs to (§7 Q-7). */
  const groupFacts = async (ctx: Context): Promise<string[]> => {
    const selected = ctx.get('X-MIQ-Group');
    const group = selected ? await ownership.currentGroup(principal(ctx).userId, decodeGroupHeader(selected)) : undefined;
    return group && !/[,\n]/.test(group.id) ? [`miq_group:${group.id}`] : [];
  };

  const setOwnership = async (ctx: Context, t: Target) => {
    const body = ctx.request.body;
    if (!isObject(body)) throw badRequest('The request body must be a JSON object');
    const kind = t.id !== undefined ? 'resource' : 'collection';
    const action = body.action ?? 'create'; // upstream: a POST without action is "create"
    if (action !== 'set_ownership') throw badRequest(`Unsupported Action ${String(action)} for the ${t.collection.name} ${kind} specified`);

    const caller = principal(ctx);
    const decision = authorizer.check(
      caller,
      ownershipPermission(t.collection),
      { collection: t.collection.name, id: t.id ?? '' },
      await groupFacts(ctx),
    );
    if (!decision.allowed) throw forbidden('Use of Action set_ownership is forbidden', { reason: decision.reason });

    const accept = ctx.get('Accept');
    if (accept && !accept.includes('json') && !accept.includes('*/*')) {
      renderMiqError(ctx, 415, `Invalid Response Format ${accept} requested`);
      return;
    }
    const base = `${baseUrl(ctx, app.config)}${t.prefix}/${t.collection.name}`;
    if (t.id !== undefined) await single(ctx, t.collection, t.id, body, `${base}/${t.id}`, caller.userId);
    else await bulk(ctx, t.collection, body, base, caller.userId);
  };

  const single = async (ctx: Context, c: MiqCollection, id: string, body: Record<string, unknown>, href: string, callerId: string) => {
    const data = singleData(body);
    if (!DIGITS.test(id)) throw badRequest(invalidIdMessage(c, id));
    const outcome = await ownership.setOwnership(callerId, c.name, id, await ownership.resolve(data), requestLog(ctx));
    const error = singleRequestError(c, id, outcome);
    if (error) throw error;
    const result = actionResult(c, id, href, outcome);
    ctx.status = result.success ? 200 : 400; // a single failed action result is sent with 400
    ctx.body = result;
  };

  const bulk = async (ctx: Context, c: MiqCollection, body: Record<string, unknown>, base: string, callerId: string) => {
    // Validate and resolve everything first; then apply item by item, each write atomic.
    const items = await bulkItems(body, c, (item) => ownership.findByAttributes(c.name, item));
    const resolved = [];
    for (const item of items) resolved.push({ ...item, wanted: await ownership.resolve(item.data) });
    const results: ActionResult[] = [];
    for (const item of resolved) {
      const href = `${base}/${item.id}`;
      if (!DIGITS.test(item.id)) {
        results.push({ success: false, message: invalidIdMessage(c, item.id), href });
        continue;
      }
      results.push(actionResult(c, item.id, href, await ownership.setOwnership(callerId, c.name, item.id, item.wanted, requestLog(ctx))));
    }
    ctx.status = 200;
    ctx.body = { results };
  };

  // Deeper paths fall through to the family's 404 (`Invalid request <path>`).
  for (const path of ['/', '/:a', '/:a/:b', '/:a/:b/:c']) router.all(path, handle);
}

/** X-MIQ-Group is CGI-escaped upstream (`+` for spaces); a malformed escape is taken literally. */
function decodeGroupHeader(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
