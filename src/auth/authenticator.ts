/**
 * Verifies a credential into a user and scope: the static admin token; a token Portcullis issued
 * (checked by the `issued` verifier: signature, expiry, revocation, user and scope still enabled);
 * or an external JWT, checked with jose: HS256 with PORTCULLIS_JWT_SECRET, or RS/ES/EdDSA with a
 * PEM public key or a JWKS URL. External JWT claims: `sub` (user id), optional `project_id` |
 * `domain_id` | `system: "all"`; `exp` honoured.
 */
import { createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import type { Config } from '../config/config.js';
import { scopeKeyOf } from '../engine/scope.js';
import { loadJose } from './jose.js';
import type { TokenScope } from './principal.js';

export interface Identity {
  readonly userId: string;
  readonly scope: TokenScope;
  readonly scopeKey: string;
  readonly via: 'admin-token' | 'jwt' | 'token';
}

/** Verifies the tokens Portcullis issues itself (the domain's TokenService). */
export interface IssuedTokenVerifier {
  /** True when the credential is one of ours by its form, valid or not. */
  recognizes(credential: string): Promise<boolean>;
  verify(credential: string): Promise<Identity | undefined>;
}

export interface Authenticator {
  /** undefined when the credential is not valid (expired, bad signature, unknown token...). */
  verify(credential: string): Promise<Identity | undefined>;
}

export const ADMIN_USER_ID = 'admin';

type KeySource = Uint8Array | KeyObject | JWTVerifyGetKey;

export async function createAuthenticator(config: Config, issued?: IssuedTokenVerifier): Promise<Authenticator> {
  const adminToken = Buffer.from(config.adminToken);
  const keys: KeySource[] = [];
  if (config.jwt.secret) keys.push(new TextEncoder().encode(config.jwt.secret));
  if (config.jwt.publicKey) {
    // A KeyObject lets jose take the algorithm from the token header and check it fits the key.
    keys.push(createPublicKey(config.jwt.publicKey.replace(/\\n/g, '\n')));
  }
  if (config.jwt.jwksUrl) keys.push((await loadJose()).createRemoteJWKSet(new URL(config.jwt.jwksUrl)));
  const options: JWTVerifyOptions = {
    ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
    ...(config.jwt.audience ? { audience: config.jwt.audience } : {}),
  };

  return {
    async verify(credential) {
      const given = Buffer.from(credential);
      if (given.length === adminToken.length && timingSafeEqual(given, adminToken)) {
        return { userId: ADMIN_USER_ID, scope: { type: 'system' }, scopeKey: 'system', via: 'admin-token' };
      }
      if (!looksLikeJwt(credential)) return undefined;
      if (issued && (await issued.recognizes(credential))) return issued.verify(credential);
      const { jwtVerify } = await loadJose();
      for (const key of keys) {
        try {
          const { payload } =
            typeof key === 'function'
              ? await jwtVerify(credential, key, options)
              : await jwtVerify(credential, key, options);
          return identityFromClaims(payload);
        } catch {
          // try the next key; none matching means the credential is invalid
        }
      }
      return undefined;
    },
  };
}

function looksLikeJwt(s: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(s);
}

function identityFromClaims(payload: JWTPayload): Identity | undefined {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
  const project = typeof payload.project_id === 'string' ? payload.project_id : undefined;
  const domain = typeof payload.domain_id === 'string' ? payload.domain_id : undefined;
  const scope: TokenScope = project
    ? { type: 'project', id: project }
    : domain
      ? { type: 'domain', id: domain }
      : { type: 'system' };
  return { userId: payload.sub, scope, scopeKey: scopeKeyOf(scope.type, scope.id), via: 'jwt' };
}
