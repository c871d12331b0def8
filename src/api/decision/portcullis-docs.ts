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
  docs.add({ method: 'delete', path: '/v1/policy/rules', summary: 'Remove a stored policy rule', tag: pol, body: ruleBodySchema, responses: { 200: { description: 'Removed' }, 400: { description: 'Invalid rule' }, ...denied, 404: { description: 'No such stored rule' } } });

  const log = 'Decision log';
  docs.family({ tag: log, security, error, description: 'The last N decisions and permission checks, with what was asked, the facts and the answer.' });
  docs.add({ method: 'get', path: '/v1/decisions', summary: 'Recorded decisions, newest first (needs decisions:read)', tag: log, query: decisionListQuerySchema, responses: { 200: { description: 'A page of decisions; next_token for the next page', schema: decisionListSchema }, 400: { description: 'Invalid filter, limit or page_token' }, ...denied } });

  const backup = 'Backup';
  docs.family({ tag: backup, security, error, description: 'The directory, roles, grants, resources, locks and stored rules as one document (no credentials).' });
  const report = z.object({ sections: z.record(z.string(), z.object({ created: z.number().int(), kept: z.number().int() })), conflicts: z.array(z.string()) });
  docs.add({ method: 'get', path: '/v1/export', summary: 'Export everything decisions depend on (needs backup:export)', tag: backup, responses: { 200: { description: 'The export document', schema: exportDocumentSchema }, ...denied } });
  docs.add({ method: 'post', path: '/v1/import', summary: 'Import (merge) an export document or part of one (needs backup:import)', tag: backup, body: exportDocumentSchema, responses: { 200: { description: 'Records created and kept, by section; records refused for a name clash', schema: report }, 400: { description: 'Not an export document' }, ...denied } });
}
