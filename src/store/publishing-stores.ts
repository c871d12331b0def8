/**
 * Puts every store write through the change feed: each write names the records it may touch
 * (its keys, listed only if the feed asks: a shared feed orders writes by them) and returns the after-images of what it changed, whatever the backend. Reads pass
 * through untouched. Both store kinds are wrapped by this one module, so what a write publishes
 * is decided once.
 *
 * Cascades (a user's grants, a resource's locks) are listed first and then removed record by
 * record, so the published after-images are exactly what the database holds: a record added
 * concurrently by another replica is not swept away unannounced. (Grants and memberships to an
 * actor deleted meanwhile are removed by the services' re-check, see grant-service.ts.)
 */
import { keys, type ChangeOp } from './change-ops.js';
import type { ChangeFeed, Written } from './change-feed.js';
import type { DirectoryStore, EntityStore, MembershipStore, Project, User } from './directory-store.js';
import type { CdnLockStore, ManilaLockStore, RouteLockStore } from './lock-stores.js';
import type { PolicyRuleStore } from './policy-rule-store.js';
import type { RegisteredResource, ResourceStore } from './resource-store.js';
import type { Grant, GrantStore, InferenceStore, RoleStore } from './role-store.js';
import type { Stores } from './stores.js';

/** The wrapped stores, plus the feed they publish to. */
export type StoreParts = Omit<Stores, 'changes'>;

export function publishingStores(inner: StoreParts, feed: ChangeFeed): Stores {
  const w: Write = (k, run) => feed.write(k, run);
  return {
    ...inner,
    changes: feed,
    directory: publishingDirectory(inner.directory, w),
    roles: publishingRoles(inner.roles, w),
    inferences: publishingInferences(inner.inferences, w),
    grants: publishingGrants(inner.grants, w),
    resources: publishingResources(inner.resources, w),
    manilaLocks: publishingManilaLocks(inner.manilaLocks, w),
    cdnLocks: publishingCdnLocks(inner.cdnLocks, w),
    routeLocks: publishingRouteLocks(inner.routeLocks, w),
    policyRules: publishingPolicyRules(inner.policyRules, w),
  };
}

/** Runs a write through the feed; `keys` lists what it may touch, when the feed asks (see ChangeFeed). */
type Write = <T>(keys: () => readonly string[], run: () => Promise<Written<T>>) => Promise<T>;

/**
 * The target with some methods replaced; every other property (including methods added to a
 * store later) is the target's own, bound to it. Assigning a property replaces it on the wrapper
 * (a test standing in for a method wraps the publishing one, not the store underneath).
 */
function intercept<T extends object>(target: T, overrides: Partial<T>): T {
  const own = overrides as Record<PropertyKey, unknown>;
  // Each method is bound once (reads on the decision path go through here several times a
  // request), and again only if the target's method is replaced.
  const bound = new Map<PropertyKey, { readonly method: unknown; readonly bound: unknown }>();
  const proxy: T = new Proxy(target, {
    get(t, prop) {
      if (Object.prototype.hasOwnProperty.call(own, prop)) return own[prop];
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== 'function') return value;
      const known = bound.get(prop);
      if (known?.method === value) return known.bound;
      const fresh = (value as (...a: unknown[]) => unknown).bind(t);
      bound.set(prop, { method: value, bound: fresh });
      return fresh;
    },
    set(_t, prop, value, receiver) {
      // An object made with Object.create(wrapper) keeps what is assigned to it.
      if (receiver !== proxy) return Reflect.defineProperty(receiver as object, prop, { value, writable: true, enumerable: true, configurable: true });
      own[prop] = value;
      return true;
    },
  });
  return proxy;
}

const done = <T>(result: T, ops: readonly ChangeOp[] = []): Written<T> => ({ result, ops });

/**
 * The write's result once `call` settles, with the after-images `ops` makes of it: one promise
 * step, where an async function awaiting the call takes three (a bulk of single-record writes,
 * ~400k loading dataset M, pays for each).
 */
const publish = <T>(call: Promise<T>, ops: (result: T) => readonly ChangeOp[]): Promise<Written<T>> =>
  call.then((result) => ({ result, ops: ops(result) }));

function publishingDirectory(dir: DirectoryStore, w: Write): DirectoryStore {
  return intercept(dir, {
    projects: publishingEntities<Project, unknown>(dir.projects, w, keys.project, (id, value) => ({ kind: 'project', id, value })),
    users: publishingEntities<User, unknown>(dir.users, w, keys.user, (id, value) => ({ kind: 'user', id, value })),
    memberships: publishingMemberships(dir.memberships, w),
  } as Partial<DirectoryStore>);
}

