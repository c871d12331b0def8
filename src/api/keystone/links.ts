/**
 * Where Keystone links point. The base is `PORTCULLIS_PUBLIC_URL` if set, else the request's
 * origin, followed by the prefix the request came in on (`/identity` or none), then `/v3`.
 */
import type { Context } from 'koa';
import { baseUrl } from '../shared/base-url.js';

/** The mount the request came in on: `/identity` for the devstack-style prefix, else ''. */
export function mountOf(ctx: Context): string {
  return ctx.path === '/identity' || ctx.path.startsWith('/identity/') ? '/identity' : '';
}

/** `protocol://host` of the request, or the configured public URL. */
export function originOf(ctx: Context, publicUrl: string | undefined): string {
  return baseUrl(ctx, { publicUrl });
}

/** `http://host/identity` (the root Keystone's WWW-Authenticate and version document name). */
export function rootUrl(ctx: Context, publicUrl: string | undefined): string {
  return `${originOf(ctx, publicUrl)}${mountOf(ctx)}`;
}

/** Builds `<base>/v3<path>` links and the collection self link for one request. */
export class Links {
  readonly v3: string;

  constructor(
    private readonly ctx: Context,
    private readonly publicUrl: string | undefined,
  ) {
    this.v3 = `${rootUrl(ctx, publicUrl)}/v3`;
  }

  to(path: string): string {
    return `${this.v3}${path}`;
  }

  /** The request URL as the client asked it (collections' `links.self`). */
  get request(): string {
    return `${originOf(this.ctx, this.publicUrl)}${this.ctx.originalUrl}`;
  }

  collection(): { self: string; previous: null; next: null } {
    return { self: this.request, previous: null, next: null };
  }
}
