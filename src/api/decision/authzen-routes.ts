/**
 * OpenID AuthZEN Authorization API 1.0: evaluation, batch evaluations (all three
 * evaluations_semantic options), subject/resource/action search, and discovery metadata.
 * Subjects are the app's own ids (domain/subjects.ts). A single evaluation's response `context`
 * carries Portcullis' explanation; batch items carry only their decision (the interop harness
 * compares them exactly) unless `options.explain` asks for it, or the item itself failed.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { badRequest, forbidden, isAppError } from '../../errors.js';
import type { EvaluationResult, ResourceRef } from '../../domain/decision-service.js';
import type { ResolvedSubject, SubjectRef } from '../../domain/subjects.js';
import { baseUrl } from '../shared/base-url.js';
import { requestLog, requestLogAt } from '../shared/request-log.js';
import { honourConsistency } from './consistency.js';
import { parseWith } from '../shared/validation.js';
import type { MaybePromise } from '../../maybe-promise.js';
import {
  actionSearchSchema,
  evaluationSchema,
  evaluationsSchema,
  parseEvaluation,
  plainEvaluation,
  type EvaluationBody,
  type PlainEvaluationBody,
  resourceSearchSchema,
  subjectSearchSchema,
} from './schemas.js';

const DENY_MESSAGE = 'You are not authorized to query decisions for this subject.';

type Attributes = Readonly<Record<string, unknown>>;
interface EntityIn {
  readonly type?: string | undefined;
  readonly id?: string | number | undefined;
  readonly properties?: Attributes | undefined;
  readonly [field: string]: unknown;
}
interface ActionIn {
  readonly name?: string | undefined;
  readonly properties?: Attributes | undefined;
  readonly [field: string]: unknown;
}
/** An entity or action as decided: properties absent or undefined when there are none (a plain body's own objects). */
interface Entity {
  readonly type: string;
  readonly id: string;
  readonly properties?: Attributes | undefined;
}
interface Action {
  readonly name: string;
  readonly properties?: Attributes | undefined;
}

/**
 * Properties, with any fields beside the named ones (`a`, and `b` when given) folded in under them
 * (pre-1.0 drafts). The names are compared one by one, not looked up in a list: this runs for
 * every entity of every evaluation, and `Array.prototype.includes` is a builtin call per key.
 */
function propertiesOf(e: EntityIn | ActionIn, a: string, b?: string): Attributes | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const k in e) {
    const v = e[k];
    if (v === undefined || k === 'properties' || k === a || k === b) continue;
    (extra ??= {})[k] = v;
  }
  if (!extra) return e.properties;
  return { ...extra, ...e.properties };
}

// Entities and actions made from a body that is not plain have every field, undefined when absent
// (one object shape per kind; see decision-service.ts).
function entity(e: EntityIn & { type: string; id: string | number }): Entity {
  return { type: e.type, id: String(e.id), properties: propertiesOf(e, 'type', 'id') };
}

function action(a: ActionIn & { name: string }): Action {
  return { name: a.name, properties: propertiesOf(a, 'name') };
}

/**
 * A batch item's entity: the item's replaces the request's whole, except that a required field
 * the item leaves out comes from the request's (AuthZEN 1.0 §7.1, certification 3.2.7).
 */
function merged<T extends object>(top: T | undefined, item: T | undefined, required: readonly (keyof T)[]): Partial<T> | undefined {
  if (!item) return top;
  if (!top) return item;
  const out: Partial<T> = { ...item };
  for (const field of required) if (out[field] === undefined) out[field] = top[field];
  return out;
}

/** The request a search page token is bound to: the body without `page`. */
function withoutPage<T extends { page?: unknown }>(body: T): Omit<T, 'page'> {
  const { page: _page, ...rest } = body;
  return rest;
}

/** `{results}`, with `page` when the request paged or more results remain (certification 4.5). */
function searchAnswer<T>(results: T[], nextToken: string | undefined, asked: unknown) {
  if (asked === undefined && nextToken === undefined) return { results };
  return { results, page: { next_token: nextToken ?? '', count: results.length } };
}

/**
 * AuthZEN requests are JSON: any other Content-Type is a 400 (certification 2.4.3). The header
 * as nearly every client sends it is accepted without parsing it (type-is costs a few µs).
 * Checked inside each route's handler rather than as a router middleware: a middleware layer is
 * one more path match and one more composed step on every evaluation.
 */
