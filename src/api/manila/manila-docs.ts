/**
 * OpenAPI entries for the Manila family, from the same schemas the routes validate with: the lock
 * and share routes under `/share/v2` and their aliases (`/v2`, and both with a project-id segment),
 * and the version documents.
 */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';
import { createLockBody, updateLockBody } from './lock-bodies.js';
import { SORT_KEYS } from './list-query.js';
import { MAX_VERSION, MIN_VERSION, VERSION_HEADER } from './microversion.js';
import { SHARE_ATTRIBUTE_FIELDS } from './share-view.js';

const TAG = 'Manila resource locks';
const SHARE_TAG = 'Manila shares';
const fault = z.record(z.string(), z.object({ code: z.number().int(), message: z.string() })).meta({ id: 'ManilaFault' });

const versionHeaders = z.object({
  [VERSION_HEADER]: z
    .string()
    .optional()
    .meta({ description: `Microversion, ${MIN_VERSION} to ${MAX_VERSION}; lock routes need 2.81. Absent: ${MIN_VERSION}.`, example: MAX_VERSION }),
  'OpenStack-API-Version': z.string().optional().meta({ description: 'Alternative form: `share 2.81`.' }),
});
const lockHeaders = versionHeaders.extend({
  'X-Service-Token': z.string().optional().meta({ description: 'A second valid credential: the request is a service context.' }),
});
const flag = z.string().optional().meta({ description: 'true/false, 1/0, yes/no, on/off' });
const listQuery = z.object({
  id: z.string().optional(),
  user_id: z.string().optional(),
  project_id: z.string().optional(),
  resource_id: z.string().optional(),
  resource_type: z.string().optional(),
  resource_action: z.string().optional(),
  lock_context: z.string().optional(),
  lock_reason: z.string().optional(),
  'lock_reason~': z.string().optional().meta({ description: 'Case-insensitive substring of lock_reason' }),
  created_since: z.string().optional(),
  created_before: z.string().optional(),
  all_projects: flag,
  with_count: flag,
  sort_key: z.enum(SORT_KEYS as [string, ...string[]]).optional(),
  sort_dir: z.string().optional(),
  limit: z.string().optional(),
  offset: z.string().optional(),
});

const version = {
  400: { description: 'badRequest: malformed microversion' },
  406: { description: 'The microversion is outside the supported range' },
};
const common = {
  ...version,
  403: { description: 'forbidden' },
  404: { description: 'itemNotFound (also: a microversion below 2.81)' },
};

export function documentManila(docs: ApiDocs): void {
  docs.family({
    tag: TAG,
    security: ['authToken', 'bearer'],
    error: fault,
    description: 'OpenStack Manila resource locks, API microversion 2.81.',
  });
  const at = (path: string) => ({
    path: `/share/v2${path}`,
    alsoAt: [`/v2${path}`, `/share/v2/{project_id}${path}`, `/v2/{project_id}${path}`],
  });
  const tag = TAG;
  const headers = lockHeaders;
  docs.add({ method: 'post', ...at('/resource-locks'), tag, headers, summary: 'Create a resource lock (200)', body: createLockBody, responses: { 200: { description: 'The lock' }, ...common, 409: { description: 'conflictingRequest: the resource cannot be locked now' } } });
  docs.add({ method: 'get', ...at('/resource-locks'), tag, headers, summary: 'List resource locks', query: listQuery, responses: { 200: { description: 'resource_locks, count, resource_locks_links' }, ...common } });
  docs.add({ method: 'get', ...at('/resource-locks/{lock_id}'), tag, headers, summary: 'Show a resource lock', responses: { 200: { description: 'The lock' }, ...common } });
  docs.add({ method: 'put', ...at('/resource-locks/{lock_id}'), tag, headers, summary: 'Update a resource lock', body: updateLockBody, responses: { 200: { description: 'The lock' }, ...common } });
  docs.add({ method: 'delete', ...at('/resource-locks/{lock_id}'), tag, headers, summary: 'Delete a resource lock', responses: { 204: { description: 'Deleted' }, ...common } });

  docs.family({
    tag: SHARE_TAG,
    security: ['authToken', 'bearer'],
    error: fault,
    description: 'OpenStack Manila shares, read-only: the registered resources of type share.',
  });
  const fromRegistry = `Registered resources of type share. Fields from the registry attributes of the same name: ${SHARE_ATTRIBUTE_FIELDS.join(', ')}.`;
  const shareQuery = z.object({
    all_tenants: z.string().optional().describe('1/true: every project (admins; dropped for others)'),
    is_public: z.string().optional().describe('true: public shares of other projects too'),
    is_soft_deleted: z.string().optional().describe('true: only shares in the recycle bin'),
    name: z.string().optional(),
    'name~': z.string().optional(),
    description: z.string().optional(),
    'description~': z.string().optional(),
    status: z.string().optional(),
    project_id: z.string().optional(),
    sort_key: z.string().optional(),
    sort_dir: z.enum(['asc', 'desc']).optional(),
    limit: z.string().optional(),
    offset: z.string().optional(),
    with_count: z.string().optional(),
  });
  const shareFailures = { ...version, 403: { description: 'forbidden' }, 404: { description: 'itemNotFound' } };
  const shares = { tag: SHARE_TAG, headers: versionHeaders };
  docs.add({ method: 'get', ...at('/shares/{share_id}'), ...shares, summary: 'Show a share', description: fromRegistry, responses: { 200: { description: 'share' }, ...shareFailures } });
  docs.add({ method: 'get', ...at('/shares/detail'), ...shares, summary: 'List shares, detailed', description: fromRegistry, query: shareQuery, responses: { 200: { description: 'shares, count, shares_links' }, ...shareFailures } });
  docs.add({ method: 'get', ...at('/shares'), ...shares, summary: 'List shares (id, name, links)', query: shareQuery, responses: { 200: { description: 'shares' }, ...shareFailures } });
  docs.add({ method: 'get', path: '/share', summary: 'Manila API versions', tag, public: true, responses: { 300: { description: 'The versions (Multiple Choices, as upstream)' } } });
  docs.add({ method: 'get', path: '/share/v2', alsoAt: ['/v2'], summary: 'Manila v2 version document', tag, public: true, headers: versionHeaders, responses: { 200: { description: 'The v2 version' }, ...version } });
}
