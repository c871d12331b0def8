/**
 * How ManageIQ clients authenticate (docs/compatibility.md §5.1, §8.1): `X-Auth-Token` or `Authorization:
 * Bearer` carry a Portcullis token. HTTP Basic is accepted only as `base64(<user>:<token>)` where
 * the token is valid and its subject is that user (we hold no passwords). Anything else is 401 in
 * the ManageIQ envelope.
 */
import type { Context, Next } from 'koa';
import { authenticate } from '../../auth/authenticate.js';
import type { Authenticator } from '../../auth/authenticator.js';
import type { Principal } from '../../auth/principal.js';
import { miqError } from './envelope.js';

export const AUTH_FAILED = 'Authentication failed';

/** `{user, secret}` from `Authorization: Basic ...`, or undefined when the header is not Basic. */
export function parseBasic(header: string): { user: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { user: decoded, secret: '' };
  return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Koa middleware: sets ctx.state.principal or throws 401 (Api::AuthenticationError). */
export function miqAuthenticate(authenticator: Authenticator) {
  const byToken = authenticate(authenticator, { carriers: ['x-auth-token', 'bearer'], message: AUTH_FAILED });
  return async (ctx: Context, next: Next) => {
    // Upstream order: X-Auth-Token, then Bearer, then Basic.
    const basic = ctx.get('X-Auth-Token') ? undefined : parseBasic(ctx.get('Authorization'));
    if (!basic) return byToken(ctx, next);
    const identity = basic.secret ? await authenticator.verify(basic.secret) : undefined;
    if (!identity || identity.userId !== basic.user) {
      throw miqError('unauthorized', AUTH_FAILED, 'Api::AuthenticationError');
    }
    const serviceCredential = ctx.get('X-Service-Token');
    const service = serviceCredential ? await authenticator.verify(serviceCredential) : undefined;
    const principal: Principal = {
      userId: identity.userId,
      scope: identity.scope,
      scopeKey: identity.scopeKey,
      via: identity.via,
      ...(service ? { service: { userId: service.userId, scopeKey: service.scopeKey } } : {}),
      requestId: ctx.state.requestId as string | undefined,
    };
    ctx.state.principal = principal;
    await next();
  };
}
