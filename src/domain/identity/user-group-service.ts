/**
 * Users, groups and group membership (docs/compatibility.md §8.1), in Keystone v3 shapes, with the cascades a
 * delete implies: a user's grants, memberships, CDN and route locks and resource ownership go with
 * it; a group's grants and memberships go with it. A membership change reaches decisions at once.
 */
import type { Principal } from '../../auth/principal.js';
import { notFound, unauthorized } from '../../errors.js';
import type { Group, User, UserFilter } from '../../store/directory-store.js';
import { newHexId } from '../ids.js';
import type { LoginContext } from '../auth/password-service.js';
import { guard, Lookups, referencesHold, storeOrConflict, type IdentityDeps } from './deps.js';
import { removeGroup, removeUser } from './removals.js';

export type UserInput = Partial<Omit<User, 'id'>> & {
  /** A new password (hashed, never stored in the user record), or null to remove it. */
  readonly password?: string | null;
};
export type GroupInput = Partial<Omit<Group, 'id'>>;

export class UserGroupService {
  private readonly lookups: Lookups;

  constructor(private readonly deps: IdentityDeps) {
    this.lookups = new Lookups(deps.stores);
  }

  private get users() {
    return this.deps.stores.directory.users;
  }
  private get groups() {
    return this.deps.stores.directory.groups;
  }

  /** Domain of a new entity: the given one, else the caller's domain token, else `default`. */
  private async domainFor(caller: Principal, given: string | undefined): Promise<string> {
    const id = given ?? (caller.scope.type === 'domain' ? caller.scope.id! : 'default');
    return (await this.lookups.domain(id)).id;
  }

  async listUsers(caller: Principal, filter: UserFilter): Promise<User[]> {
    guard(this.deps, caller, 'list_users', { domain_id: filter.domainId ?? '' });
    return this.users.list(filter);
  }

  async createUser(caller: Principal, input: UserInput & { name: string }): Promise<User> {
    const domainId = await this.domainFor(caller, input.domainId);
    guard(this.deps, caller, 'create_user', { domain_id: domainId });
    const { password, ...fields } = input;
    const user: User = { enabled: true, ...fields, id: newHexId(), domainId };
    await storeOrConflict(() => this.users.create(user), 'user', user.name, domainId);
    if (typeof password === 'string') {
      // A user whose password could not be stored is not left behind half-made.
      await this.deps.passwords.set(user.id, password, { revokeTokens: false }).catch(async (err: unknown) => {
        await this.users.delete(user.id).catch(() => undefined);
        throw err;
      });
    }
    return user;
  }

  async getUser(caller: Principal, id: string): Promise<User> {
    const user = await this.lookups.user(id);
    guard(this.deps, caller, 'get_user', { domain_id: user.domainId, user_id: id });
    return user;
  }

  /** A password change and disabling the user both revoke the user's tokens (as Keystone does). */
  async updateUser(caller: Principal, id: string, change: UserInput): Promise<User> {
    const user = await this.lookups.user(id);
    guard(this.deps, caller, 'update_user', { domain_id: user.domainId, user_id: id });
    const { password, extra, ...fields } = change;
    // Extra attributes merge into those kept (Keystone updates `extra` key by key).
    const merged = extra ? { extra: { ...user.extra, ...extra } } : {};
    const next: User = { ...user, ...fields, ...merged, id, domainId: user.domainId };
    await storeOrConflict(() => this.users.update(next), 'user', next.name, next.domainId);
    if (password !== undefined) await this.deps.passwords.set(id, password);
    else if (user.enabled && !next.enabled) await this.deps.passwords.revokeTokensOf(id);
    return next;
  }

  /**
   * `POST /v3/users/{id}/password`: the user changes its own password by giving the current one;
   * no token needed (Keystone's unenforced API). A wrong original password, an unknown user or a
   * throttled attempt is 401; the user's tokens are revoked on success.
   */
  async changeOwnPassword(id: string, original: string, password: string, from: LoginContext): Promise<void> {
    const login = await this.deps.passwords.verify({ userId: id }, original, from);
    if (!login.ok) throw unauthorized('The request you have made requires authentication.');
    await this.deps.passwords.set(id, password);
  }

