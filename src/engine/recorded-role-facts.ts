/**
 * Role facts from a decision's record instead of the live role graph, so a replay (the impact of
 * a draft) decides on the roles and groups the subject had when the decision was made, not on
 * data that changed since. One question at a time: `use()` the record's facts, then ask.
 */
import type { HeldRoles, RoleFacts } from './engine.js';
import type { RoleProof } from './role-graph.js';
import type { ScopeKey } from './scope.js';

type Recorded = Pick<HeldRoles, 'roles' | 'groups'>;

const NOTHING: Recorded = { roles: new Map(), groups: new Set() };

export class RecordedRoleFacts implements RoleFacts {
  private recorded: Recorded = NOTHING;

  /** `names` describes role paths (role and group names), as the live graph would. */
  constructor(private readonly names: Pick<RoleFacts, 'describeProof'>) {}

  /** The facts the next questions are answered on. */
  use(held: Recorded): void {
    this.recorded = held;
  }

  held(userId: string, scope: ScopeKey): HeldRoles {
    return { userId, scope, roles: this.recorded.roles, groups: this.recorded.groups };
  }

  isMember(_userId: string, groupId: string): boolean {
    return this.recorded.groups.has(groupId);
  }

  describeProof(userId: string, proof: RoleProof): string {
    return this.names.describeProof(userId, proof);
  }
}
