/** OpenAPI entries for the Portcullis family, from the same schemas the routes validate with. */
import { z } from 'zod';
import type { ApiDocs } from '../shared/openapi.js';
import {
  actionSearchSchema,
  decisionListQuerySchema,
  decisionListSchema,
  decisionSchema,
  evaluationSchema,
  impactBodySchema,
  impactSchema,
  evaluationsSchema,
  resourceBodySchema,
  resourceListQuerySchema,
  resourceSearchSchema,
  ruleBodySchema,
  subjectSearchSchema,
} from './schemas.js';

const error = z.object({ error: z.object({ code: z.number(), message: z.string() }) });
const errors = {
  400: { description: 'Invalid request', schema: error },
  401: { description: 'Missing or invalid credential', schema: error },
  403: { description: 'Caller may not use this endpoint', schema: error },
};

export function documentPortcullis(docs: ApiDocs): void {
  const tag = 'AuthZEN';
  docs.add({ method: 'post', path: '/access/v1/evaluation', summary: 'Access evaluation', tag, body: evaluationSchema, responses: { 200: { description: 'Decision with explanation in context', schema: decisionSchema }, ...errors } });
  docs.add({ method: 'post', path: '/access/v1/evaluations', summary: 'Batch access evaluations', tag, body: evaluationsSchema, responses: { 200: { description: 'Decisions in request order' }, ...errors } });
  docs.add({ method: 'post', path: '/access/v1/search/subject', summary: 'Subjects that may act on a resource', tag, body: subjectSearchSchema, responses: { 200: { description: 'Matching subjects' }, ...errors } });
  docs.add({ method: 'post', path: '/access/v1/search/resource', summary: 'Resources a subject may act on', tag, body: resourceSearchSchema, responses: { 200: { description: 'Matching resources' }, ...errors } });
  docs.add({ method: 'post', path: '/access/v1/search/action', summary: 'Actions a subject may take on a resource', tag, body: actionSearchSchema, responses: { 200: { description: 'Allowed actions' }, ...errors } });
  docs.add({ method: 'get', path: '/.well-known/authzen-configuration', summary: 'AuthZEN PDP metadata', tag, responses: { 200: { description: 'Endpoints' } } });
  const reg = 'Registry';
  docs.add({ method: 'put', path: '/v1/resources/{type}/{id}', summary: 'Register or replace a resource', tag: reg, body: resourceBodySchema, responses: { 200: { description: 'Replaced' }, 201: { description: 'Created' }, ...errors } });
  docs.add({ method: 'get', path: '/v1/resources/{type}/{id}', summary: 'Show a registered resource', tag: reg, responses: { 200: { description: 'The resource' }, 404: { description: 'Not registered', schema: error } } });
  docs.add({ method: 'delete', path: '/v1/resources/{type}/{id}', summary: 'Unregister a resource (and its locks)', tag: reg, responses: { 204: { description: 'Deleted' }, 404: { description: 'Not registered', schema: error } } });
  docs.add({ method: 'get', path: '/v1/resources', summary: 'List registered resources', tag: reg, query: resourceListQuerySchema, responses: { 200: { description: 'A page of resources' }, ...errors } });
  const log = 'Decision log';
  docs.add({ method: 'get', path: '/v1/decisions', summary: 'Recorded decisions, newest first (needs decisions:read)', tag: log, query: decisionListQuerySchema, responses: { 200: { description: 'A page of decisions; next_token for the next page', schema: decisionListSchema }, ...errors } });
  const pol = 'Policy';
  docs.add({ method: 'get', path: '/v1/policy', summary: 'Policy status and rules in force', tag: pol, responses: { 200: { description: 'Status' } } });
  docs.add({ method: 'post', path: '/v1/policy/reload', summary: 'Reload policy files now', tag: pol, responses: { 200: { description: 'Reloaded' }, 400: { description: 'Invalid policy; previous stays in force', schema: error } } });
  docs.add({ method: 'post', path: '/v1/policy/rules', summary: 'Store a policy rule', tag: pol, body: ruleBodySchema, responses: { 201: { description: 'Stored and loaded' }, ...errors } });
  docs.add({ method: 'post', path: '/v1/policy/impact', summary: 'Replay the decision log against a draft of the policy files (needs decisions:replay)', tag: pol, body: impactBodySchema, responses: { 200: { description: 'How many decisions were replayed, and those the draft would flip', schema: impactSchema }, 400: { description: 'The draft does not load (every problem in error.problems), or a bad body', schema: error.extend({ error: error.shape.error.extend({ problems: z.array(z.string()).optional() }) }) }, 401: errors[401], 403: errors[403] } });
  docs.add({ method: 'delete', path: '/v1/policy/rules', summary: 'Remove a stored policy rule', tag: pol, body: ruleBodySchema, responses: { 200: { description: 'Removed' }, 404: { description: 'No such stored rule', schema: error } } });
}
