/** OpenAPI entries for the Manila family, from the same schemas the routes validate with. */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';
import { createLockBody, updateLockBody } from './lock-bodies.js';

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
  docs.add({ method: 'get', path: '/share', summary: 'Manila API versions (300)', tag, responses: { 300: { description: 'versions' } } });
  docs.add({ method: 'get', path: '/share/v2', summary: 'Manila v2 version document', tag, responses: { 200: { description: 'versions' } } });
}
