/** OpenAPI entries for the ManageIQ family (docs/compatibility.md §5). */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';

const ref = z
  .object({ href: z.string().optional(), id: z.union([z.string(), z.number()]).optional() })
  .catchall(z.unknown());
const ownerRef = ref.extend({ name: z.string().optional(), userid: z.string().optional() });
const groupRef = ref.extend({ description: z.string().optional() });
const ownership = z.object({ owner: ownerRef.optional(), group: groupRef.optional() });

export const singleBodySchema = z.object({ action: z.literal('set_ownership'), resource: ownership.optional() });
export const bulkBodySchema = z.object({
  action: z.literal('set_ownership'),
  resources: z.array(ownership.extend({ href: z.string().optional(), id: z.union([z.string(), z.number()]).optional() })),
});
const result = z.object({ success: z.boolean(), message: z.string(), href: z.string() });
const error = z.object({ error: z.object({ kind: z.string(), message: z.string(), klass: z.string() }) });

export function documentManageiq(docs: ApiDocs): void {
  const tag = 'ManageIQ';
  const errors = {
    400: { description: 'Bad request, or a single action that failed (action result)', schema: error },
    401: { description: 'Missing or invalid credential', schema: error },
    403: { description: 'Product feature not granted, or target not visible', schema: error },
  };
  docs.add({
    method: 'post',
    path: '/api/{collection}/{id}',
    summary: 'set_ownership of one resource (also under /api/vX.Y)',
    tag,
    body: singleBodySchema,
    responses: { 200: { description: 'Ownership set', schema: result }, ...errors, 404: { description: 'Not registered', schema: error } },
  });
  docs.add({
    method: 'post',
    path: '/api/{collection}',
    summary: 'set_ownership of several resources (also under /api/vX.Y)',
    tag,
    body: bulkBodySchema,
    responses: { 200: { description: 'One result per item', schema: z.object({ results: z.array(result) }) }, ...errors },
  });
}
