/**
 * Where each family's clients carry their credential (docs/compatibility.md §8.1). A family lists the carriers
 * it accepts, in order; the first one present is used.
 */
import type { Context } from 'koa';

export type CredentialCarrier = 'x-auth-token' | 'bearer' | 'cookie:mojolicious' | 'cookie:refreshToken';

export function readCredential(ctx: Context, carriers: readonly CredentialCarrier[]): string | undefined {
  for (const carrier of carriers) {
    const value = readOne(ctx, carrier);
    if (value) return value;
  }
  return undefined;
}

function readOne(ctx: Context, carrier: CredentialCarrier): string | undefined {
  switch (carrier) {
    case 'x-auth-token':
      return ctx.get('X-Auth-Token') || undefined;
    case 'bearer': {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
      return m?.[1];
    }
    case 'cookie:mojolicious':
      return ctx.cookies.get('mojolicious') || undefined;
    case 'cookie:refreshToken':
      return ctx.cookies.get('refreshToken') || undefined;
  }
}
