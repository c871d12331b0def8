/**
 * OpenAPI entries for the Keystone family, under the documented endpoint `/identity/v3` and again
 * under `/v3` (the same routes), from the schemas the routes validate with.
 */
import { z } from 'zod';
import type { ApiDocs, Method, ResponseDoc } from '../shared/openapi.js';
import {
  domainCreateBody,
  domainUpdateBody,
  groupCreateBody,
  groupUpdateBody,
  passwordChangeBody,
  projectCreateBody,
  projectTagsBody,
  projectUpdateBody,
  roleCreateBody,
  roleUpdateBody,
  userCreateBody,
  userUpdateBody,
} from './schemas.js';
import { authTokensBody } from './token-schemas.js';

const TAG = 'Keystone';
const error = z
  .object({ error: z.object({ code: z.number().int(), message: z.string(), title: z.string() }) })
  .meta({ id: 'KeystoneError' });
const flag = z.string().optional().describe('Present means true unless the value is exactly `0`.');
const assignmentsQuery = z.object({
  'user.id': z.string().optional(),
  'group.id': z.string().optional(),
  'role.id': z.string().optional(),
  'scope.project.id': z.string().optional(),
  'scope.domain.id': z.string().optional(),
  'scope.system': z.string().optional(),
  'scope.OS-INHERIT:inherited_to': z.string().optional(),
  effective: flag,
  include_names: flag,
  include_subtree: flag,
});
const byName = z.object({ name: z.string().optional(), domain_id: z.string().optional() });
const enabled = z.string().optional().describe('`0`, `f`, `false`, `n`, `no`, `off` mean false; any other value true.');
const tagList = z.string().optional().describe('Comma-separated tags.');
const projectsQuery = byName.extend({
  parent_id: z.string().optional(),
  enabled,
  is_domain: enabled,
  tags: tagList.describe('Projects with all of these tags.'),
  'tags-any': tagList.describe('Projects with any of these tags.'),
  'not-tags': tagList.describe('Projects without all of these tags.'),
  'not-tags-any': tagList.describe('Projects with none of these tags.'),
});
const subjectQuery = z.object({ nocatalog: flag });

/** Statuses besides success, by letter: b 400, u 401, f 403, n 404, c 409. */
const FAILURES: Record<string, [number, string]> = {
  b: [400, 'Invalid input'],
  u: [401, 'Wrong password (or too many failures)'],
  f: [403, 'Denied by identity policy, or forbidden by a Keystone rule'],
  n: [404, 'A referenced entity does not exist'],
  c: [409, 'Duplicate'],
};

type Row = [Method, string, string, number, string, { body?: z.ZodType; query?: z.ZodObject; public?: boolean }?];

