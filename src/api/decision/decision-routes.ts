/**
 * `GET /v1/decisions`: the decision log, newest first, filtered and paged. Reading it needs the
 * `decisions:read` permission (policies/portcullis.csv: admins only by default).
 */
import type Router from '@koa/router';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import type { RoleFacts } from '../../engine/engine.js';
import type { DecisionCore } from '../../engine/explanation.js';
import { decidedAt, explainRecord, requestOf, type DecisionRecord } from '../../store/decision-log-store.js';
import { parseWith } from '../shared/validation.js';
import { decisionListQuerySchema } from './schemas.js';

const FORBIDDEN = 'You are not authorized to read the decision log.';

export function decisionRoutes(router: Router, app: AppContext): void {
  const { decisionLog, authorizer } = app.services;

  router.get('/decisions', async (ctx) => {
    authorizer.require(principal(ctx), 'decisions:read', FORBIDDEN);
    const q = parseWith(decisionListQuerySchema, ctx.query);
    const page = await decisionLog.list(
      {
        ...(q.subject ? { subject: q.subject } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.resource_type ? { resourceType: q.resource_type } : {}),
        ...(q.resource_id ? { resourceId: q.resource_id } : {}),
        ...(q.decision ? { decision: q.decision } : {}),
        ...(q.since ? { since: Date.parse(q.since) } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.request_id ? { requestId: q.request_id } : {}),
        ...(q.shadow ? { shadow: q.shadow } : {}),
      },
      q.limit,
      q.page_token,
    );
    const describe = app.graph.describeProof.bind(app.graph);
    ctx.body = { decisions: page.decisions.map((r) => renderDecision(r, describe)), next_token: page.nextToken };
  });
}

const effect = (d: DecisionCore) => (d.allowed ? 'allow' : 'deny');

/**
 * A record on the wire: the request, the answer with its explanation (rebuilt from the roles held
 * then; `describe` names roles and groups), and the shadow's answer.
 */
export function renderDecision(r: DecisionRecord, describe: RoleFacts['describeProof']): Record<string, unknown> {
  const d = r.decision;
  const request = requestOf(r);
  const { reason, rolePath } = explainRecord(r, describe);
  return {
    id: r.id,
    at: new Date(decidedAt(r)).toISOString(),
    request_id: r.requestId ?? null,
    kind: r.kind,
    subject: request.subject,
    action: request.action,
    resource: request.resource,
    ...(request.context ? { context: request.context } : {}),
    decision: effect(d),
    reason,
    policy: d.policy ?? null,
    ...(rolePath ? { role_path: rolePath } : {}),
    relations: d.facts,
    locks: d.blockingLocks.map((l) => ({ id: l.id, kind: l.kind, holder: l.holder, policy: l.policy })),
    scope: r.kind === 'resource' ? r.question.resource.scope : r.question.scope,
    ...(r.shadow
      ? { shadow: { decision: effect(r.shadow), reason: explainRecord(r, describe, r.shadow).reason, policy: r.shadow.policy ?? null, agrees: r.shadow.allowed === d.allowed } }
      : {}),
  };
}
