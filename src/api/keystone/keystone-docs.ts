/**
 * OpenAPI entries for the Keystone family, under the documented endpoint `/identity/v3` (the same
 * routes answer under `/v3`), from the schemas the routes validate with.
 */
import { z } from 'zod';
import type { ApiDocs, RouteDoc } from '../shared/openapi.js';
import {
  domainCreateBody,
  domainUpdateBody,
  groupCreateBody,
  groupUpdateBody,
  passwordChangeBody,
  projectCreateBody,
  projectUpdateBody,
  roleCreateBody,
  roleUpdateBody,
  userCreateBody,
  userUpdateBody,
} from './schemas.js';

const error = z.object({ error: z.object({ code: z.number(), message: z.string(), title: z.string() }) });
const fail = (description: string) => ({ description, schema: error });
const common = { 401: fail('Missing or invalid token'), 403: fail('Denied by identity policy') };
const assignmentsQuery = z.object({
  'user.id': z.string().optional(),
  'group.id': z.string().optional(),
  'role.id': z.string().optional(),
  'scope.project.id': z.string().optional(),
  'scope.domain.id': z.string().optional(),
  'scope.system': z.string().optional(),
  'scope.OS-INHERIT:inherited_to': z.string().optional(),
  effective: z.string().optional(),
  include_names: z.string().optional(),
  include_subtree: z.string().optional(),
});

type Row = [RouteDoc['method'], string, string, z.ZodType | undefined, number];

const ROWS: Row[] = [
  ['get', '/roles', 'List roles (global only unless domain_id)', undefined, 200],
  ['post', '/roles', 'Create a role', roleCreateBody, 201],
  ['get', '/roles/{role_id}', 'Show a role', undefined, 200],
  ['patch', '/roles/{role_id}', 'Update a role', roleUpdateBody, 200],
  ['delete', '/roles/{role_id}', 'Delete a role, its grants and inference rules', undefined, 204],
  ['get', '/roles/{prior_role_id}/implies', 'List roles a role implies', undefined, 200],
  ['put', '/roles/{prior_role_id}/implies/{implies_role_id}', 'Create an inference rule', undefined, 201],
  ['get', '/roles/{prior_role_id}/implies/{implies_role_id}', 'Show an inference rule', undefined, 200],
  ['head', '/roles/{prior_role_id}/implies/{implies_role_id}', 'Check an inference rule', undefined, 204],
  ['delete', '/roles/{prior_role_id}/implies/{implies_role_id}', 'Delete an inference rule', undefined, 204],
  ['get', '/role_inferences', 'List all inference rules', undefined, 200],
  ['get', '/role_assignments', 'List role assignments', undefined, 200],
  ['get', '/users', 'List users', undefined, 200],
  ['post', '/users', 'Create a user', userCreateBody, 201],
  ['patch', '/users/{user_id}', 'Update a user (a new password revokes its tokens)', userUpdateBody, 200],
  ['post', '/users/{user_id}/password', "Change one's own password (no token; original_password)", passwordChangeBody, 204],
  ['delete', '/users/{user_id}', 'Delete a user (grants, memberships, locks, ownership)', undefined, 204],
  ['post', '/groups', 'Create a group', groupCreateBody, 201],
  ['patch', '/groups/{group_id}', 'Update a group', groupUpdateBody, 200],
  ['put', '/groups/{group_id}/users/{user_id}', 'Add a user to a group', undefined, 204],
  ['post', '/projects', 'Create a project', projectCreateBody, 201],
  ['patch', '/projects/{project_id}', 'Update a project', projectUpdateBody, 200],
  ['post', '/domains', 'Create a domain', domainCreateBody, 201],
  ['patch', '/domains/{domain_id}', 'Update a domain', domainUpdateBody, 200],
];

const GRANT_BASES = [
  '/projects/{project_id}/users/{user_id}/roles',
  '/projects/{project_id}/groups/{group_id}/roles',
  '/domains/{domain_id}/users/{user_id}/roles',
  '/domains/{domain_id}/groups/{group_id}/roles',
  '/system/users/{user_id}/roles',
  '/system/groups/{group_id}/roles',
];

export function documentKeystone(docs: ApiDocs): void {
  const tag = 'Keystone';
  const add = ([method, path, summary, body, status]: Row) =>
    docs.add({
      method,
      path: `/identity/v3${path}`,
      summary,
      tag,
      ...(body ? { body } : {}),
      ...(path === '/role_assignments' ? { query: assignmentsQuery } : {}),
      responses: { [status]: { description: 'Success' }, 400: fail('Invalid input'), 404: fail('Not found'), ...common },
    });
  for (const row of ROWS) add(row);
  for (const base of GRANT_BASES) {
    add(['get', base, 'List direct grants', undefined, 200]);
    add(['put', `${base}/{role_id}`, 'Grant a role (idempotent)', undefined, 204]);
    add(['head', `${base}/{role_id}`, 'Check a grant', undefined, 204]);
    add(['delete', `${base}/{role_id}`, 'Revoke a grant', undefined, 204]);
    if (!base.startsWith('/system')) {
      add(['put', `/OS-INHERIT${base}/{role_id}/inherited_to_projects`, 'Grant a role inherited to projects', undefined, 204]);
      add(['get', `/OS-INHERIT${base}/inherited_to_projects`, 'List inherited grants', undefined, 200]);
    }
  }
}
