/**
 * Keystone's `/v3/auth/tokens` (docs/compatibility.md §1.10): log in with the `password` and/or
 * `token` methods and a project, domain or system scope (or none: the user's default project when
 * it has roles there, else unscoped), and validate or revoke another token.
 *
 * Every failure to authenticate or to obtain the scope is the same 401, as Keystone hides the
 * detail (unknown user, wrong password, throttled, disabled user/project/domain, no roles in the
 * scope); the password service logs the password failures. Issuing, validating and revoking the
 * token itself is TokenService's job; this service resolves names, checks roles and gathers what
 * the token body shows.
 */
import type { Principal, TokenScope } from '../../auth/principal.js';
import { scopeKeyOf } from '../../engine/scope.js';
import { badRequest, notFound, unauthorized } from '../../errors.js';
import type { Domain, Project, User } from '../../store/directory-store.js';
import type { LoginContext } from '../auth/password-service.js';
import type { IssuedToken, TokenService } from '../auth/token-service.js';
import { guard, type IdentityDeps } from './deps.js';
import { expecting } from './messages.js';

export interface NameOrId {
  readonly id?: string;
  readonly name?: string;
}

export type ScopeRequest =
  | { readonly kind: 'default' }
  | { readonly kind: 'unscoped' }
  | { readonly kind: 'system' }
  | { readonly kind: 'domain'; readonly domain: NameOrId }
  | { readonly kind: 'project'; readonly project: NameOrId; readonly domain?: NameOrId };

export interface AuthRequest {
  readonly methods: readonly string[];
  readonly password?: { readonly user: NameOrId & { readonly domain?: NameOrId }; readonly password: string };
  readonly token?: { readonly id: string };
  readonly scope: ScopeRequest;
}

/** A valid token with everything its Keystone body shows. */
export interface TokenView {
  readonly token: IssuedToken;
  readonly user: User;
  readonly userDomain: Domain;
  readonly project?: Project;
  readonly projectDomain?: Domain;
  readonly domain?: Domain;
  /** Roles held in the token's scope (implied ones included), by name. */
  readonly roles: readonly { readonly id: string; readonly name: string }[];
}

export const AUTH_FAILED = 'The request you have made requires authentication.';
const TOKEN_NOT_FOUND = 'Failed to validate token';
const METHODS = new Set(['password', 'token']);

export class TokenAuthService {
  private readonly tokens: TokenService;

  constructor(private readonly deps: IdentityDeps) {
    this.tokens = deps.tokens;
  }

  /** `POST /v3/auth/tokens`. `from`: the client address (throttling) and the request's logger. */
  async authenticate(request: AuthRequest, from: LoginContext): Promise<TokenView> {
    for (const method of request.methods) {
      if (!METHODS.has(method)) throw unauthorized(AUTH_FAILED); // Keystone: unsupported method, 401
      if (!request[method as 'password' | 'token']) throw badRequest(expecting(method, 'identity'));
    }
    if (request.methods.length === 0) throw badRequest(expecting('methods', 'identity'));
    let userId: string | undefined;
    let parent: IssuedToken | undefined;
    if (request.methods.includes('token')) {
      parent = await this.tokens.validate(request.token!.id);
      if (!parent) throw unauthorized(AUTH_FAILED);
      userId = parent.userId;
    }
    if (request.methods.includes('password')) {
      const { user, password } = request.password!;
      if (user.id === undefined && user.domain === undefined) throw badRequest(expecting('domain', 'user'));
      const login = await this.deps.passwords.verify(
        user.id !== undefined ? { userId: user.id } : { name: user.name ?? '', ...domainRef(user.domain!) },
        password,
        from,
      );
      if (!login.ok || (userId !== undefined && userId !== login.user.id)) throw unauthorized(AUTH_FAILED);
      userId = login.user.id;
    }
    const scope = await this.resolveScope(userId!, request.scope);
    if (scope.type !== 'unscoped' && this.rolesIn(userId!, scope).length === 0) throw unauthorized(AUTH_FAILED);
    const methods = [...new Set([...request.methods, ...(parent?.methods ?? [])])];
    const token = await this.tokens.issue(userId!, scope, { methods, ...(parent ? { parent } : {}) });
    return this.view(token);
  }

