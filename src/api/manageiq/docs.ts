/** OpenAPI entries for the ManageIQ family (docs/compatibility.md §5), one pair per collection. */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';
import { COLLECTIONS } from './collections.js';

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
const error = z.object({ error: z.object({ kind: z.string(), message: z.string(), klass: z.string() }) }).meta({ id: 'ManageiqError' });
const TAG = 'ManageIQ';

export function documentManageiq(docs: ApiDocs): void {
  docs.family({
    tag: TAG,
    security: ['authToken', 'bearer', 'basic'],
    error,
    description: 'The ManageIQ REST API set_ownership action; also under a version prefix, /api/vX.Y.',
  });
  const headers = z.object({
    'X-MIQ-Group': z.string().optional().meta({ description: "The caller's current group (id, description or name)" }),
  });
  const params = { version: z.string().regex(/^v\d+(\.\d+)*$/) };
  const errors = {
    400: { description: 'Bad request (unknown action, invalid data or id)' },
    403: { description: 'Product feature not granted, or target not visible' },
    404: { description: 'Unknown collection, or the target is not registered' },
    415: { description: 'The Accept header asks for something other than JSON' },
  };
  const action = z.object({ name: z.literal('set_ownership'), method: z.literal('post'), href: z.string() });
  const resource = z.object({
    href: z.string(),
    id: z.string(),
    name: z.string().nullable(),
    description: z.string().optional(),
    guid: z.string().optional(),
    evm_owner_id: z.string().nullable(),
    miq_group_id: z.string().nullable(),
    created_on: z.string(),
    updated_on: z.string(),
  });
  docs.add({
    method: 'get',
    path: '/api',
    alsoAt: ['/api/{version}'],
    params,
    headers,
    summary: 'The entry point: name, version(s), identity, the collections with hrefs',
    tag: TAG,
    responses: { 200: { description: 'The entry point' }, 404: { description: 'Unsupported collection or invalid request' } },
  });
  for (const name of COLLECTIONS.map((c) => c.name)) {
    docs.add({
      method: 'get',
      path: `/api/${name}`,
      alsoAt: [`/api/{version}/${name}`],
      params,
      headers,
      summary: `The registered ${name} the caller may read`,
      description: 'RBAC-filtered by the decision engine (`read`); `actions` lists set_ownership when the caller holds its feature.',
      tag: TAG,
      query: z.object({
        expand: z.string().optional().meta({ description: '`resources`: whole resources instead of hrefs' }),
        'filter[]': z.string().optional().meta({ description: "`attr op value` (=, !=, <, <=, >, >=), e.g. `name='web-1'`; `or ...` joins by OR" }),
        offset: z.string().optional(),
        limit: z.string().optional(),
      }),
      responses: {
        200: {
          description: 'The collection',
          schema: z.object({
            name: z.string(),
            count: z.number().int(),
            subcount: z.number().int(),
            subquery_count: z.number().int().optional(),
            resources: z.array(z.union([z.object({ href: z.string() }), resource])),
            actions: z.array(action),
          }),
        },
        400: { description: 'Invalid filter, offset or limit' },
        403: { description: 'Use of Action read is forbidden' },
        404: { description: 'Invalid request (e.g. a version segment that is not vX.Y)' },
      },
    });
    docs.add({
      method: 'get',
      path: `/api/${name}/{id}`,
      alsoAt: [`/api/{version}/${name}/{id}`],
      params,
      headers,
      summary: `One of ${name}, with its actions`,
      tag: TAG,
      responses: {
        200: { description: 'The resource', schema: resource.extend({ actions: z.array(action) }) },
        400: { description: 'Invalid id' },
        403: { description: 'Read feature not granted, or the resource is not visible' },
        404: { description: 'Not registered' },
      },
    });
  }
  for (const name of COLLECTIONS.map((c) => c.name)) {
    docs.add({
      method: 'post',
      path: `/api/${name}/{id}`,
      alsoAt: [`/api/{version}/${name}/{id}`],
      params,
      headers,
      summary: `set_ownership of one of ${name}`,
      tag: TAG,
      body: singleBodySchema,
      responses: { 200: { description: 'Ownership set', schema: result }, ...errors, 400: { description: 'Bad request, or the action failed (an action result)', schema: z.union([result, error]) } },
    });
    docs.add({
      method: 'post',
      path: `/api/${name}`,
      alsoAt: [`/api/{version}/${name}`],
      params,
      headers,
      summary: `set_ownership of several ${name}`,
      tag: TAG,
      body: bulkBodySchema,
      responses: { 200: { description: 'One result per item', schema: z.object({ results: z.array(result) }) }, ...errors },
    });
  }
}