function publishingEntities<T extends { id: string }, F>(
  store: EntityStore<T, F>,
  w: Write,
  key: (id: string) => string,
  op: (id: string, value: T | null) => ChangeOp,
): EntityStore<T, F> {
  return intercept(store, {
    create: (e: T) => w(() => [key(e.id)], () => publish(store.create(e), (created) => [op(e.id, created)])),
    update: (e: T) => w(() => [key(e.id)], () => publish(store.update(e), (updated) => (updated ? [op(e.id, updated)] : []))),
    delete: (id: string) => w(() => [key(id)], () => publish(store.delete(id), () => [op(id, null)])),
  });
}

function publishingMemberships(m: MembershipStore, w: Write): MembershipStore {
  const present = (groupId: string, userId: string, yes: boolean): ChangeOp => ({ kind: 'membership', groupId, userId, present: yes });
  const removeAll = async (pairs: { groupId: string; userId: string }[]) =>
    w(() => pairs.map((p) => keys.membership(p.groupId, p.userId)), async () => {
      await Promise.all(pairs.map((p) => m.remove(p.groupId, p.userId)));
      return done(undefined, pairs.map((p) => present(p.groupId, p.userId, false)));
    });
  return intercept(m, {
    add: (groupId: string, userId: string) =>
      w(() => [keys.membership(groupId, userId)], () => publish(m.add(groupId, userId), () => [present(groupId, userId, true)])),
    remove: (groupId: string, userId: string) =>
      w(() => [keys.membership(groupId, userId)], () => publish(m.remove(groupId, userId), () => [present(groupId, userId, false)])),
    removeUser: async (userId: string) => removeAll((await m.groupsOf(userId)).map((groupId) => ({ groupId, userId }))),
    removeGroup: async (groupId: string) => removeAll((await m.usersOf(groupId)).map((userId) => ({ groupId, userId }))),
  });
}

function publishingRoles(roles: RoleStore, w: Write): RoleStore {
  return publishingEntities(roles, w, keys.role, (id, value) => ({ kind: 'role', id, value }));
}

function publishingInferences(inf: InferenceStore, w: Write): InferenceStore {
  // The rule set is one record: the after-image is the whole set, read inside the write.
  const withSet = <T>(run: () => Promise<T>) =>
    w(() => [keys.inferences()], async () => {
      const result = await run();
      return done(result, [{ kind: 'inferences', rules: await inf.list() }]);
    });
  return intercept(inf, {
    add: (rule) => withSet(() => inf.add(rule)),
    remove: (rule) => withSet(() => inf.remove(rule)),
    removeForRole: (roleId) => withSet(() => inf.removeForRole(roleId)),
  });
}

function publishingGrants(grants: GrantStore, w: Write): GrantStore {
  const op = (grant: Grant, present: boolean): ChangeOp => ({ kind: 'grant', grant, present });
  return intercept(grants, {
    add: (g) => w(() => [keys.grant(g)], () => publish(grants.add(g), () => [op(g, true)])),
    remove: (g) => w(() => [keys.grant(g)], () => publish(grants.remove(g), () => [op(g, false)])),
    removeWhere: async (filter) => {
      const listed = await grants.list(filter);
      return w(() => listed.map(keys.grant), async () => {
        const removed = await Promise.all(listed.map((g) => grants.remove(g)));
        return done(removed.filter(Boolean).length, listed.map((g) => op(g, false)));
      });
    },
  });
}

function publishingResources(res: ResourceStore, w: Write): ResourceStore {
  const op = (type: string, id: string, value: RegisteredResource | null): ChangeOp => ({ kind: 'resource', type, id, value });
  return intercept(res, {
    put: (r) => w(() => [keys.resource(r.type, r.id)], () => publish(res.put(r), (out) => [op(r.type, r.id, out.resource)])),
    delete: (type, id) => w(() => [keys.resource(type, id)], () => publish(res.delete(type, id), () => [op(type, id, null)])),
    setOwnership: (type, id, change) =>
      w(() => [keys.resource(type, id)], () => publish(res.setOwnership(type, id, change), (updated) => [op(type, id, updated ?? null)])),
    clearOwner: async (userId) => {
      const owned: RegisteredResource[] = [];
      for (let after: string | undefined; ; ) {
        const page = await res.list({ owner: userId }, { limit: 1000, ...(after ? { after } : {}) });
        owned.push(...page.items);
        if (!page.next) break;
        after = page.next;
      }
      return w(() => owned.map((r) => keys.resource(r.type, r.id)), async () => {
        // Record by record, re-read under the keys: only what still names this user changes.
        const ops = await Promise.all(
          owned.map(async ({ type, id }): Promise<ChangeOp | undefined> => {
            const current = await res.get(type, id);
            if (current?.owner !== userId) return undefined;
            return op(type, id, (await res.put({ ...current, owner: null })).resource);
          }),
        );
        return done(undefined, ops.filter((o): o is ChangeOp => o !== undefined));
      });
    },
  });
}

