/**
 * Manila's version discovery documents (upstream `manila/api/versions.py`): the root list at
 * `/share` (300 Multiple Choices, as upstream answers an unversioned URL) and the v2 document at
 * `/v2/` and `/share/v2/`. python-manilaclient reads `versions[status=CURRENT]` from the root to
 * learn min_version and version (the maximum microversion). Unauthenticated.
 */
import type { Context } from 'koa';
import { baseUrl } from '../shared/base-url.js';
import { MAX_VERSION, MIN_VERSION } from './microversion.js';

/** Where the v2 API lives, relative to the public base: `<base>/share/v2/`. */
export function v2Document(base: string) {
  return {
    id: 'v2.0',
    status: 'CURRENT',
    version: MAX_VERSION,
    min_version: MIN_VERSION,
    updated: '2015-08-27T11:33:21Z',
    links: [
      { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
      { rel: 'self', href: `${base}/v2/` },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.share+json;version=1' }],
  };
}

/** The public base URL of the Manila API for this request: publicUrl or origin, plus `/share`. */
export function shareBase(ctx: Context, publicUrl: string | undefined): string {
  return `${baseUrl(ctx, { publicUrl })}/share`;
}

export function rootVersions(ctx: Context, publicUrl: string | undefined): void {
  ctx.status = 300;
  ctx.body = { versions: [v2Document(shareBase(ctx, publicUrl))] };
}

export function v2Versions(ctx: Context, publicUrl: string | undefined): void {
  ctx.body = { versions: [v2Document(shareBase(ctx, publicUrl))] };
}
