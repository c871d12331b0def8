/**
 * OpenAPI entries for the Traffic Ops `cdn_locks` routes under every served API version, from the
 * schemas that validate them. (A trailing slash after `cdn_locks` is accepted too.)
 */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';
import { cdnLockBodySchema, cdnLockQuerySchema, cdnLockSchema, loginBodySchema } from './schemas.js';

const TAG = 'Traffic Ops';
const alertsSchema = z.array(z.object({ text: z.string(), level: z.enum(['success', 'info', 'warning', 'error']) }));
const errorSchema = z.object({ alerts: alertsSchema }).meta({ id: 'TrafficOpsAlerts' });
const denied = { 403: { description: 'missing required Permissions' } };

export function documentTrafficOps(docs: ApiDocs, prefixes: readonly string[]): void {
  docs.family({
    tag: TAG,
    security: ['mojolicious', 'bearer'],
    error: errorSchema,
    description: 'Apache Traffic Ops cdn_locks (API 4.0; 4.1 and 5.0 too, 5.0 formatting lastUpdated without fraction).',
  });
  const [first, ...others] = prefixes;
  const at = { path: `${first}/cdn_locks`, alsoAt: others.map((p) => `${p}/cdn_locks`), tag: TAG };
  const ok = z.object({ alerts: alertsSchema });
  docs.add({
    method: 'post',
    path: `${first}/user/login`,
    alsoAt: others.map((p) => `${p}/user/login`),
    tag: TAG,
    public: true,
    summary: 'Log in with a user name and password',
    description: "Sets the `mojolicious` cookie: a Portcullis token in the system scope (6 hours, or the token lifetime if shorter).",
    body: loginBodySchema,
    responses: {
      200: { description: 'Successfully logged in.', schema: ok },
      400: { description: 'username and password are required' },
      401: { description: 'Invalid username or password. (also when throttled, with Retry-After)' },
    },
  });
  docs.add({
    method: 'post',
    path: `${first}/user/logout`,
    alsoAt: others.map((p) => `${p}/user/logout`),
    tag: TAG,
    summary: "Log out: revokes the session's token and expires the mojolicious cookie",
    responses: { 200: { description: 'You are logged out.', schema: ok } },
  });
  docs.add({
    method: 'get',
    ...at,
    summary: 'List CDN locks',
    query: cdnLockQuerySchema,
    responses: { 200: { description: 'Locks', schema: z.object({ response: z.array(cdnLockSchema) }) }, 400: { description: 'Invalid sort or paging parameters' }, ...denied },
  });
  docs.add({
    method: 'post',
    ...at,
    summary: 'Acquire a CDN lock',
    body: cdnLockBodySchema,
    responses: {
      201: { description: 'Lock acquired', schema: z.object({ alerts: alertsSchema, response: cdnLockSchema }) },
      400: { description: 'Invalid input, or the CDN is already locked' },
      ...denied,
      404: { description: 'cdn not found' },
    },
  });
  docs.add({
    method: 'delete',
    ...at,
    summary: 'Release a CDN lock',
    query: z.object({ cdn: z.string().optional() }),
    responses: {
      200: { description: 'Lock deleted', schema: z.object({ alerts: alertsSchema, response: cdnLockSchema }) },
      400: { description: 'missing required parameters: cdn' },
      403: { description: "Permissions missing, or the lock is someone else's (or absent)" },
      404: { description: 'lock not found (override holders)' },
    },
  });
}
