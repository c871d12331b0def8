/**
 * OpenID AuthZEN Authorization API 1.0: evaluation, batch evaluations (all three
 * evaluations_semantic options), subject/resource/action search, and discovery metadata.
 * The response `context` carries Portcullis' explanation of each decision.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { badRequest } from '../../errors.js';
import type { EvaluationResult } from '../../domain/decision-service.js';
import { baseUrl } from '../shared/base-url.js';
import { parseWith } from '../shared/validation.js';
import {
  actionSearchSchema,
  evaluationSchema,
  evaluationsSchema,
  resourceSearchSchema,
  subjectSearchSchema,
} from './schemas.js';
import type { z } from 'zod';

const DENY_MESSAGE = 'You are not authorized to query decisions for this subject.';
type Entity = z.output<typeof evaluationSchema>['subject'];
type Action = z.output<typeof evaluationSchema>['action'];

export function authzenRoutes(router: Router, app: AppContext): void {
  const { decisions, search, authorizer } = app.services;

  /** Admins and services may ask about anyone; a user may ask about themselves. */
  const mayAsk = (ctx: Context, subjectId: string | undefined, permission = 'authzen:evaluate') =>
    authorizer.require(principal(ctx), permission, DENY_MESSAGE, { subject_id: subjectId ?? '' });

  const evaluate = async (ctx: Context, subject: Entity, action: Action, resource: Entity, context: Record<string, unknown> | undefined) => {
    if (subject.type !== 'user') {
      return { decision: false, context: { reason: `subject type '${subject.type}' is not supported; use 'user'` } };
    }
    const result = await decisions.evaluate({
      subjectId: subject.id,
      action: action.name,
      resource: { type: resource.type, id: resource.id, ...(resource.properties ? { properties: resource.properties } : {}) },
      request: { subject, action, resource, context },
      requestId: ctx.state.requestId as string | undefined,
    });
    return { decision: result.allowed, context: explain(result) };
  };

  router.post('/evaluation', async (ctx) => {
    const body = parseWith(evaluationSchema, ctx.request.body);
    mayAsk(ctx, body.subject.id);
    ctx.body = await evaluate(ctx, body.subject, body.action, body.resource, body.context);
  });

  router.post('/evaluations', async (ctx) => {
    const body = parseWith(evaluationsSchema, ctx.request.body);
    const items = body.evaluations?.length ? body.evaluations : [{}];
    const resolved = items.map((item, i) => {
      const subject = item.subject ?? body.subject;
      const action = item.action ?? body.action;
      const resource = item.resource ?? body.resource;
      const context = item.context ?? body.context;
      if (!subject || !action || !resource) {
        const missing = [!subject && 'subject', !action && 'action', !resource && 'resource'].filter(Boolean).join(', ');
        return { error: `evaluations[${i}] has no ${missing} and the request gives no default` };
      }
      return { subject, action, resource, context };
    });
    for (const r of resolved) if ('error' in r) throw badRequest(r.error!);
    const checked = resolved as { subject: Entity; action: Action; resource: Entity; context?: Record<string, unknown> }[];
    // One permission check per distinct subject: the answer depends only on the subject id.
    for (const subjectId of new Set(checked.map((r) => r.subject.id))) mayAsk(ctx, subjectId);
    if (!body.evaluations?.length) {
      ctx.body = await evaluate(ctx, checked[0]!.subject, checked[0]!.action, checked[0]!.resource, checked[0]!.context);
      return;
    }
    const semantic = body.options?.evaluations_semantic ?? 'execute_all';
    const results = [];
    for (const r of checked) {
      const answer = await evaluate(ctx, r.subject, r.action, r.resource, r.context);
      results.push(answer);
      if (semantic === 'deny_on_first_deny' && !answer.decision) break;
      if (semantic === 'permit_on_first_permit' && answer.decision) break;
    }
    ctx.body = { evaluations: results };
  });

  router.post('/search/subject', async (ctx) => {
    const body = parseWith(subjectSearchSchema, ctx.request.body);
    mayAsk(ctx, undefined, 'authzen:search');
    if (body.subject.type !== 'user') {
      ctx.body = { results: [], page: {} };
      return;
    }
    const page = await search.subjects(
      body.action.name,
      { type: body.resource.type, id: body.resource.id, ...(body.resource.properties ? { properties: body.resource.properties } : {}) },
      body.page?.limit ?? 50,
      body.page?.token,
    );
    ctx.body = {
      results: page.results.map((id) => ({ type: 'user', id })),
      page: { next_token: page.nextToken ?? '', count: page.results.length },
    };
  });

  router.post('/search/resource', async (ctx) => {
    const body = parseWith(resourceSearchSchema, ctx.request.body);
    mayAsk(ctx, body.subject.id, 'authzen:search');
    const page = await search.resources(body.subject.id, body.action.name, body.resource.type, body.page?.limit ?? 50, body.page?.token);
    ctx.body = {
      results: page.results.map((id) => ({ type: body.resource.type, id })),
      page: { next_token: page.nextToken ?? '', count: page.results.length },
    };
  });

  router.post('/search/action', async (ctx) => {
    const body = parseWith(actionSearchSchema, ctx.request.body);
    mayAsk(ctx, body.subject.id, 'authzen:search');
    const names = await search.actions(body.subject.id, {
      type: body.resource.type,
      id: body.resource.id,
      ...(body.resource.properties ? { properties: body.resource.properties } : {}),
    });
    ctx.body = { results: names.map((name) => ({ name })), page: { next_token: '', count: names.length } };
  });
}

/** The explanation placed in an AuthZEN response `context`. */
export function explain(r: EvaluationResult): Record<string, unknown> {
  // Assigned in wire order without spreading temporary objects (this runs once per decision).
  const out: Record<string, unknown> = { reason: r.reason };
  if (r.decisionId) out.decision_id = r.decisionId;
  if (r.policy) out.policy = { source: r.policy.source, rule: r.policy.rule };
  if (r.rolePath) out.role_path = r.rolePath;
  out.relations = r.facts;
  out.locks = r.blockingLocks.length
    ? r.blockingLocks.map((l) => ({ id: l.id, kind: l.kind, holder: l.holder, policy: l.policy }))
    : [];
  out.scope = r.scope;
  out.registered = r.registered;
  return out;
}

/** `/.well-known/authzen-configuration` (AuthZEN 1.0 §Metadata). */
export function wellKnownRoutes(router: Router, app: AppContext): void {
  router.get('/authzen-configuration', (ctx) => {
    const base = baseUrl(ctx, app.config);
    ctx.body = {
      policy_decision_point: base,
      access_evaluation_endpoint: `${base}/access/v1/evaluation`,
      access_evaluations_endpoint: `${base}/access/v1/evaluations`,
      search_subject_endpoint: `${base}/access/v1/search/subject`,
      search_resource_endpoint: `${base}/access/v1/search/resource`,
      search_action_endpoint: `${base}/access/v1/search/action`,
    };
  });
}
