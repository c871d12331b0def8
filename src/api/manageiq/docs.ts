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

const action = z.object({ name: z.literal('set_ownership'), method: z.literal('post'), href: z.string() });
const resourceSchema = z
  .object({
    href: z.string(),
    id: z.string(),
    name: z.string().nullable(),
    description: z.string().optional(),
    guid: z.string().optional(),
    evm_owner_id: z.string().nullable(),
    miq_group_id: z.string().nullable(),
    created_on: z.string(),
    updated_on: z.string(),
  })
  .describe('A registered resource of the collection\'s type; name, description and guid are registry attributes');

export function documentManageiq(docs: ApiDocs): void {
  const tag = 'ManageIQ';
  docs.add({
    method: 'get',
    path: '/api',
    summary: 'Entry point: name, version(s), identity, the seven collections with hrefs (also /api/vX.Y)',
    tag,
    responses: { 200: { description: 'Entry point' }, 401: { description: 'Missing or invalid credential', schema: error } },
  });
  docs.add({
    method: 'get',
    path: '/api/{collection}',
    summary: 'The registered resources of the collection the caller may read (expand=resources, filter[], offset, limit)',
    tag,
    query: z.object({ expand: z.string().optional(), 'filter[]': z.string().optional(), offset: z.string().optional(), limit: z.string().optional() }),
    responses: {
      200: {
        description: 'Collection',
        schema: z.object({
          name: z.string(),
          count: z.number(),
          subcount: z.number(),
          subquery_count: z.number().optional(),
          resources: z.array(z.union([z.object({ href: z.string() }), resourceSchema])),
          actions: z.array(action),
        }),
      },
      400: { description: 'Bad filter, offset or limit', schema: error },
      401: { description: 'Missing or invalid credential', schema: error },
      403: { description: 'Read feature not granted', schema: error },
    },
  });
  docs.add({
    method: 'get',
    path: '/api/{collection}/{id}',
    summary: 'One registered resource, with the set_ownership action when the caller holds its feature',
    tag,
    responses: {
      200: { description: 'Resource', schema: resourceSchema.extend({ actions: z.array(action) }) },
      400: { description: 'Invalid id', schema: error },
      401: { description: 'Missing or invalid credential', schema: error },
      403: { description: 'Read feature not granted, or not visible', schema: error },
      404: { description: 'Not registered', schema: error },
    },
  });
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
