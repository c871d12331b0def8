/** OpenAPI entries for `/admin/lock` and `/admin/remove-lock` (docs/compatibility.md §4.3, §4.4). */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';

const TAG = 'Route locks';
const body = z.object({ route: z.string(), id: z.union([z.string(), z.number()]) });
const envelope = z.object({ data: z.string(), code: z.number().int() }).meta({ id: 'RouteLockEnvelope' });
const r = (description: string) => ({ description, schema: envelope });

export function documentAdminLocks(docs: ApiDocs): void {
  docs.family({
    tag: TAG,
    security: ['refreshToken', 'bearer'],
    error: envelope,
    description: 'Route + id locks of the system-management API; every answer is `{data, code}`.',
  });
  docs.add({
    method: 'post',
    path: '/admin/lock',
    tag: TAG,
    summary: 'Acquire (or confirm) a route + id lock',
    body,
    responses: {
      200: r('Success (created, or already held by the caller)'),
      400: r('Missing parameters'),
      403: r('Forbidden (no manage-locks)'),
      404: r('Not found (user cannot be resolved)'),
      409: r('Conflict (held by another user)'),
    },
  });
  docs.add({
    method: 'delete',
    path: '/admin/remove-lock',
    tag: TAG,
    summary: 'Release a route + id lock (holder only)',
    description: 'The JSON body, or `route` and `id` in the query string, field by field.',
    body,
    query: z.object({ route: z.string().optional(), id: z.string().optional() }),
    responses: {
      200: r('Success'),
      400: r('Missing parameters'),
      403: r('Forbidden (no manage-locks, or the lock is held by another user)'),
      404: r('Not found (user or lock)'),
    },
  });
}