  async deleteUser(caller: Principal, id: string): Promise<void> {
    const user = await this.lookups.user(id);
    guard(this.deps, caller, 'delete_user', { domain_id: user.domainId, user_id: id });
    if (!(await removeUser(this.deps, id))) throw notFound(`Could not find user: ${id}.`);
  }

  async listGroups(caller: Principal, filter: { name?: string; domainId?: string }): Promise<Group[]> {
    guard(this.deps, caller, 'list_groups', { domain_id: filter.domainId ?? '' });
    return this.groups.list(filter);
  }

  async createGroup(caller: Principal, input: GroupInput & { name: string }): Promise<Group> {
    const domainId = await this.domainFor(caller, input.domainId);
    guard(this.deps, caller, 'create_group', { domain_id: domainId });
    const group: Group = { description: '', ...input, id: newHexId(), domainId };
    await storeOrConflict(() => this.groups.create(group), 'group', group.name, domainId);
    return group;
  }

  async getGroup(caller: Principal, id: string): Promise<Group> {
    const group = await this.lookups.group(id);
    guard(this.deps, caller, 'get_group', { domain_id: group.domainId, group_id: id });
    return group;
  }

  async updateGroup(caller: Principal, id: string, change: GroupInput): Promise<Group> {
    const group = await this.lookups.group(id);
    guard(this.deps, caller, 'update_group', { domain_id: group.domainId, group_id: id });
    const next: Group = { ...group, ...change, id, domainId: group.domainId };
    await storeOrConflict(() => this.groups.update(next), 'group', next.name, next.domainId);
    return next;
  }

  async deleteGroup(caller: Principal, id: string): Promise<void> {
    const group = await this.lookups.group(id);
    guard(this.deps, caller, 'delete_group', { domain_id: group.domainId, group_id: id });
    if (!(await removeGroup(this.deps, id))) throw notFound(`Could not find group: ${id}.`);
  }

  /** `PUT|HEAD|GET|DELETE /v3/groups/{g}/users/{u}`; `verb` picks the policy. */
  async membership(caller: Principal, verb: 'add' | 'check' | 'remove', groupId: string, userId: string): Promise<void> {
    const group = await this.lookups.group(groupId);
    const user = await this.lookups.user(userId);
    const action = { add: 'add_user_to_group', check: 'check_user_in_group', remove: 'remove_user_from_group' }[verb];
    guard(this.deps, caller, action, { domain_id: group.domainId, group_id: groupId, user_domain_id: user.domainId });
    const memberships = this.deps.stores.directory.memberships;
    const notMember = () => notFound(`User '${userId}' not found in group '${groupId}'`);
    if (verb === 'check') {
      if (!(await memberships.has(groupId, userId))) throw notMember();
      return;
    }
    if (verb === 'add') {
      await memberships.add(groupId, userId);
      await referencesHold([() => this.lookups.group(groupId), () => this.lookups.user(userId)], () => memberships.remove(groupId, userId));
    } else if (!(await memberships.remove(groupId, userId))) {
      throw notMember();
    }
  }

  async usersInGroup(caller: Principal, groupId: string): Promise<User[]> {
    const group = await this.lookups.group(groupId);
    guard(this.deps, caller, 'list_users_in_group', { domain_id: group.domainId, group_id: groupId });
    const ids = await this.deps.stores.directory.memberships.usersOf(groupId);
    return present(await Promise.all(ids.map((id) => this.users.get(id))));
  }

  async groupsForUser(caller: Principal, userId: string): Promise<Group[]> {
    const user = await this.lookups.user(userId);
    guard(this.deps, caller, 'list_groups_for_user', { domain_id: user.domainId, user_id: userId });
    const ids = await this.deps.stores.directory.memberships.groupsOf(userId);
    return present(await Promise.all(ids.map((id) => this.groups.get(id))));
  }
}

const present = <T>(list: (T | undefined)[]): T[] => list.filter((x): x is T => x !== undefined);
