/**
 * What the identity services need, passed explicitly (docs/architecture.md, Habits), and the helpers
 * every one of them uses: the policy guard, load-or-404 lookups and 409 on a unique-key clash.
 */
import type { Principal } from '../../auth/principal.js';
import type { RoleGraph } from '../../engine/role-graph.js';
import type { Decision } from '../../engine/engine.js';
import type { Domain, Group, Project, User } from '../../store/directory-store.js';
import type { Role } from '../../store/role-store.js';
import type { Stores } from '../../store/stores.js';
import type { PasswordService } from '../auth/password-service.js';
import type { TokenService } from '../auth/token-service.js';
import type { Authorizer } from '../authorizer.js';
import { conflictAt } from './directory-messages.js';
import { denied, missing } from './messages.js';
import { DuplicateError } from '../../store/store-errors.js';

export interface IdentityDeps {
  readonly stores: Stores;
  readonly graph: RoleGraph;
  readonly authorizer: Authorizer;
  readonly passwords: PasswordService;
  readonly tokens: TokenService;
}

/** Target attributes passed to p2 conditions as r2.obj (null becomes '' so conditions stay simple). */
export type PolicyTarget = Record<string, string | boolean>;

/** Asks the engine for `identity:<action>`; 403 with Keystone's message when it says no. */
export function guard(deps: IdentityDeps, caller: Principal, action: string, target: PolicyTarget = {}): Decision {
  return deps.authorizer.require(caller, `identity:${action}`, denied(action), target);
}

/** Load-or-404 for each directory and role entity, with Keystone's messages. */
export class Lookups {
  constructor(private readonly stores: Stores) {}

  async role(id: string): Promise<Role> {
    return found(await this.stores.roles.get(id), 'role', id);
  }
  async user(id: string): Promise<User> {
    return found(await this.stores.directory.users.get(id), 'user', id);
  }
  async group(id: string): Promise<Group> {
    return found(await this.stores.directory.groups.get(id), 'group', id);
  }
  async project(id: string): Promise<Project> {
    return found(await this.stores.directory.projects.get(id), 'project', id);
  }
  async domain(id: string): Promise<Domain> {
    return found(await this.stores.directory.domains.get(id), 'domain', id);
  }
}

function found<T>(value: T | undefined, kind: Parameters<typeof missing>[0], id: string): T {
  if (value === undefined) throw missing(kind, id);
  return value;
}

/** Runs a store write, turning a unique-constraint refusal into Keystone's 409. */
export async function storeOrConflict(
  write: () => Promise<unknown>,
  kind: string,
  name: string,
  domainId?: string,
): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (err instanceof DuplicateError) throw conflictAt(kind, name, domainId);
    throw err;
  }
}

/**
 * Referential integrity across replicas without transactions. A write that references records
 * (a grant's role, actor and target; a membership's group and user; a rule's two roles) is
 * stored first and its references are looked up after; deleting a record deletes it first and
 * removes what references it after. So either the look-up sees the deletion, and the write is
 * undone with the look-up's 404, or the deletion's clean-up sees the write and removes it:
 * nothing is left referencing a record another replica deleted meanwhile.
 */
export async function referencesHold(lookups: readonly (() => Promise<unknown>)[], undo: () => Promise<unknown>): Promise<void> {
  try {
    await Promise.all(lookups.map((look) => look()));
  } catch (err) {
    await undo();
    throw err;
  }
}
