/** OpenAPI entries for the Portcullis family, from the same schemas the routes validate with. */
import { z } from 'zod';
import { exportDocumentSchema } from '../../domain/backup/document.js';
import type { ApiDocs, SecurityScheme } from '../shared/openapi.js';
import {
  actionSearchResponseSchema,
  actionSearchSchema,
  decisionListQuerySchema,
  decisionListSchema,
  decisionSchema,
  evaluationsResponseSchema,
  evaluationSchema,
  impactBodySchema,
  impactSchema,
  evaluationsSchema,
  lockListQuerySchema,
  lockListSchema,
  meQuerySchema,
  meSchema,
  policyCheckSchema,
  policyFileAppliedSchema,
  policyFileBodySchema,
  policyFileListSchema,
  policyFileSchema,
  resourceBodySchema,
  resourceListQuerySchema,
  resourceSearchSchema,
  ruleBodySchema,
  subjectSearchResponseSchema,
  subjectSearchSchema,
} from './schemas.js';

const error = z.object({ error: z.object({ code: z.number().int(), message: z.string() }) }).meta({ id: 'PortcullisError' });
const security: SecurityScheme[] = ['bearer', 'authToken'];
const denied = { 403: { description: 'The caller may not use this endpoint' } };
// AuthZEN bodies must be application/json; subjects are the app's ids (README "Subjects").
const invalid = {
  400: {
    description:
      'Invalid request: a missing or mistyped field, a Content-Type other than application/json, a subject type ' +
      'that names no users, a subject name held in two domains, or a page token from another search',
  },
};

