/**
 * What this replica decides from, in memory: the role graph (roles, implied roles, grants,
 * memberships, the project tree) and, on a shared store, mirrors of everything else a decision
 * reads: registered resources, the locks of the three families, and users (subject lookups by
 * id or by name in a domain). Filled from a snapshot at start and kept current by applying the
 * after-images every write publishes (src/store/change-ops.ts), one batch in one synchronous step.
 *
 * On the memory store the stores themselves are in memory, so only the graph is kept here.
 */
import type { RoleGraph } from '../engine/role-graph.js';
import type { ChangeConsumer } from '../store/change-feed.js';
import type { ChangeOp } from '../store/change-ops.js';
import type { User, UserFilter } from '../store/directory-store.js';
import { MemoryEntityStore } from '../store/memory/memory-directory.js';
import { MemoryCdnLockStore, MemoryManilaLockStore, MemoryRouteLockStore } from '../store/memory/memory-locks.js';
import { MemoryResourceStore } from '../store/memory/memory-resources.js';
import type { Stores } from '../store/stores.js';

/** In-memory copies of the records decisions read from a shared store. */
export interface Mirrors {
  readonly resources: MemoryResourceStore;
  readonly manilaLocks: MemoryManilaLockStore;
  readonly cdnLocks: MemoryCdnLockStore;
  readonly routeLocks: MemoryRouteLockStore;
  readonly users: MemoryEntityStore<User, UserFilter>;
}

export function emptyMirrors(): Mirrors {
  const eq = (want: unknown, value: unknown) => want === undefined || want === value;
  return {
    resources: new MemoryResourceStore(),
    manilaLocks: new MemoryManilaLockStore(),
    cdnLocks: new MemoryCdnLockStore(),
    routeLocks: new MemoryRouteLockStore(),
    users: new MemoryEntityStore<User, UserFilter>(
      'user',
      (u) => `${u.domainId}\u0000${u.name}`,
      (u, f) => eq(f.name, u.name) && eq(f.domainId, u.domainId),
    ),
  };
}

/** What a batch asked for beyond the in-memory updates. */
export interface Applied {
  /** Stored policy rows changed: the engine must reload them. */
  readonly policyChanged: boolean;
  /** A change's outcome is unknown or records changed outside the feed: reload everything. */
  readonly reloadNeeded: boolean;
}

export class ReadModel implements ChangeConsumer {
  constructor(
    readonly graph: RoleGraph,
    private current: Mirrors | undefined,
  ) {}

  /** The mirrors decisions read (undefined on the memory store). Replaced whole by `adopt`. */
  get mirrors(): Mirrors | undefined {
    return this.current;
  }

  apply(ops: readonly ChangeOp[]): Applied {
    let policyChanged = false;
    let reloadNeeded = false;
    const { graph } = this;
    const m = this.current;
    for (const op of ops) {
      switch (op.kind) {
        case 'role':
          if (op.value) graph.putRole({ id: op.id, name: op.value.name, domainId: op.value.domainId });
          else graph.removeRole(op.id);
          break;
        case 'project':
          if (op.value) graph.putProject({ id: op.id, domainId: op.value.domainId, parentId: op.value.parentId });
          else graph.removeProject(op.id);
          break;
        case 'membership':
          if (op.present) graph.addMember(op.groupId, op.userId);
          else graph.removeMember(op.groupId, op.userId);
          break;
        case 'grant':
          if (op.present) graph.addGrant(op.grant);
          else graph.removeGrant(op.grant);
          break;
        case 'inferences':
          graph.replaceImplications(op.rules);
          break;
        case 'user':
          if (op.value) m?.users.restore(op.value);
          else m?.users.forget(op.id);
          break;
        case 'resource':
          if (op.value) m?.resources.restore(op.value);
          else m?.resources.forget(op.type, op.id);
          break;
        case 'manilaLock':
          if (op.value) m?.manilaLocks.restore(op.value);
          else m?.manilaLocks.forget(op.id);
          break;
        case 'cdnLock':
          if (op.value) m?.cdnLocks.restore(op.value);
          else m?.cdnLocks.forget(op.cdn);
          break;
        case 'routeLock':
          if (op.value) m?.routeLocks.restore(op.value);
          else m?.routeLocks.forget(op.route, op.resourceId);
          break;
        case 'policyRules':
          policyChanged = true;
          break;
        case 'reload':
          reloadNeeded = true;
          break;
      }
    }
    return { policyChanged, reloadNeeded };
  }

  /** Takes over a model rebuilt off to the side, in one synchronous step. */
  adopt(fresh: ReadModel): void {
    this.graph.adopt(fresh.graph);
    this.current = fresh.current;
  }
}

/**
 * Fills an empty read model from the stores: the graph's records, and the mirrored ones when the
 * model has mirrors. Resources are streamed in batches; `progress` is called as they arrive.
 */
export async function loadSnapshot(
  stores: Stores,
  model: ReadModel,
  progress: (what: string, count: number, done: boolean) => void = () => {},
): Promise<void> {
  const counted = async <T>(what: string, read: Promise<T[]>, toOps: (items: T[]) => ChangeOp[]) => {
    const items = await read;
    model.apply(toOps(items));
    progress(what, items.length, true);
  };
  const loaded = async <T>(what: string, read: Promise<T[]>, add: (item: T) => void) => {
    const items = await read;
    for (const item of items) add(item);
    progress(what, items.length, true);
  };
  const graphParts = [
    counted('roles', stores.roles.list(), (rs) => rs.map((r) => ({ kind: 'role', id: r.id, value: r }))),
    counted('projects', stores.directory.projects.list(), (ps) => ps.map((p) => ({ kind: 'project', id: p.id, value: p }))),
    // The two big parts (58k memberships and 100k grants at M) go into the graph directly, as
    // applying them as after-images would, without an op per record.
    loaded('memberships', stores.directory.memberships.all(), (x) => model.graph.addMember(x.groupId, x.userId)),
    loaded('grants', stores.grants.list(), (grant) => model.graph.addGrant(grant)),
  ];
  const mirrored = model.mirrors
    ? [
        counted('users', stores.directory.users.list(), (us) => us.map((u) => ({ kind: 'user', id: u.id, value: u }))),
        counted('manila locks', stores.manilaLocks.list({ sortKey: 'id', sortDir: 'asc' }).then((r) => r.items), (ls) =>
          ls.map((l) => ({ kind: 'manilaLock', id: l.id, value: l })),
        ),
        counted('cdn locks', stores.cdnLocks.list(), (ls) => ls.map((l) => ({ kind: 'cdnLock', cdn: l.cdn, value: l }))),
        counted('route locks', stores.routeLocks.list(), (ls) =>
          ls.map((l) => ({ kind: 'routeLock', route: l.route, resourceId: l.resourceId, value: l })),
        ),
        (async () => {
          let n = 0;
          for await (const batch of stores.resources.scan(5000)) {
            model.apply(batch.map((r) => ({ kind: 'resource', type: r.type, id: r.id, value: r })));
            n += batch.length;
            progress('resources', n, false);
          }
          progress('resources', n, true);
        })(),
      ]
    : [];
  await Promise.all([...graphParts, ...mirrored]);
  // Implications last: they are checked against the roles already loaded.
  await counted('implied-role rules', stores.inferences.list(), (rules) => [{ kind: 'inferences', rules }]);
}