function publishingManilaLocks(locks: ManilaLockStore, w: Write): ManilaLockStore {
  return intercept(locks, {
    create: (l) => w(() => [keys.manilaLock(l.id)], () => publish(locks.create(l), (created) => [{ kind: 'manilaLock', id: l.id, value: created }])),
    update: (id, change) =>
      w(() => [keys.manilaLock(id)], () => publish(locks.update(id, change), (updated) => [{ kind: 'manilaLock', id, value: updated ?? null }])),
    delete: (id) => w(() => [keys.manilaLock(id)], () => publish(locks.delete(id), () => [{ kind: 'manilaLock', id, value: null }])),
    deleteForResource: async (resourceType, resourceId) => {
      const { items } = await locks.list({ resourceType, resourceId, sortKey: 'id', sortDir: 'asc' });
      return w(() => items.map((l) => keys.manilaLock(l.id)), async () => {
        const deleted = await Promise.all(items.map((l) => locks.delete(l.id)));
        return done(
          deleted.filter(Boolean).length,
          items.map((l): ChangeOp => ({ kind: 'manilaLock', id: l.id, value: null })),
        );
      });
    },
  });
}

function publishingCdnLocks(locks: CdnLockStore, w: Write): CdnLockStore {
  const current = async (cdn: string): Promise<ChangeOp> => ({ kind: 'cdnLock', cdn, value: (await locks.get(cdn)) ?? null });
  return intercept(locks, {
    create: (l) => w(() => [keys.cdnLock(l.cdn)], () => publish(locks.create(l), (created) => [{ kind: 'cdnLock', cdn: l.cdn, value: created }])),
    deleteIf: (cdn, ownerId) => w(() => [keys.cdnLock(cdn)], async () => {
      const deleted = await locks.deleteIf(cdn, ownerId);
      return done(deleted, [await current(cdn)]);
    }),
    deleteForUser: async (userId) => {
      // Held or shared by the user: the store edits the shared lists with its own retries, so the
      // after-images are read back under the keys.
      const touched = (await locks.list()).filter((l) => l.userId === userId || l.sharedUserIds.includes(userId));
      return w(() => touched.map((l) => keys.cdnLock(l.cdn)), async () => {
        await locks.deleteForUser(userId);
        return done(undefined, await Promise.all(touched.map((l) => current(l.cdn))));
      });
    },
  });
}

function publishingRouteLocks(locks: RouteLockStore, w: Write): RouteLockStore {
  const current = async (route: string, resourceId: string): Promise<ChangeOp> => ({
    kind: 'routeLock',
    route,
    resourceId,
    value: (await locks.get(route, resourceId)) ?? null,
  });
  return intercept(locks, {
    acquire: (route, resourceId, userId, now) => w(() => [keys.routeLock(route, resourceId)], async () => {
      const outcome = await locks.acquire(route, resourceId, userId, now);
      return done(outcome, [await current(route, resourceId)]);
    }),
    release: (route, resourceId, userId) => w(() => [keys.routeLock(route, resourceId)], async () => {
      const outcome = await locks.release(route, resourceId, userId);
      return done(outcome, [await current(route, resourceId)]);
    }),
    reinstate: (lock) => w(() => [keys.routeLock(lock.route, lock.resourceId)], async () => {
      const put = await locks.reinstate(lock);
      return done(put, [await current(lock.route, lock.resourceId)]);
    }),
    deleteForUser: async (userId) => {
      const held = await locks.listForUser(userId);
      return w(() => held.map((l) => keys.routeLock(l.route, l.resourceId)), async () => {
        await Promise.all(held.map((l) => locks.release(l.route, l.resourceId, userId)));
        return done(undefined, await Promise.all(held.map((l) => current(l.route, l.resourceId))));
      });
    },
    deleteForResource: (route, resourceId) => w(() => [keys.routeLock(route, resourceId)], async () => {
      await locks.deleteForResource(route, resourceId);
      return done(undefined, [{ kind: 'routeLock', route, resourceId, value: null }]);
    }),
  });
}

function publishingPolicyRules(rules: PolicyRuleStore, w: Write): PolicyRuleStore {
  return intercept(rules, {
    add: (rule) => w(() => [keys.policyRules()], () => publish(rules.add(rule), () => [{ kind: 'policyRules' }])),
    remove: (rule) => w(() => [keys.policyRules()], () => publish(rules.remove(rule), () => [{ kind: 'policyRules' }])),
  });
}
