/**
 * The `POST /v3/auth/tokens` body, as keystone/auth/schema.py `token_issue` (additional properties
 * allowed), plus its "id or name must be present" checks, turned into the domain's AuthRequest.
 */
import { z } from 'zod';
import type { AuthRequest, NameOrId, ScopeRequest } from '../../domain/identity/token-auth-service.js';
import { badRequest } from '../../errors.js';
import { expecting } from '../../domain/identity/messages.js';

const nameOrId = z.object({ id: z.string().optional(), name: z.string().optional() }).loose();

const scope = z.union([
  z.string(),
  z
    .object({
      project: nameOrId.extend({ domain: nameOrId.optional() }).optional(),
      domain: nameOrId.optional(),
      system: z.object({ all: z.boolean().optional() }).loose().optional(),
      unscoped: z.object({}).loose().optional(),
    })
    .loose(),
]);

export const authTokensBody = z
  .object({
    auth: z
      .object({
        identity: z
          .object({
            methods: z.array(z.string()),
            password: z
              .object({
                user: nameOrId.extend({ password: z.string().max(4096).optional(), domain: nameOrId.optional() }),
              })
              .loose()
              .optional(),
            token: z.object({ id: z.string() }).loose().optional(),
          })
          .loose(),
        scope: scope.optional(),
      })
      .loose(),
  })
  .loose();

type Body = z.infer<typeof authTokensBody>;

/** The domain's request, after Keystone's extra checks (400 with its messages). */
export function toAuthRequest(body: Body): AuthRequest {
  const { identity } = body.auth;
  const user = identity.password?.user;
  if (user) {
    needIdOrName(user, 'identity/password/user');
    if (user.domain) needIdOrName(user.domain, 'identity/password/user/domain');
  }
  return {
    methods: identity.methods,
    ...(identity.password && user
      ? { password: { user: pick(user, user.domain), password: user.password ?? '' } }
      : {}),
    ...(identity.token ? { token: { id: identity.token.id } } : {}),
    scope: toScope(body.auth.scope),
  };
}

function toScope(s: Body['auth']['scope']): ScopeRequest {
  if (s === undefined) return { kind: 'default' };
  if (typeof s === 'string') {
    if (s === 'unscoped') return { kind: 'unscoped' };
    throw badRequest(`Invalid input for field 'scope': '${s}' is not of type 'object'`);
  }
  const given = (['project', 'domain', 'system'] as const).filter((k) => s[k] !== undefined);
  if (given.length > 1) throw badRequest(expecting('project, domain, OS-TRUST:trust or system', 'scope'));
  if (s.project) {
    needIdOrName(s.project, 'scope/project');
    if (s.project.domain) needIdOrName(s.project.domain, 'scope/project/domain');
    return { kind: 'project', project: pick(s.project), ...(s.project.domain ? { domain: pick(s.project.domain) } : {}) };
  }
  if (s.domain) {
    needIdOrName(s.domain, 'scope/domain');
    return { kind: 'domain', domain: pick(s.domain) };
  }
  if (s.system) {
    if (s.system.all !== true) throw badRequest(expecting('all', 'scope/system'));
    return { kind: 'system' };
  }
  return s.unscoped !== undefined ? { kind: 'unscoped' } : { kind: 'default' };
}

function needIdOrName(o: NameOrId, field: string): void {
  if (o.id === undefined && o.name === undefined) {
    throw badRequest(`Invalid input for field ${field}: id or name must be present.`);
  }
}

function pick(o: NameOrId, domain?: NameOrId): NameOrId & { domain?: NameOrId } {
  return {
    ...(o.id !== undefined ? { id: o.id } : {}),
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(domain ? { domain: pick(domain) } : {}),
  };
}
