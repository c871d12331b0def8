/**
 * The base URL links should use: the configured public URL, else this request's own
 * `protocol://host`. (Koa 3's `ctx.origin` is the request's Origin header, not its own origin.)
 */
import type { Context } from 'koa';

export function publicBase(ctx: Context, publicUrl: string | undefined): string {
  return publicUrl ?? `${ctx.protocol}://${ctx.host}`;
}