export function documentPortcullis(docs: ApiDocs): void {
  const tag = 'AuthZEN';
  docs.family({ tag, security, error, description: 'OpenID AuthZEN 1.0 decisions, explained in `context`.' });
  const decide = { 200: { description: 'Decision with its explanation in context', schema: decisionSchema }, ...invalid, ...denied };
  docs.add({ method: 'post', path: '/access/v1/evaluation', summary: 'Access evaluation', tag, body: evaluationSchema, responses: decide });
  docs.add({ method: 'post', path: '/access/v1/evaluations', summary: 'Batch access evaluations', description: 'Items answer their decision only (options.explain adds each explanation); an item that cannot be completed is a deny with context.error.', tag, body: evaluationsSchema, responses: { 200: { description: 'Decisions in request order (or one decision when no evaluations are given)', schema: evaluationsResponseSchema }, ...invalid, ...denied } });
  docs.add({ method: 'post', path: '/access/v1/search/subject', summary: 'Subjects that may act on a resource, in the ids the app uses', tag, body: subjectSearchSchema, responses: { 200: { description: 'Matching subjects; page only when asked for or more remain', schema: subjectSearchResponseSchema }, ...invalid, ...denied } });
  docs.add({ method: 'post', path: '/access/v1/search/resource', summary: 'Resources a subject may act on', tag, body: resourceSearchSchema, responses: { 200: { description: 'Matching resources; page only when asked for or more remain', schema: subjectSearchResponseSchema }, ...invalid, ...denied } });
  docs.add({ method: 'post', path: '/access/v1/search/action', summary: 'Actions a subject may take on a resource', tag, body: actionSearchSchema, responses: { 200: { description: 'Allowed actions', schema: actionSearchResponseSchema }, ...invalid, ...denied } });
  docs.add({ method: 'get', path: '/.well-known/authzen-configuration', summary: 'AuthZEN PDP metadata', tag, public: true, responses: { 200: { description: 'The endpoints' } } });

  const reg = 'Registry';
  docs.family({ tag: reg, security, error, description: 'The resources apps protect: scope, owner, group, status, attributes.' });
  const missing = { 404: { description: 'Not registered' } };
  docs.add({ method: 'put', path: '/v1/resources/{type}/{id}', summary: 'Register or replace a resource', tag: reg, body: resourceBodySchema, responses: { 200: { description: 'Replaced' }, 201: { description: 'Created' }, ...denied } });
  docs.add({ method: 'get', path: '/v1/resources/{type}/{id}', summary: 'Show a registered resource', tag: reg, responses: { 200: { description: 'The resource' }, ...denied, ...missing } });
  docs.add({ method: 'delete', path: '/v1/resources/{type}/{id}', summary: 'Unregister a resource (and its locks)', tag: reg, responses: { 204: { description: 'Deleted' }, ...denied, ...missing } });
  docs.add({ method: 'get', path: '/v1/resources', summary: 'List registered resources', tag: reg, query: resourceListQuerySchema, responses: { 200: { description: 'A page of resources' }, 400: { description: 'Invalid filter, limit or page_token' }, ...denied } });

  const pol = 'Policy';
  docs.family({ tag: pol, security, error, description: 'The policy in force, reloads, and rules stored at run time.' });
  docs.add({ method: 'get', path: '/v1/policy', summary: 'Policy status and rules in force', tag: pol, responses: { 200: { description: 'Status and rules' }, ...denied } });
  docs.add({ method: 'post', path: '/v1/policy/reload', summary: 'Reload policy files now', tag: pol, responses: { 200: { description: 'Reloaded' }, 400: { description: 'Invalid policy; the previous one stays in force' }, ...denied } });
  docs.add({ method: 'post', path: '/v1/policy/rules', summary: 'Store a policy rule (a p row may carry a condition as a fifth value)', tag: pol, body: ruleBodySchema, responses: { 201: { description: 'Stored and loaded' }, 400: { description: 'Invalid rule' }, ...denied } });
  const problems = error.extend({ error: error.shape.error.extend({ problems: z.array(z.string()).optional() }) });
  docs.add({ method: 'post', path: '/v1/policy/impact', summary: 'Replay the decision log against a draft of the policy files (needs decisions:replay)', tag: pol, body: impactBodySchema, responses: { 200: { description: 'How many decisions were replayed, and those the draft would flip', schema: impactSchema }, 400: { description: 'The draft does not load (every file:line problem in error.problems), or a bad body', schema: problems }, ...denied } });
  const fileName = { name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.csv$/).describe('a policy file name, e.g. resources.csv') };
  docs.add({ method: 'get', path: '/v1/policy/files', summary: 'The policy files, each with its sha256, rules in force and last reload error', tag: pol, responses: { 200: { description: 'The files', schema: policyFileListSchema }, ...denied } });
  docs.add({ method: 'get', path: '/v1/policy/files/{name}', summary: 'The text of a policy file', tag: pol, params: fileName, responses: { 200: { description: 'The file', schema: policyFileSchema }, 400: { description: 'Not a policy file name' }, ...denied, 404: { description: 'No such file in the policy directory' } } });
  docs.add({ method: 'post', path: '/v1/policy/check', summary: 'Would the policy files with these replaced (an empty text deletes one) load? Every problem if not', tag: pol, body: impactBodySchema, responses: { 200: { description: 'The outcome, loads or not', schema: policyCheckSchema }, 400: { description: 'Not a policy file name, or a bad body' }, ...denied } });
  docs.add({
    method: 'put',
    path: '/v1/policy/files/{name}',
    summary: 'Apply a new text of a policy file: checked like a reload, written, reloaded at once (needs policy:write)',
    description: "The policy directory with this file replaced must load (else 400 with every problem, nothing written). The file is written in this server's PORTCULLIS_POLICY_DIR; replicas see it only if they share that directory.",
    tag: pol,
    params: fileName,
    body: policyFileBodySchema,
    responses: {
      200: { description: 'Written and in force', schema: policyFileAppliedSchema },
      201: { description: 'A new file, written and in force', schema: policyFileAppliedSchema },
      400: { description: 'Not a policy file name, an empty text, or a draft that does not load (every file:line problem in error.problems)', schema: problems },
      ...denied,
      409: { description: 'The file changed since the sha256 given was read, or the directory changed while applying (the file was put back)' },
    },
  });
  docs.add({ method: 'delete', path: '/v1/policy/rules', summary: 'Remove a stored policy rule', tag: pol, body: ruleBodySchema, responses: { 200: { description: 'Removed' }, 400: { description: 'Invalid rule' }, ...denied, 404: { description: 'No such stored rule' } } });

  const caller = 'Caller';
  docs.family({ tag: caller, security, error, description: 'Who the credential is, and what it may do.' });
  docs.add({
    method: 'get',
    path: '/v1/me',
    summary: 'The caller: user, token scope, roles held there, and the permissions asked about',
    description:
      "Each `permission` is asked of Casbin with the caller's own scope as target (project_id, domain_id, user_id): a client shows only what the user may do; every request is still decided by its family.",
    tag: caller,
    query: meQuerySchema,
    responses: { 200: { description: 'The caller', schema: meSchema }, 400: { description: 'A permission name that is not one' } },
  });

  const locks = 'Locks';
  docs.family({ tag: locks, security, error, description: 'The locks of the three lock families (Manila, Traffic Ops, route locks) in one list.' });
  docs.add({
    method: 'get',
    path: '/v1/locks',
    summary: 'Every lock the caller may see, from all three lock families, with whether the caller may release it',
    description:
      "Each family's visibility applies: Manila locks as a list with all_projects shows them to the caller, Traffic Ops locks to CDN:READ holders, route locks per `route-locks:list`. Release through the family's own API.",
    tag: locks,
    query: lockListQuerySchema,
    responses: { 200: { description: 'The locks', schema: lockListSchema }, 400: { description: 'An unknown filter or family' } },
  });

  const log = 'Decision log';
  docs.family({ tag: log, security, error, description: 'The last N decisions and permission checks, with what was asked, the facts and the answer.' });
  docs.add({ method: 'get', path: '/v1/decisions', summary: 'Recorded decisions, newest first (needs decisions:read)', tag: log, query: decisionListQuerySchema, responses: { 200: { description: 'A page of decisions; next_token for the next page', schema: decisionListSchema }, 400: { description: 'Invalid filter, limit or page_token' }, ...denied } });

  const backup = 'Backup';
  docs.family({ tag: backup, security, error, description: 'The directory, roles, grants, resources, locks and stored rules as one document (no credentials).' });
  const report = z.object({ sections: z.record(z.string(), z.object({ created: z.number().int(), kept: z.number().int() })), conflicts: z.array(z.string()) });
  docs.add({ method: 'get', path: '/v1/export', summary: 'Export everything decisions depend on (needs backup:export)', tag: backup, responses: { 200: { description: 'The export document', schema: exportDocumentSchema }, ...denied } });
  docs.add({ method: 'post', path: '/v1/import', summary: 'Import (merge) an export document or part of one (needs backup:import)', tag: backup, body: exportDocumentSchema, responses: { 200: { description: 'Records created and kept, by section; records refused for a name clash', schema: report }, 400: { description: 'Not an export document' }, ...denied } });
}
