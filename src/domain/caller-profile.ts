/**
 * Who the caller is, as `GET /v1/me` answers it: the directory user behind the credential, the
 * token's scope, the roles held there (implied ones included), and whether the caller holds the
 * API permissions it asks about. Clients (the console) use it to show only what the user may do;
 * the families still decide every request.
 *
 * A permission is asked of Casbin as the families ask it, with the caller's own scope as target
 * (`project_id`, `domain_id` of the token's project or domain, `user_id` the caller's own): "may I
 * do this within my own scope?". A row whose condition needs more of a target than that answers
 * false here, and the family decides each real request on its real target.
 */
import type { Principal } from '../auth/principal.js';
import type { RoleGraph } from '../engine/role-graph.js';
import type { Stores } from '../store/stores.js';
import type { Authorizer } from './authorizer.js';

export interface CallerProfile {
  readonly user: { readonly id: string; readonly name: string | null; readonly domain_id: string | null };
  readonly scope: { readonly type: Principal['scope']['type']; readonly id?: string; readonly name?: string; readonly domain_id?: string };
  readonly via: Principal['via'];
  readonly roles: readonly string[];
  readonly permissions: Readonly<Record<string, boolean>>;
}

export class CallerProfileService {
  constructor(
    private readonly stores: Stores,
    private readonly graph: RoleGraph,
    private readonly authorizer: Authorizer,
  ) {}

  async describe(caller: Principal, permissions: readonly string[]): Promise<CallerProfile> {
    const { users, projects, domains } = this.stores.directory;
    const user = await users.get(caller.userId);
    const { scope } = caller;
    const project = scope.type === 'project' && scope.id ? await projects.get(scope.id) : undefined;
    const domain = scope.type === 'domain' && scope.id ? await domains.get(scope.id) : undefined;
    const domainId = project?.domainId ?? domain?.id ?? '';
    const target = { project_id: project?.id ?? '', domain_id: domainId, user_id: caller.userId };
    return {
      user: { id: caller.userId, name: user?.name ?? null, domain_id: user?.domainId ?? null },
      scope: {
        type: scope.type,
        ...(scope.id ? { id: scope.id } : {}),
        ...(project ? { name: project.name, domain_id: project.domainId } : domain ? { name: domain.name } : {}),
      },
      via: caller.via,
      roles: [...this.graph.effectiveRoles(caller.userId, caller.scopeKey).keys()].sort(),
      permissions: Object.fromEntries(permissions.map((p) => [p, this.authorizer.check(caller, p, target).allowed])),
    };
  }
}
