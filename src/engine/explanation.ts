/**
 * How a decision explains itself: its reason sentence and role path, derived from the parts the
 * engine decided (the verdict, the deciding row, the relations, the blocking locks) and the
 * subject's roles. The engine explains every answer with these; the decision log keeps only the
 * parts and explains a record the same way when it is read, so a kept decision retains no strings.
 */
import type { Decision, PermissionQuestion, ResourceQuestion, RoleFacts } from './engine.js';
import type { EffectiveRoles } from './role-graph.js';

/** What a decision is, without its explanation. */
export type DecisionCore = Pick<Decision, 'allowed' | 'policy' | 'facts' | 'blockingLocks'>;

/**
 * Just the core of an answer (a whole Decision is one too): what a stored record keeps; its
 * explanation strings are rebuilt on reading (explainRecord), and the citation, relations and
 * locks are shared objects already.
 */
export function coreOf(d: DecisionCore): DecisionCore {
  return { allowed: d.allowed, policy: d.policy, facts: d.facts, blockingLocks: d.blockingLocks };
}

/** The deciding row's effect column (rule = [ptype, subject, ..., effect]). */
const effectOf = (core: DecisionCore) => core.policy?.rule[4];

/** How the subject holds the role the deciding row names (`role:<name>`), when a row allowed. */
export function rolePathOf(
  core: DecisionCore,
  userId: string,
  roles: EffectiveRoles,
  describe: RoleFacts['describeProof'],
): string | undefined {
  const subject = core.policy?.rule[1];
  if (effectOf(core) !== 'allow' || !subject?.startsWith('role:')) return undefined;
  return rolePathThrough(subject.slice(5), userId, roles, describe);
}

/** How the subject holds `role` (a role name, without `role:`), when it does. */
export function rolePathThrough(role: string, userId: string, roles: EffectiveRoles, describe: RoleFacts['describeProof']): string | undefined {
  const proof = roles.get(role);
  return proof ? describe(userId, proof) : undefined;
}

export function resourceReason(q: Pick<ResourceQuestion, 'action' | 'resource'>, core: DecisionCore, rolePath: string | undefined): string {
  if (!core.allowed && effectOf(core) === 'deny') return `denied by ${core.policy!.source}`;
  if (core.blockingLocks.length) return `${q.action} is locked by ${core.blockingLocks.map((l) => l.id).join(', ')}`;
  if (core.allowed) return `allowed by ${core.policy!.source}${rolePath ? ` (${rolePath})` : ''}`;
  return `no policy allows ${q.action} on ${q.resource.type} for this subject`;
}

export function permissionReason(q: Pick<PermissionQuestion, 'permission'>, core: DecisionCore): string {
  if (core.allowed) return `allowed by ${core.policy!.source}`;
  return effectOf(core) === 'deny' ? `denied by ${core.policy!.source}` : `no policy grants ${q.permission}`;
}