function requireJson(ctx: Context): void {
  // Node's own header (names arrive lowercased), not ctx.get(), which lowercases its argument per call.
  const type = ctx.req.headers['content-type'];
  if (type !== 'application/json' && !ctx.request.is('json')) {
    throw badRequest(`Content-Type must be application/json, got ${type || 'none'}`);
  }
}

/** A POST handler that first requires a JSON body (requireJson). */
function json<T>(handler: (ctx: Context) => T): (ctx: Context) => T {
  return (ctx) => {
    requireJson(ctx);
    return handler(ctx);
  };
}

export function authzenRoutes(router: Router, app: AppContext): void {
  const { decisions, search, authorizer, subjects } = app.services;

  /**
   * Admins and services may ask about anyone; a user may ask about themselves. The target is
   * named as one entry (`subject_id`), so its decision log record does not walk it.
   */
  const mayAsk = (ctx: Context, subjectId: string | undefined, permission = 'authzen:evaluate') =>
    authorizer.require(principal(ctx), permission, DENY_MESSAGE, { subject_id: subjectId ?? '' }, undefined, 'subject_id');

  /**
   * A failed subject lookup, as this caller sees it. One who may not ask about anyone learns
   * nothing from it (a name held in two domains): it gets the 403 it would get anyway.
   */
  const hideFailure = (ctx: Context, permission: string, err: unknown): never => {
    if (isAppError(err) && err.kind === 'bad_request' && !authorizer.check(principal(ctx), permission, { subject_id: '' }).allowed) {
      throw forbidden(DENY_MESSAGE);
    }
    throw err;
  };

  /**
   * Resolves a subject for this caller (`resolve`: a batch's per-request lookup; the directory's
   * otherwise). No closure is made unless the lookup is asynchronous: this runs on every evaluation.
   */
  const resolveFor = (
    ctx: Context,
    ref: SubjectRef,
    permission = 'authzen:evaluate',
    resolve?: (ref: SubjectRef) => MaybePromise<ResolvedSubject>,
  ): MaybePromise<ResolvedSubject> => {
    let subject: MaybePromise<ResolvedSubject>;
    try {
      subject = resolve ? resolve(ref) : subjects.resolve(ref);
    } catch (err) {
      return hideFailure(ctx, permission, err);
    }
    return subject instanceof Promise ? subject.catch((err: unknown) => hideFailure(ctx, permission, err)) : subject;
  };

  const decide = (ctx: Context, subject: ResolvedSubject, act: Action, resource: ResourceRef, context: Attributes | undefined) =>
    decisions.evaluate({
      subjectId: subject.userId,
      subject,
      action: act.name,
      actionProperties: act.properties,
      resource,
      context,
      requestId: ctx.state.requestId as string | undefined,
    }, requestLogAt(ctx, 'info'));

  /** Writes a single evaluation's answer, with its explanation. */
  const answer = (ctx: Context, result: EvaluationResult): void => {
    ctx.body = { decision: result.allowed, context: explain(result) };
  };

  /** Decides a single evaluation once its subject is resolved. */
  const evaluateFor = (ctx: Context, subject: ResolvedSubject, act: Action, resource: Entity, context: Attributes | undefined): MaybePromise<void> => {
    mayAsk(ctx, subject.userId);
    const result = decide(ctx, subject, act, resource, context);
    return result instanceof Promise ? result.then((r) => answer(ctx, r)) : answer(ctx, result);
  };

  /**
   * A single evaluation, answered with its explanation. Without an async turn, and without a
   * closure, when the subject and the resource are read from memory (the usual case).
   */
  const evaluateEntities = (ctx: Context, subjectRef: Entity, act: Action, resource: Entity, context: Attributes | undefined): MaybePromise<void> => {
    const subject = resolveFor(ctx, subjectRef);
    return subject instanceof Promise
      ? subject.then((s) => evaluateFor(ctx, s, act, resource, context))
      : evaluateFor(ctx, subject, act, resource, context);
  };

  const evaluateOne = (ctx: Context, body: EvaluationBody): MaybePromise<void> =>
    evaluateEntities(ctx, entity(body.subject), action(body.action), entity(body.resource), body.context);

  /**
   * The body nearly every client sends (plainEvaluation) has no properties to fold in and no
   * context, so no consistency to honour: its own subject, action and resource objects are decided
   * as they are (plainEvaluation vetted them: string ids, no other field), without propertiesOf's
   * key walk over each of the three (with the bound resolve in subjects.ts, ~300 instructions and
   * ~30 first-level instruction-cache misses less an evaluation, callgrind in process at M) and
   * without a copy of each (~136 bytes an evaluation, `evaluation-instructions.ts --alloc`).
   */
  const evaluatePlain = (ctx: Context, body: PlainEvaluationBody): MaybePromise<void> =>
    evaluateEntities(ctx, body.subject, body.action, body.resource, undefined);

  router.post('/evaluation', json((ctx) => {
    const plain = plainEvaluation(ctx.request.body);
    if (plain) return evaluatePlain(ctx, plain);
    // Not plain: zod's parse, without parseEvaluation's second look for the plain shape.
    const body = parseWith(evaluationSchema, ctx.request.body);
    const caughtUp = honourConsistency(app, body.context);
    return caughtUp ? caughtUp.then(() => evaluateOne(ctx, body)) : evaluateOne(ctx, body);
  }));

  router.post('/evaluations', json(async (ctx) => {
    const body = parseWith(evaluationsSchema, ctx.request.body);
    await honourConsistency(app, body.context, ...(body.evaluations ?? []).map((e) => e.context));
    if (!body.evaluations?.length) {
      // Without items it answers as a single evaluation (AuthZEN 1.0 §7.1).
      await evaluateOne(ctx, parseEvaluation({ subject: body.subject, action: body.action, resource: body.resource, context: body.context }));
      return;
    }
    const resolve = subjects.forRequest();
    // Every item is completed and its subject resolved before anything is decided, so the caller's
    // permission is checked for all of them first. An item that cannot be completed is a deny
    // with the error in its context (certification 3.4.1); the others are still answered.
    const prepared = await Promise.all(
      body.evaluations.map(async (item, i) => {
        const s = merged<EntityIn>(body.subject, item.subject, ['type', 'id']);
        const a = merged<ActionIn>(body.action, item.action, ['name']);
        const r = merged<EntityIn>(body.resource, item.resource, ['type', 'id']);
        const missing = [
          !s && 'subject',
          s && s.type === undefined && 'subject.type',
          s && s.id === undefined && 'subject.id',
          !a && 'action',
          a && a.name === undefined && 'action.name',
          !r && 'resource',
          r && r.type === undefined && 'resource.type',
          r && r.id === undefined && 'resource.id',
        ].filter(Boolean);
        if (missing.length) {
          return { error: `evaluations[${i}] has no ${missing.join(', ')}, and the request gives no default` };
        }
        try {
          const subject = await resolveFor(ctx, entity(s as EntityIn & { type: string; id: string }), 'authzen:evaluate', resolve);
          const act = action(a as ActionIn & { name: string });
          const resource = entity(r as EntityIn & { type: string; id: string });
          return { subject, act, resource, context: item.context ?? body.context };
        } catch (err) {
          if (isAppError(err) && err.kind === 'bad_request') return { error: `evaluations[${i}]: ${err.message}` };
          throw err;
        }
      }),
    );
    // One permission check per distinct subject: the answer depends only on the subject id.
    for (const userId of new Set(prepared.flatMap((p) => ('subject' in p && p.subject ? [p.subject.userId] : [])))) {
      mayAsk(ctx, userId);
    }
    const semantic = body.options?.evaluations_semantic ?? 'execute_all';
    const withExplanation = body.options?.explain === true;
    const results = [];
    for (const p of prepared) {
      let answer: { decision: boolean; context?: Record<string, unknown> };
      if ('error' in p && p.error) answer = { decision: false, context: { error: { status: 400, message: p.error } } };
      else {
        const ok = p as Exclude<typeof p, { error: string }>;
        const pending = decide(ctx, ok.subject, ok.act, ok.resource, ok.context);
        const result = pending instanceof Promise ? await pending : pending; // no async turn per item when answered at once
        answer = withExplanation ? { decision: result.allowed, context: explain(result) } : { decision: result.allowed };
      }
      results.push(answer);
      if (semantic === 'deny_on_first_deny' && !answer.decision) break;
      if (semantic === 'permit_on_first_permit' && answer.decision) break;
    }
    ctx.body = { evaluations: results };
  }));

  router.post('/search/subject', json(async (ctx) => {
    const body = parseWith(subjectSearchSchema, ctx.request.body);
    await honourConsistency(app, body.context);
    mayAsk(ctx, undefined, 'authzen:search');
    const properties = propertiesOf(body.subject, 'type');
    const page = await search.subjects(
      {
        subject: { type: body.subject.type, ...(properties ? { properties } : {}) },
        action: action(body.action),
        resource: entity(body.resource),
        ...(body.context ? { context: body.context } : {}),
      },
      { limit: body.page?.limit ?? 50, ...(body.page?.token ? { token: body.page.token } : {}) },
      withoutPage(body),
      requestLog(ctx),
    );
    const results = page.results.map((id) => ({ type: body.subject.type, id }));
    ctx.body = searchAnswer(results, page.nextToken, body.page);
  }));

  /**
   * The subject a resource or action search is about, once the caller may search for it;
   * undefined for a type that names no users (such a search finds nothing, certification 4.6).
   */
  const searchedSubject = async (ctx: Context, ref: SubjectRef): Promise<ResolvedSubject | undefined> => {
    if (!subjects.knows(ref.type)) {
      mayAsk(ctx, ref.id, 'authzen:search');
      return undefined;
    }
    const subject = await resolveFor(ctx, ref, 'authzen:search');
    mayAsk(ctx, subject.userId, 'authzen:search');
    return subject;
  };

  router.post('/search/resource', json(async (ctx) => {
    const body = parseWith(resourceSearchSchema, ctx.request.body);
    await honourConsistency(app, body.context);
    const subject = await searchedSubject(ctx, entity(body.subject));
    if (!subject) {
      ctx.body = searchAnswer([], undefined, body.page);
      return;
    }
    const page = await search.resources(
      { subject, action: action(body.action), resource: { type: body.resource.type }, ...(body.context ? { context: body.context } : {}) },
      { limit: body.page?.limit ?? 50, ...(body.page?.token ? { token: body.page.token } : {}) },
      withoutPage(body),
      requestLog(ctx),
    );
    const results = page.results.map((id) => ({ type: body.resource.type, id }));
    ctx.body = searchAnswer(results, page.nextToken, body.page);
  }));

  router.post('/search/action', json(async (ctx) => {
    const body = parseWith(actionSearchSchema, ctx.request.body);
    await honourConsistency(app, body.context);
    const subject = await searchedSubject(ctx, entity(body.subject));
    const names = subject
      ? await search.actions({ subject, resource: entity(body.resource), ...(body.context ? { context: body.context } : {}) }, requestLog(ctx))
      : [];
    ctx.body = searchAnswer(names.map((name) => ({ name })), undefined, body.page);
  }));
}

const NO_LOCKS: readonly unknown[] = Object.freeze([]);

/** The explanation placed in an AuthZEN response `context`. */
export function explain(r: EvaluationResult): Record<string, unknown> {
  // One literal in wire order, a field that does not apply left undefined (JSON.stringify leaves
  // it out, so the JSON is the same): this runs once per decision, and fields added one by one
  // grew its out-of-line property store three times, with a map transition per field (167 -> ~88
  // bytes an evaluation by the sampling heap profiler, `evaluation-instructions.ts --alloc`).
  // The citation is the engine's own frozen `{source, rule}`, shared by every decision citing the row.
  return {
    reason: r.reason,
    decision_id: r.decisionId || undefined,
    policy: r.policy || undefined,
    role_path: r.rolePath || undefined,
    relations: r.facts,
    locks: r.blockingLocks.length ? wireLocks(r.blockingLocks) : NO_LOCKS,
    scope: r.scope,
    registered: r.registered,
  };
}

/** The blocking locks as the response names them (a loop: no closure made per blocked decision). */
function wireLocks(locks: EvaluationResult['blockingLocks']): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < locks.length; i++) {
    const l = locks[i]!;
    out.push({ id: l.id, kind: l.kind, holder: l.holder, policy: l.policy });
  }
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
