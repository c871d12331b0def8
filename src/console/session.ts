/**
 * The signed-in session: the credential and who it is (GET /v1/me), kept in this browser tab only
 * (sessionStorage: gone when the tab closes, never shared with other tabs or sent as a cookie).
 */
import { ApiError, request } from './api';

/**
 * Permissions the console asks about once, at sign-in, to show or hide what the signed-in user may
 * do. The server still decides every request; these only keep the pages honest.
 */
export const PERMISSIONS = [
  'authzen:evaluate',
  'decisions:read',
  'decisions:replay',
  'policy:read',
  'policy:write',
  'identity:list_users',
  'identity:list_groups',
  'identity:list_projects',
  'identity:list_groups_for_user',
  'identity:list_role_assignments',
  'identity:list_role_inference_rules',
  'identity:get_user',
  'identity:get_group',
  'identity:get_project',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Me {
  readonly user: { readonly id: string; readonly name: string; readonly domain_id: string };
  readonly scope: { readonly type: 'system' | 'domain' | 'project' | 'unscoped'; readonly id?: string; readonly name?: string };
  readonly roles: readonly string[];
  readonly permissions: Readonly<Record<string, boolean>>;
}

export interface Session {
  readonly token: string;
  /** `password`: a Keystone token this console obtained (revoked at sign-out). */
  readonly kind: 'token' | 'password';
  readonly me: Me;
}

const KEY = 'portcullis.console.session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export const may = (session: Session, permission: Permission): boolean => session.me.permissions[permission] === true;

/** Who the token is, and what it may do (GET /v1/me); a 401 means the token is not valid. */
export async function describe(token: string): Promise<Me> {
  const q = PERMISSIONS.map((p) => `permission=${encodeURIComponent(p)}`).join('&');
  return (await request<Me>(token, 'GET', `/v1/me?${q}`)).body;
}

export async function signInWithToken(token: string): Promise<Session> {
  try {
    return { token, kind: 'token', me: await describe(token) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw new ApiError(401, 'That token is not valid.');
    throw err;
  }
}

export type ScopeChoice = { kind: 'default' } | { kind: 'system' } | { kind: 'project'; name: string };

/** A Keystone password login (POST /v3/auth/tokens); the issued token comes in X-Subject-Token. */
export async function signInWithPassword(name: string, password: string, domain: string, scope: ScopeChoice): Promise<Session> {
  const domainRef = { name: domain || 'Default' };
  const body = {
    auth: {
      identity: { methods: ['password'], password: { user: { name, domain: domainRef, password } } },
      ...(scope.kind === 'system' ? { scope: { system: { all: true } } } : {}),
      ...(scope.kind === 'project' ? { scope: { project: { name: scope.name, domain: domainRef } } } : {}),
    },
  };
  let token: string | null;
  try {
    token = (await request(undefined, 'POST', '/v3/auth/tokens?nocatalog', { body })).headers.get('X-Subject-Token');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      throw new ApiError(401, 'Sign-in failed: check the user name, password and domain, and that you hold a role in the scope you chose.');
    }
    throw err;
  }
  if (!token) throw new ApiError(500, 'The server issued no token.');
  return { token, kind: 'password', me: await describe(token) };
}

/** Ends the session; a token this console obtained is revoked (DELETE /v3/auth/tokens). */
export async function signOut(session: Session): Promise<void> {
  saveSession(undefined);
  if (session.kind !== 'password') return;
  await request(session.token, 'DELETE', '/v3/auth/tokens', { headers: { 'X-Subject-Token': session.token }, accept: [401, 404] }).catch(
    () => undefined,
  );
}