  /** `GET|HEAD /v3/auth/tokens`: the subject token's view; 404 when it is not valid. */
  async validateSubject(caller: Principal, subject: string | undefined, verb: 'validate' | 'check'): Promise<TokenView> {
    const token = await this.subject(subject);
    guard(this.deps, caller, `${verb}_token`, { token_user_id: token.userId });
    return this.view(token);
  }

  /** `DELETE /v3/auth/tokens`: revokes the subject token (and what was rescoped from it, unless cascade is false). */
  async revokeSubject(caller: Principal, subject: string | undefined, cascade: boolean): Promise<void> {
    const token = await this.subject(subject);
    guard(this.deps, caller, 'revoke_token', { token_user_id: token.userId });
    await this.tokens.revoke(token, { cascade });
  }

  private async subject(subject: string | undefined): Promise<IssuedToken> {
    const token = subject ? await this.tokens.validate(subject) : undefined;
    if (!token) throw notFound(TOKEN_NOT_FOUND);
    return token;
  }

  /** Gathers what the body of a valid token shows. */
  async view(token: IssuedToken): Promise<TokenView> {
    const { users, projects, domains } = this.deps.stores.directory;
    const user = await users.get(token.userId);
    const project = token.scope.type === 'project' ? await projects.get(token.scope.id!) : undefined;
    const [userDomain, projectDomain, domain] = await Promise.all([
      domains.get(user?.domainId ?? ''),
      project ? domains.get(project.domainId) : undefined,
      token.scope.type === 'domain' ? domains.get(token.scope.id!) : undefined,
    ]);
    if (!user || !userDomain) throw notFound(TOKEN_NOT_FOUND); // deleted since validation
    return {
      token,
      user,
      userDomain,
      ...(project ? { project } : {}),
      ...(projectDomain ? { projectDomain } : {}),
      ...(domain ? { domain } : {}),
      roles: this.rolesIn(token.userId, token.scope),
    };
  }

  private rolesIn(userId: string, scope: TokenScope): { id: string; name: string }[] {
    const held = this.deps.graph.effectiveRoles(userId, scopeKeyOf(scope.type, scope.id));
    return [...held.values()]
      .map((proof) => this.deps.graph.getRole(proof.chain[proof.chain.length - 1]!))
      .filter((r) => r !== undefined)
      .map((r) => ({ id: r.id, name: r.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private async resolveScope(userId: string, request: ScopeRequest): Promise<TokenScope> {
    switch (request.kind) {
      case 'unscoped':
        return { type: 'unscoped' };
      case 'system':
        return { type: 'system' };
      case 'domain':
        return { type: 'domain', id: (await this.domainOf(request.domain)).id };
      case 'project':
        return { type: 'project', id: (await this.projectOf(request.project, request.domain)).id };
      case 'default':
        return this.defaultScope(userId);
    }
  }

  /** No scope asked: the user's default project if it is enabled and the user has roles there. */
  private async defaultScope(userId: string): Promise<TokenScope> {
    const user = await this.deps.stores.directory.users.get(userId);
    const projectId = user?.defaultProjectId;
    if (!projectId) return { type: 'unscoped' };
    const scope: TokenScope = { type: 'project', id: projectId };
    const project = await this.deps.stores.directory.projects.get(projectId);
    const domain = project && (await this.deps.stores.directory.domains.get(project.domainId));
    return project?.enabled && domain?.enabled && this.rolesIn(userId, scope).length > 0 ? scope : { type: 'unscoped' };
  }

  private async domainOf(ref: NameOrId): Promise<Domain> {
    const { domains } = this.deps.stores.directory;
    const domain = ref.id !== undefined ? await domains.get(ref.id) : (await domains.list({ name: ref.name ?? '' }))[0];
    if (!domain?.enabled) throw unauthorized(AUTH_FAILED);
    return domain;
  }

  private async projectOf(ref: NameOrId, inDomain: NameOrId | undefined): Promise<Project> {
    const { projects } = this.deps.stores.directory;
    let project: Project | undefined;
    if (ref.id !== undefined) project = await projects.get(ref.id);
    else {
      if (!inDomain) throw badRequest(expecting('domain', 'project'));
      const domain = await this.domainOf(inDomain);
      project = (await projects.list({ name: ref.name ?? '', domainId: domain.id }))[0];
    }
    if (!project?.enabled) throw unauthorized(AUTH_FAILED);
    return project;
  }
}

function domainRef(d: NameOrId): { domainId: string } | { domainName: string } {
  return d.id !== undefined ? { domainId: d.id } : { domainName: d.name ?? '' };
}
