/** `GET /v3/role_assignments` (docs/compatibility.md §1.7): query parsing; the rules live in AssignmentService. */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { principal } from '../../auth/authenticate.js';
import type { AssignmentQuery } from '../../domain/identity/identity-services.js';
import { assignmentJson } from './assignment-json.js';
import { queryFlag, queryValue, type KeystoneEnv } from './env.js';

export function assignmentRoutes(router: Router, env: KeystoneEnv): void {
  router.get('/role_assignments', async (ctx) => {
    const includeNames = queryFlag(ctx, 'include_names');
    const { entries, names } = await env.identity.assignments.list(principal(ctx), parseQuery(ctx), includeNames);
    const links = env.links(ctx);
    ctx.body = {
      role_assignments: entries.map((e) => assignmentJson(e, links, includeNames ? names : undefined)),
      links: links.collection(),
    };
  });
}

/** Filters as Keystone reads them: `scope.system` counts only as `all`; inherited_to is `projects` or not. */
export function parseQuery(ctx: Context): AssignmentQuery {
  const opt = (key: string, as: keyof AssignmentQuery) => {
    const v = queryValue(ctx, key);
    return v !== undefined ? { [as]: v } : {};
  };
  const inheritedTo = queryValue(ctx, 'scope.OS-INHERIT:inherited_to');
  return {
    ...opt('user.id', 'userId'),
    ...opt('group.id', 'groupId'),
    ...opt('role.id', 'roleId'),
    ...opt('scope.project.id', 'projectId'),
    ...opt('scope.domain.id', 'domainId'),
    system: queryValue(ctx, 'scope.system') === 'all',
    ...(inheritedTo !== undefined ? { inherited: inheritedTo === 'projects' } : {}),
    effective: queryFlag(ctx, 'effective'),
    includeSubtree: queryFlag(ctx, 'include_subtree'),
  };
}
