/**
 * The base URL links are built on: PORTCULLIS_PUBLIC_URL when set, else the request's protocol and
 * Host header. (Koa 3's ctx.origin can be 'null' for plain-HTTP requests, so it is not used.)
 */
import type { Context } from 'koa';
import type { Config } from '../../config/config.js';

export function baseUrl(ctx: Context, config: Pick<Config, 'publicUrl'>): string {
  return config.publicUrl ?? `${ctx.protocol}://${ctx.host}`;
}
