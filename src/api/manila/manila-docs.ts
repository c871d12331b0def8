/** OpenAPI entries for the Manila family, from the same schemas the routes validate with. */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';
import { createLockBody, updateLockBody } from './lock-bodies.js';
import { SHARE_ATTRIBUTE_FIELDS } from './share-view.js';

const fault = z.record(z.string(), z.object({ code: z.number(), message: z.string() }));
const errors = {
  400: { description: 'badRequest', schema: fault },
  401: { description: 'unauthorized', schema: fault },
  403: { description: 'forbidden', schema: fault },
  404: { description: 'itemNotFound (also: microversion below 2.81)', schema: fault },
};

export function documentManila(docs: ApiDocs): void {
  const tag = 'Manila resource locks';
  for (const base of ['/share/v2', '/v2']) {
    const path = `${base}/resource-locks`;
    docs.add({ method: 'post', path, summary: 'Create a resource lock (200)', tag, body: createLockBody, responses: { 200: { description: 'The lock' }, ...errors, 409: { description: 'conflictingRequest', schema: fault } } });
    docs.add({ method: 'get', path, summary: 'List resource locks', tag, responses: { 200: { description: 'resource_locks, count, resource_locks_links' }, ...errors } });
    docs.add({ method: 'get', path: `${path}/{lock_id}`, summary: 'Show a resource lock', tag, responses: { 200: { description: 'The lock' }, ...errors } });
    docs.add({ method: 'put', path: `${path}/{lock_id}`, summary: 'Update a resource lock', tag, body: updateLockBody, responses: { 200: { description: 'The lock' }, ...errors } });
    docs.add({ method: 'delete', path: `${path}/{lock_id}`, summary: 'Delete a resource lock', tag, responses: { 204: { description: 'Deleted' }, ...errors } });
  }
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
  const shareTag = 'Manila shares (read-only, from the registry)';
  const fromRegistry = `Registered resources of type share. Fields from the registry attributes of the same name: ${SHARE_ATTRIBUTE_FIELDS.join(', ')}.`;
  for (const base of ['/share/v2', '/v2']) {
    docs.add({ method: 'get', path: `${base}/shares/{share_id}`, summary: `Show a share. ${fromRegistry}`, tag: shareTag, responses: { 200: { description: 'share' }, ...errors } });
    docs.add({ method: 'get', path: `${base}/shares/detail`, summary: 'List shares, detailed', tag: shareTag, query: shareQuery, responses: { 200: { description: 'shares, count, shares_links' }, ...errors } });
    docs.add({ method: 'get', path: `${base}/shares`, summary: 'List shares (id, name, links)', tag: shareTag, query: shareQuery, responses: { 200: { description: 'shares' }, ...errors } });
  }
  docs.add({ method: 'get', path: '/share', summary: 'Manila API versions (300)', tag, responses: { 300: { description: 'versions' } } });
  docs.add({ method: 'get', path: '/share/v2', summary: 'Manila v2 version document', tag, responses: { 200: { description: 'versions' } } });
}
