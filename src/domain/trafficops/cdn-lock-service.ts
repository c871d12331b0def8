/**
 * Traffic Ops `cdn_locks` (docs/compatibility.md §3): list, create and delete CDN locks, with upstream's checks in
 * upstream's order and its messages. Owns the rules; the wire format (alerts envelope, time
 * formats, null-vs-[] echoes) belongs to src/api/trafficops. Atomicity: one lock per CDN is the
 * store's unique key, so of N racing creators exactly one wins and the rest get the T-2 400.
 */
import type { Principal } from '../../auth/principal.js';
import { badRequest, forbidden, notFound, unauthorized } from '../../errors.js';
import type { CdnLock } from '../../store/lock-stores.js';
import { DuplicateError } from '../../store/store-errors.js';
import type { Stores } from '../../store/stores.js';
import type { User } from '../../store/directory-store.js';
import type { Authorizer } from '../authorizer.js';
import {
  CDN_LOCK_CREATE,
  CDN_LOCK_DELETE,
  CDN_LOCK_DELETE_OTHERS,
  CDN_READ,
  TrafficOpsPermissions,
} from './to-permissions.js';

/** Upstream's 401 text (docs/compatibility.md §3.1). */
export const TO_UNAUTHORIZED = 'unauthorized, please log in.';

/** Permissions per operation (docs/compatibility.md §3.5); a token for a user the directory lacks is no session. */
const REQUIRED = {
  list: [CDN_READ],
  create: [CDN_LOCK_CREATE, CDN_READ],
  delete: [CDN_LOCK_DELETE, CDN_READ],
} as const;

export interface CdnLockInput {
  readonly cdn?: string | null;
  readonly message?: string | null;
  /** Omitted or null: soft (docs/compatibility.md §7 T-1). */
  readonly soft?: boolean | null;
  readonly sharedUserNames?: readonly (string | null)[] | null;
}

export interface CdnLockListQuery {
  readonly cdn?: string;
  readonly userName?: string;
  readonly orderBy: 'cdn' | 'username';
  readonly descending: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

export class CdnLockService {
  private readonly permissions: TrafficOpsPermissions;

  constructor(
    private readonly stores: Stores,
    authorizer: Authorizer,
  ) {
    this.permissions = new TrafficOpsPermissions(authorizer);
  }

  /**
   * The caller's directory user, once Casbin grants every permission the operation needs
   * (docs/compatibility.md §3.5); throws 401 for an unknown user and 403 naming the missing permissions.
   */
  async authorize(caller: Principal, operation: keyof typeof REQUIRED): Promise<User> {
    const user = await this.stores.directory.users.get(caller.userId);
    if (!user) throw unauthorized(TO_UNAUTHORIZED);
    this.permissions.requireAll(caller, REQUIRED[operation]);
    return user;
  }

  /** GET: every lock is visible to every reader (docs/compatibility.md §3.3). */
  async list(caller: Principal, q: CdnLockListQuery): Promise<CdnLock[]> {
    await this.authorize(caller, 'list');
    const locks = await this.stores.cdnLocks.list({
      ...(q.cdn !== undefined ? { cdn: q.cdn } : {}),
      ...(q.userName !== undefined ? { userName: q.userName } : {}),
    });
    const field = q.orderBy === 'username' ? 'userName' : 'cdn';
    const dir = q.descending ? -1 : 1;
    locks.sort((a, b) => (a[field] === b[field] ? (a.cdn < b.cdn ? -1 : 1) : a[field] < b[field] ? -dir : dir));
    const start = q.offset ?? 0;
    return locks.slice(start, q.limit === undefined ? undefined : start + q.limit);
  }

  /** POST: checks in upstream order (docs/compatibility.md §3.3 steps 2-8); the caller is always the owner. */
  async create(caller: Principal, input: CdnLockInput): Promise<CdnLock> {
    const user = await this.authorize(caller, 'create');
    const soft = input.soft ?? true;
    const cdn = input.cdn ?? '';
    if (cdn === '') throw badRequest(`field 'cdn' must be present`);
    const sharedNames = (input.sharedUserNames ?? []).map((n) => n ?? '');
    const shared: User[] = [];
    // Upstream counts matching users against the list, so a name listed twice fails as well.
    const duplicated = new Set(sharedNames).size !== sharedNames.length;
    for (const name of duplicated ? [''] : sharedNames) {
      const target = await this.userNamed(name, user.domainId);
      if (!target || !this.permissions.canShareWith(target.id)) {
        throw badRequest('shared users must exist and have the correct permissions to create a lock');
      }
      shared.push(target);
    }
    if (sharedNames.includes(user.name)) {
      throw badRequest('shared username cannot be the same as the one creating the lock');
    }
    if (!(await this.stores.resources.get('cdn', cdn))) throw notFound('cdn not found');
    try {
      return await this.stores.cdnLocks.create({
        cdn,
        userId: user.id,
        userName: user.name,
        message: input.message ?? null,
        soft,
        sharedUserIds: shared.map((u) => u.id),
        sharedUserNames: shared.map((u) => u.name),
        lastUpdated: new Date().toISOString(),
      });
    } catch (err) {
      // docs/compatibility.md §7 T-2: 400, not 409, whoever holds the lock (the caller included).
      if (err instanceof DuplicateError) throw badRequest(`cdn_lock cdn '${cdn}' already exists.`);
      throw err;
    }
  }

  /** Every lock, for a caller who may list them (CDN:READ); none otherwise (GET /v1/locks). */
  async visible(caller: Principal): Promise<CdnLock[]> {
    const user = await this.stores.directory.users.get(caller.userId);
    if (!user || !REQUIRED.list.every((p) => this.permissions.has(caller, p))) return [];
    return this.stores.cdnLocks.list();
  }

  /** Whether `remove` would delete this lock for the caller (the same permissions, the same owner rule). */
  mayRemove(caller: Principal, lock: CdnLock): boolean {
    if (!REQUIRED.delete.every((p) => this.permissions.has(caller, p))) return false;
    return lock.userId === caller.userId || this.permissions.has(caller, CDN_LOCK_DELETE_OTHERS);
  }

  /** DELETE: owners delete their own lock; DELETE-OTHERS holders delete anyone's (docs/compatibility.md §3.3, T-3, T-7). */
  async remove(caller: Principal, cdn: string | undefined): Promise<CdnLock> {
    const user = await this.authorize(caller, 'delete');
    if (cdn === undefined || cdn === '') throw badRequest('missing required parameters: cdn');
    if (this.permissions.has(caller, CDN_LOCK_DELETE_OTHERS)) {
      const removed = await this.stores.cdnLocks.deleteIf(cdn);
      if (!removed) throw notFound(`deleting cdn lock with cdn name ${cdn}: lock not found`);
      return removed;
    }
    const removed = await this.stores.cdnLocks.deleteIf(cdn, user.id);
    if (!removed) throw forbidden(`deleting cdn lock with cdn name ${cdn}: operation forbidden`);
    return removed;
  }

  /** Traffic Ops user names are logins: the directory user with that name, the caller's domain first. */
  private async userNamed(name: string, preferDomain: string): Promise<User | undefined> {
    if (!name) return undefined;
    const found = await this.stores.directory.users.list({ name });
    return found.find((u) => u.domainId === preferDomain) ?? found[0];
  }
}
