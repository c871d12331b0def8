/**
 * Version discovery as Keystone answers it, unauthenticated: `GET /v3` (and `/identity/v3`) gives
 * the v3 version document; `GET /identity` gives the root versions document with 300 Multiple
 * Choices. keystoneauth and python-openstackclient read these to find the v3 endpoint.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { rootUrl } from './links.js';

/** The Identity API version this family speaks (keystone 2023.x and later report v3.14). */
export const IDENTITY_VERSION = 'v3.14';

function versionDoc(ctx: Context, publicUrl: string | undefined) {
  return {
    id: IDENTITY_VERSION,
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${rootUrl(ctx, publicUrl)}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

/** `/v3` itself (registered under the v3 prefixes). */
export function versionRoutes(router: Router, publicUrl: string | undefined): void {
  router.get('/', (ctx) => {
    ctx.body = { version: versionDoc(ctx, publicUrl) };
  });
}

/** `/identity` and `/identity/`: the versions document, 300 as upstream. */
export function rootVersionRoutes(router: Router, publicUrl: string | undefined): void {
  router.get('/', (ctx) => {
    ctx.status = 300;
    ctx.body = { versions: { values: [versionDoc(ctx, publicUrl)] } };
  });
}
