/** OpenAPI entries for `/admin/lock` and `/admin/remove-lock` (docs/compatibility.md §4.3, §4.4). */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';

const body = z.object({ route: z.string(), id: z.union([z.string(), z.number()]) });
const envelope = z.object({ data: z.string(), code: z.number().int() });
const r = (description: string) => ({ description, schema: envelope });

export function documentAdminLocks(docs: ApiDocs): void {
  const tag = 'Route locks';
  docs.add({
    method: 'post',
    path: '/admin/lock',
    tag,
    summary: 'Acquire (or confirm) a route + id lock',
    body,
    responses: {
      200: r('Success (created, or already held by the caller)'),
      400: r('Missing parameters'),
      401: r('Unauthorized'),
      403: r('Forbidden (no manage-locks)'),
      404: r('Not found (user cannot be resolved)'),
      409: r('Conflict (held by another user)'),
    },
  });
  docs.add({
    method: 'delete',
    path: '/admin/remove-lock',
    tag,
    summary: 'Release a route + id lock (owner only); JSON body, or route and id in the query',
    body,
    query: z.object({ route: z.string().optional(), id: z.string().optional() }),
    responses: {
      200: r('Success'),
      400: r('Missing parameters'),
      401: r('Unauthorized'),
      403: r('Forbidden (no manage-locks, or the lock is held by another user)'),
      404: r('Not found (user or lock)'),
    },
  });
}
