/** OpenAPI entries for the Traffic Ops `cdn_locks` routes, from the schemas that validate them. */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';
import { cdnLockBodySchema, cdnLockQuerySchema, cdnLockSchema } from './schemas.js';

const alertsSchema = z.array(z.object({ text: z.string(), level: z.enum(['success', 'info', 'warning', 'error']) }));
const errorSchema = z.object({ alerts: alertsSchema });
const errors = {
  400: { description: 'Invalid input', schema: errorSchema },
  401: { description: 'unauthorized, please log in.', schema: errorSchema },
  403: { description: 'missing required Permissions', schema: errorSchema },
};

export function documentTrafficOps(docs: ApiDocs, prefix: string): void {
  const path = `${prefix}/cdn_locks`;
  const tag = 'Traffic Ops';
  const ok = z.object({ alerts: alertsSchema });
  docs.add({
    method: 'post',
    path: `${prefix}/user/login`,
    tag,
    summary: 'Log in with a user name and password; sets the mojolicious cookie (a Portcullis token, system scope)',
    body: z.object({ u: z.string(), p: z.string() }),
    responses: {
      200: { description: 'Successfully logged in.', schema: ok },
      400: { description: 'username and password are required', schema: errorSchema },
      401: { description: 'Invalid username or password.', schema: errorSchema },
    },
  });
  docs.add({
    method: 'post',
    path: `${prefix}/user/logout`,
    tag,
    summary: "Log out: revokes the session's token and expires the mojolicious cookie",
    responses: { 200: { description: 'You are logged out.', schema: ok }, 401: errors[401] },
  });
  docs.add({
    method: 'get',
    path,
    tag,
    summary: 'List CDN locks',
    query: cdnLockQuerySchema,
    responses: { 200: { description: 'Locks', schema: z.object({ response: z.array(cdnLockSchema) }) }, ...errors },
  });
  docs.add({
    method: 'post',
    path,
    tag,
    summary: 'Acquire a CDN lock',
    body: cdnLockBodySchema,
    responses: {
      201: { description: 'Lock acquired', schema: z.object({ alerts: alertsSchema, response: cdnLockSchema }) },
      ...errors,
      404: { description: 'cdn not found', schema: errorSchema },
    },
  });
  docs.add({
    method: 'delete',
    path,
    tag,
    summary: 'Release a CDN lock',
    query: z.object({ cdn: z.string() }),
    responses: {
      200: { description: 'Lock deleted', schema: z.object({ alerts: alertsSchema, response: cdnLockSchema }) },
      ...errors,
      404: { description: 'lock not found (override holders)', schema: errorSchema },
    },
  });
}
