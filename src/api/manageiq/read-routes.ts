/**
 * ManageIQ reads, which manageiq-client makes before any action (it finds an action's href in the
 * `actions` of what it GETs):
 *   GET /api[/vX.Y]                        the entry point: name, version(s), identity, collections
 *   GET /api[/vX.Y]/{collection}           the registered resources of that type the caller may
 *                                          read (hrefs, or whole with `expand=resources`), `filter[]`,
 *                                          `offset`/`limit`, and the collection's `actions`
 *   GET /api[/vX.Y]/{collection}/{id}      one resource, with its `actions`
 * A collection or resource read needs the collection's read feature (`manageiq:<feature>`, 403
 * `Use of Action read is forbidden`); which resources show is the decision engine's `read`
 * (RBAC). `set_ownership` is listed in `actions` only when the caller holds its feature, as
 * upstream lists only the actions the caller's role allows.
 */
import type { Context } from 'koa';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import type { Principal } from '../../auth/principal.js';
import type { OwnershipService } from '../../domain/ownership/ownership-service.js';
import { groupLabel } from '../../domain/ownership/references.js';
import { badRequest, forbidden } from '../../errors.js';
import { baseUrl } from '../shared/base-url.js';
import { requestLog } from '../shared/request-log.js';
import { COLLECTIONS, ownershipPermission, readPermission, type MiqCollection } from './collections.js';
import { DIGITS } from './request.js';
import { invalidIdMessage, singleRequestError } from './results.js';
import { matchesFilters, parseFilters, renderResource } from './resource-view.js';
import type { MiqPath } from './routes.js';

/** The ManageIQ API version this family speaks (upstream's ManageIQ::Api::VERSION it follows). */
export const MIQ_API_VERSION = '4.4.0';

export function readRoutes(app: AppContext, ownership: OwnershipService) {
  const { authorizer } = app.services;
  const may = (caller: Principal, permission: string, c: MiqCollection, facts: readonly string[], id = '') =>
    authorizer.check(caller, permission, { collection: c.name, id }, facts).allowed;
  const actions = (caller: Principal, c: MiqCollection, facts: readonly string[], href: string, id?: string) =>
    may(caller, ownershipPermission(c), c, facts, id) ? [{ name: 'set_ownership', method: 'post', href }] : [];

  const entryPoint = async (ctx: Context, path: MiqPath, facts: readonly string[]) => {
    const root = `${baseUrl(ctx, app.config)}${path.prefix}`;
    const mount = `${baseUrl(ctx, app.config)}/api`;
    const caller = principal(ctx);
    const who = await ownership.whoIs(caller.userId);
    const selected = who.groups.find((g) => facts.includes(`miq_group:${g.id}`)) ?? who.groups[0];
    ctx.body = {
      name: 'API',
      description: 'REST API',
      version: MIQ_API_VERSION,
      versions: [{ name: MIQ_API_VERSION, href: `${mount}/v${MIQ_API_VERSION}` }],
      settings: {},
      identity: {
        userid: who.user?.name ?? caller.userId,
        name: who.user?.name ?? caller.userId,
        user_href: `${root}/users/${caller.userId}`,
        group: selected ? groupLabel(selected) : null,
        group_href: selected ? `${root}/groups/${selected.id}` : null,
        role: null,
        tenant: who.domainName ?? null,
        groups: who.groups.map(groupLabel),
        miq_groups: who.groups.map((g) => ({ id: g.id, href: `${root}/groups/${g.id}`, description: groupLabel(g) })),
      },
      server_info: { version: null, build: null, appliance: 'portcullis', time: `${new Date().toISOString().slice(0, 19)}Z`, plugins: {} },
      product_info: { name: 'Portcullis', name_full: 'Portcullis authorization sidecar', branding_info: {} },
      collections: COLLECTIONS.map((c) => ({ name: c.name, href: `${root}/${c.name}`, description: c.description })),
    };
  };

  const collection = async (ctx: Context, c: MiqCollection, href: string, facts: readonly string[]) => {
    const caller = principal(ctx);
    if (!may(caller, readPermission(c, 'list'), c, facts)) throw forbidden('Use of Action read is forbidden');
    const filters = parseFilters(ctx.query['filter[]'] ?? ctx.query.filter);
    const offset = nonNegative('offset', ctx.query.offset);
    const limit = nonNegative('limit', ctx.query.limit);
    const visible = (await ownership.list(caller.userId, c.name, requestLog(ctx))).map((r) => renderResource(r, `${href}/${r.id}`));
    const matching = visible.filter((r) => matchesFilters(r, filters));
    const page = matching.slice(offset ?? 0, limit === undefined ? undefined : (offset ?? 0) + limit);
    const expand = String(ctx.query.expand ?? '').split(',').includes('resources');
    ctx.body = {
      name: c.name,
      count: visible.length,
      subcount: page.length,
      ...(filters.length ? { subquery_count: matching.length } : {}),
      resources: expand ? page : page.map((r) => ({ href: r.href })),
      actions: actions(caller, c, facts, href),
    };
  };

  const resource = async (ctx: Context, c: MiqCollection, id: string, href: string, facts: readonly string[]) => {
    const caller = principal(ctx);
    if (!may(caller, readPermission(c, 'show'), c, facts, id)) throw forbidden('Use of Action read is forbidden');
    if (!DIGITS.test(id)) throw badRequest(invalidIdMessage(c, id));
    const found = await ownership.show(caller.userId, c.name, id, requestLog(ctx));
    if (found.status !== 'found') throw singleRequestError(c, id, found)!;
    ctx.body = { ...renderResource(found.resource, href), actions: actions(caller, c, facts, href, id) };
  };

  return {
    async get(ctx: Context, path: MiqPath, facts: readonly string[]) {
      if (!path.collection) return entryPoint(ctx, path, facts);
      const href = `${baseUrl(ctx, app.config)}${path.prefix}/${path.collection.name}`;
      if (path.id === undefined) return collection(ctx, path.collection, href, facts);
      return resource(ctx, path.collection, path.id, `${href}/${path.id}`, facts);
    },
  };
}

function nonNegative(name: string, raw: string | string[] | undefined): number | undefined {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`Invalid ${name} value ${v} specified`);
  return Number(v);
}
