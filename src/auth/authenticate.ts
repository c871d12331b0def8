/**
 * Koa middleware factory: authenticates the request into ctx.state.principal or throws
 * AppError('unauthorized'), which the family renders in its own envelope.
 */
import type { Context, Next } from 'koa';
import { unauthorized } from '../errors.js';
import type { Authenticator } from './authenticator.js';
import { readCredential, type CredentialCarrier } from './credentials.js';
import type { Principal } from './principal.js';

export interface AuthOptions {
  readonly carriers: readonly CredentialCarrier[];
  /** The family's own 401 text (e.g. Keystone's "The request you have made requires authentication."). */
  readonly message: string;
}

export function authenticate(authenticator: Authenticator, options: AuthOptions) {
  return async (ctx: Context, next: Next) => {
    ctx.state.principal = await principalOf(ctx, authenticator, options);
    await next();
  };
}

export async function principalOf(
  ctx: Context,
  authenticator: Authenticator,
  options: AuthOptions,
): Promise<Principal> {
  const credential = readCredential(ctx, options.carriers);
  const identity = credential ? await authenticator.verify(credential) : undefined;
  if (!identity) throw unauthorized(options.message);
  const serviceCredential = ctx.get('X-Service-Token');
  const service = serviceCredential ? await authenticator.verify(serviceCredential) : undefined;
  return {
    userId: identity.userId,
    scope: identity.scope,
    scopeKey: identity.scopeKey,
    via: identity.via,
    ...(service ? { service: { userId: service.userId, scopeKey: service.scopeKey } } : {}),
    requestId: ctx.state.requestId as string | undefined,
  };
}

export function principal(ctx: Context): Principal {
  const p = ctx.state.principal as Principal | undefined;
  if (!p) throw unauthorized('not authenticated');
  return p;
}
