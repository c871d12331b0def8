/**
 * How ManageIQ clients authenticate (docs/compatibility.md §5.1, §8.1): `X-Auth-Token` or `Authorization:
 * Bearer` carry a Portcullis token; HTTP Basic carries a user's name and password, checked by the
 * password service (throttled after repeated failures, logged without the password). Anything else
 * is 401 in the ManageIQ envelope.
 */
import type { Context, Next } from 'koa';
import { authenticate } from '../../auth/authenticate.js';
import type { Authenticator } from '../../auth/authenticator.js';
import type { Principal } from '../../auth/principal.js';
import type { PasswordService } from '../../domain/auth/password-service.js';
import { SYSTEM_SCOPE } from '../../engine/scope.js';
import { requestLog } from '../shared/request-log.js';
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

/** What ManageIQ authentication needs from the application. */
export interface MiqAuthDeps {
  readonly authenticator: Authenticator;
  readonly services: { readonly passwords: PasswordService };
}

/** Koa middleware: sets ctx.state.principal or throws 401 (Api::AuthenticationError). */
export function miqAuthenticate(app: MiqAuthDeps) {
  const byToken = authenticate(app.authenticator, { carriers: ['x-auth-token', 'bearer'], message: AUTH_FAILED });
  return async (ctx: Context, next: Next) => {
    // Upstream order: X-Auth-Token, then Basic (then a Bearer token).
    const basic = ctx.get('X-Auth-Token') ? undefined : parseBasic(ctx.get('Authorization'));
    if (!basic) return byToken(ctx, next);
    // The user's name (ManageIQ's userid) in the default domain, and their password.
    const login = await app.services.passwords.verify({ name: basic.user }, basic.secret, { source: ctx.ip, log: requestLog(ctx) });
    if (!login.ok) {
      if (login.reason === 'throttled') ctx.set('Retry-After', String(Math.ceil(login.retryAfterMs / 1000)));
      throw miqError('unauthorized', AUTH_FAILED, 'Api::AuthenticationError');
    }
    const serviceCredential = ctx.get('X-Service-Token');
    const service = serviceCredential ? await app.authenticator.verify(serviceCredential) : undefined;
    // A password login has no token to carry a scope: it stands in the system scope, so the
    // features come from the user's system role grants.
    const principal: Principal = {
      userId: login.user.id,
      scope: { type: 'system' },
      scopeKey: SYSTEM_SCOPE,
      via: 'password',
      ...(service ? { service: { userId: service.userId, scopeKey: service.scopeKey } } : {}),
      requestId: ctx.state.requestId as string | undefined,
    };
    ctx.state.principal = principal;
    await next();
  };
}