const ROWS: Row[] = [
  ['get', '/roles', 'List roles (global only unless domain_id)', 200, 'bf', { query: byName }],
  ['post', '/roles', 'Create a role', 201, 'bfnc', { body: roleCreateBody }],
  ['get', '/roles/{role_id}', 'Show a role', 200, 'fn'],
  ['patch', '/roles/{role_id}', 'Update a role', 200, 'bfnc', { body: roleUpdateBody }],
  ['delete', '/roles/{role_id}', 'Delete a role, its grants and inference rules', 204, 'fn'],
  ['get', '/roles/{prior_role_id}/implies', 'List roles a role implies', 200, 'fn'],
  ['put', '/roles/{prior_role_id}/implies/{implies_role_id}', 'Create an inference rule', 201, 'bfnc'],
  ['get', '/roles/{prior_role_id}/implies/{implies_role_id}', 'Show an inference rule', 200, 'fn'],
  ['head', '/roles/{prior_role_id}/implies/{implies_role_id}', 'Check an inference rule', 204, 'fn'],
  ['delete', '/roles/{prior_role_id}/implies/{implies_role_id}', 'Delete an inference rule', 204, 'fn'],
  ['get', '/role_inferences', 'List all inference rules', 200, 'f'],
  ['get', '/role_assignments', 'List role assignments', 200, 'bfn', { query: assignmentsQuery }],
  ['post', '/auth/tokens', 'Log in: password and/or token methods; project, domain, system or no scope. The token is in X-Subject-Token', 201, 'bu', { body: authTokensBody, query: subjectQuery, public: true }],
  ['get', '/auth/tokens', 'Validate the token in X-Subject-Token (HEAD checks it)', 200, 'ufn', { query: subjectQuery }],
  ['delete', '/auth/tokens', 'Revoke the token in X-Subject-Token and, unless ?cascade=false, the tokens rescoped from it', 204, 'ufn', { query: z.object({ cascade: z.string().optional() }) }],
  ['get', '/users', 'List users', 200, 'f', { query: byName.extend({ enabled }) }],
  ['post', '/users', 'Create a user (a password is hashed, never returned; extra attributes are kept)', 201, 'bfnc', { body: userCreateBody }],
  ['get', '/users/{user_id}', 'Show a user', 200, 'fn'],
  ['patch', '/users/{user_id}', 'Update a user (a new password revokes its tokens)', 200, 'bfnc', { body: userUpdateBody }],
  ['post', '/users/{user_id}/password', "Change one's own password (no token; original_password)", 204, 'bun', { body: passwordChangeBody, public: true }],
  ['delete', '/users/{user_id}', 'Delete a user (grants, memberships, locks, ownership)', 204, 'fn'],
  ['get', '/users/{user_id}/groups', "List a user's groups", 200, 'fn'],
  ['get', '/groups', 'List groups', 200, 'f', { query: byName }],
  ['post', '/groups', 'Create a group', 201, 'bfnc', { body: groupCreateBody }],
  ['get', '/groups/{group_id}', 'Show a group', 200, 'fn'],
  ['patch', '/groups/{group_id}', 'Update a group', 200, 'bfnc', { body: groupUpdateBody }],
  ['delete', '/groups/{group_id}', 'Delete a group (grants, memberships)', 204, 'fn'],
  ['get', '/groups/{group_id}/users', "List a group's members", 200, 'fn'],
  ['put', '/groups/{group_id}/users/{user_id}', 'Add a user to a group', 204, 'fn'],
  ['get', '/groups/{group_id}/users/{user_id}', 'Check membership', 204, 'fn'],
  ['delete', '/groups/{group_id}/users/{user_id}', 'Remove a user from a group', 204, 'fn'],
  ['get', '/projects', 'List projects', 200, 'f', { query: projectsQuery }],
  ['post', '/projects', 'Create a project (is_domain: true creates a domain)', 201, 'bfnc', { body: projectCreateBody }],
  ['get', '/projects/{project_id}', 'Show a project', 200, 'fn'],
  ['patch', '/projects/{project_id}', 'Update a project', 200, 'bfnc', { body: projectUpdateBody }],
  ['delete', '/projects/{project_id}', 'Delete a project (a leaf), or a disabled domain acting as one', 204, 'fn'],
  ['get', '/projects/{project_id}/tags', "List a project's tags", 200, 'fn'],
  ['put', '/projects/{project_id}/tags', "Replace a project's tags", 200, 'bfn', { body: projectTagsBody }],
  ['delete', '/projects/{project_id}/tags', "Remove a project's tags", 204, 'fn'],
  ['put', '/projects/{project_id}/tags/{tag}', 'Add a tag to a project', 201, 'bfn'],
  ['get', '/projects/{project_id}/tags/{tag}', 'Check a project tag', 204, 'fn'],
  ['delete', '/projects/{project_id}/tags/{tag}', 'Remove a project tag', 204, 'fn'],
  ['get', '/domains', 'List domains', 200, 'f', { query: z.object({ name: z.string().optional(), enabled }) }],
  ['post', '/domains', 'Create a domain', 201, 'bfc', { body: domainCreateBody }],
  ['get', '/domains/{domain_id}', 'Show a domain', 200, 'fn'],
  ['patch', '/domains/{domain_id}', 'Update a domain', 200, 'bfnc', { body: domainUpdateBody }],
  ['delete', '/domains/{domain_id}', 'Delete a disabled domain with its projects, users, groups and roles', 204, 'fn'],
];

const GRANT_BASES = [
  '/projects/{project_id}/users/{user_id}/roles',
  '/projects/{project_id}/groups/{group_id}/roles',
  '/domains/{domain_id}/users/{user_id}/roles',
  '/domains/{domain_id}/groups/{group_id}/roles',
  '/system/users/{user_id}/roles',
  '/system/groups/{group_id}/roles',
];

function grantRows(base: string, suffix: string, what: string): Row[] {
  return [
    ['get', `${base}${suffix}`, `List ${what}`, 200, 'fn'],
    ['put', `${base}/{role_id}${suffix}`, `Grant a role${what.includes('inherited') ? ', inherited to projects' : ''} (idempotent)`, 204, 'bfn'],
    ['get', `${base}/{role_id}${suffix}`, `Check a grant (${what}; HEAD too)`, 204, 'fn'],
    ['delete', `${base}/{role_id}${suffix}`, `Revoke a grant (${what})`, 204, 'fn'],
  ];
}

export function documentKeystone(docs: ApiDocs): void {
  docs.family({
    tag: TAG,
    security: ['authToken', 'bearer'],
    error,
    description: 'OpenStack Identity v3: roles, grants, implied roles, role assignments and the directory they need.',
  });
  const add = ([method, path, summary, status, failures, io]: Row) => {
    const responses: Record<number, ResponseDoc> = { [status]: { description: 'Success' } };
    for (const letter of failures) {
      const [code, description] = FAILURES[letter]!;
      responses[code] = { description };
    }
    docs.add({ method, path: `/identity/v3${path}`, alsoAt: [`/v3${path}`], summary, tag: TAG, ...io, responses });
  };
  for (const row of ROWS) add(row);
  for (const base of GRANT_BASES) {
    for (const row of grantRows(base, '', 'direct grants')) add(row);
  }
  for (const base of GRANT_BASES.filter((b) => !b.startsWith('/system'))) {
    for (const row of grantRows(`/OS-INHERIT${base}`, '/inherited_to_projects', 'inherited grants')) add(row);
  }
  const versions = { 300: { description: 'The versions document' } };
  docs.add({ method: 'get', path: '/identity', summary: 'Identity API versions', tag: TAG, public: true, responses: versions });
  docs.add({ method: 'get', path: '/identity/v3', alsoAt: ['/v3'], summary: 'Identity v3 version document', tag: TAG, public: true, responses: { 200: { description: 'The v3 version' } } });
}
