/**
 * Manila resource locks (docs/compatibility.md §2.3): create, list, show, update, delete, in upstream's check
 * order. Every permission question (default policies, visibility, the lock-context table) is a
 * p2 row in policies/manila.csv asked through the authorizer; this module only gathers the facts
 * and targets and applies the data-validity checks (types, actions, resource state).
 * Must not: know HTTP or the wire format.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import type { ManilaLock } from '../../store/lock-stores.js';
import type { RegisteredResource } from '../../store/resource-store.js';
import type { Stores } from '../../store/stores.js';
import type { Authorizer } from '../authorizer.js';
import type { Principal } from '../../auth/principal.js';
import { resolveCaller, type Caller } from './caller-context.js';
import { LOCKABLE_TYPES, actionsFor, pyList, pyTuple, resourceTypes } from './lockable-resources.js';
import { listLocks, type ListLocksInput } from './lock-listing.js';
import * as msg from './messages.js';

export type { Caller } from './caller-context.js';
export type { ListLocksInput } from './lock-listing.js';

/** Permissions checked before the request body is read, with the caller's own project as target. */
export type LockCall = 'get' | 'get_all' | 'create' | 'update' | 'delete';

export interface CreateLockInput {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly resourceAction: string;
  readonly lockReason: string | null;
}

export interface UpdateLockInput {
  readonly resourceAction?: string;
  readonly lockReason?: string | null;
}

export interface ManilaLockDeps {
  readonly stores: Stores;
  readonly authorizer: Authorizer;
  readonly now?: () => Date;
}

export class ManilaLockService {
  private readonly now: () => Date;

  constructor(private readonly deps: ManilaLockDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Who is calling, with the lock context Casbin gives them (service > admin > user). */
  caller(principal: Principal): Caller {
    return resolveCaller(this.deps.authorizer, principal);
  }

  /** The controller-level policy check (upstream's `authorize` decorator): 403 when denied. */
  authorizeCall(caller: Caller, call: LockCall): void {
    this.require(caller, `resource_lock:${call}`, ownTarget(caller));
  }

  async create(caller: Caller, input: CreateLockInput): Promise<ManilaLock> {
    const type = LOCKABLE_TYPES[input.resourceType];
    if (!type) {
      throw badRequest(`'resource_type' is required and must be one of ${pyTuple(resourceTypes())}`);
    }
    if (!type.actions.includes(input.resourceAction)) {
      throw badRequest(`'resource_action' can only be one of ${pyList(type.actions)}`);
    }
    const resource = await this.visibleResource(caller, input.resourceType, input.resourceId);
    if (!resource) throw badRequest(msg.NO_SUCH_RESOURCE);
    this.require(caller, 'resource_lock:create', { project_id: resource.projectId ?? '', user_id: resource.owner ?? '' });
    const unsuitable = stateProblem(resource, input.resourceAction);
    if (unsuitable) throw conflict(unsuitable);
    return this.deps.stores.manilaLocks.create({
      id: randomUUID(),
      userId: caller.principal.userId,
      projectId: projectOf(caller),
      lockContext: caller.context,
      resourceType: input.resourceType,
      resourceId: input.resourceId,
      resourceAction: input.resourceAction,
      lockReason: input.lockReason,
      createdAt: this.now().toISOString(),
      updatedAt: null,
    });
  }

  list(caller: Caller, input: ListLocksInput): Promise<{ items: ManilaLock[]; total: number }> {
    return listLocks(this.deps, caller, input);
  }

  /** A lock the caller may see; 404 otherwise (non-admins see their own project's locks only). */
  async get(caller: Caller, id: string): Promise<ManilaLock> {
    const lock = await this.deps.stores.manilaLocks.get(id);
    if (!lock || !this.check(caller, 'resource_lock:visible', lockTarget(lock))) throw notFound(msg.lockNotFound(id));
    return lock;
  }

  async update(caller: Caller, id: string, change: UpdateLockInput): Promise<ManilaLock> {
    const lock = await this.get(caller, id);
    if (change.resourceAction !== undefined && !actionsFor(lock.resourceType).includes(change.resourceAction)) {
      throw badRequest(`'resource_action' can only be one of ${pyList(actionsFor(lock.resourceType))}`);
    }
    this.mayManipulate(caller, lock, 'resource_lock:update');
    if (change.resourceAction !== undefined) {
      // Upstream re-reads the resource as the caller sees it and re-runs the state check (400 here).
      const resource = await this.visibleResource(caller, lock.resourceType, lock.resourceId);
      if (!resource) throw notFound(msg.NO_SUCH_RESOURCE);
      const unsuitable = stateProblem(resource, change.resourceAction);
      if (unsuitable) throw badRequest(unsuitable);
    }
    const updated = await this.deps.stores.manilaLocks.update(id, {
      ...(change.resourceAction !== undefined ? { resourceAction: change.resourceAction } : {}),
      ...(change.lockReason !== undefined ? { lockReason: change.lockReason } : {}),
      updatedAt: this.now().toISOString(),
    });
    if (!updated) throw notFound(msg.lockNotFound(id));
    return updated;
  }

  /**
   * The locks a list with `all_projects` shows the caller (GET /v1/locks), or none when the list
   * itself is refused (`resource_lock:get_all`).
   */
  async visible(caller: Caller): Promise<ManilaLock[]> {
    if (!this.check(caller, 'resource_lock:get_all', ownTarget(caller))) return [];
    return (await this.list(caller, { allProjects: true, sortKey: 'created_at', sortDir: 'desc' })).items;
  }

  /** Whether `delete` (after the controller check) would remove this lock for the caller. */
  mayDelete(caller: Caller, lock: ManilaLock): boolean {
    return (
      this.check(caller, 'resource_lock:delete', ownTarget(caller)) &&
      this.check(caller, 'resource_lock:visible', lockTarget(lock)) &&
      this.manipulationRefusal(caller, lock, 'resource_lock:delete') === undefined
    );
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const lock = await this.get(caller, id);
    this.mayManipulate(caller, lock, 'resource_lock:delete');
    if (!(await this.deps.stores.manilaLocks.delete(id))) throw notFound(msg.lockNotFound(id));
  }

  /** Policy with the lock as target, then the lock-context table (docs/compatibility.md §2.4), both in Casbin. */
  private mayManipulate(caller: Caller, lock: ManilaLock, permission: string): void {
    const refusal = this.manipulationRefusal(caller, lock, permission);
    if (refusal) throw refusal;
  }

  private manipulationRefusal(caller: Caller, lock: ManilaLock, permission: string) {
    const policy = this.deps.authorizer.check(caller.principal, permission, lockTarget(lock), caller.facts);
    if (!policy.allowed) return forbidden(msg.policyDenied(permission), { reason: policy.reason });
    const context = this.deps.authorizer.check(caller.principal, 'resource_lock:manipulate', lockTarget(lock), caller.facts);
    if (!context.allowed) return forbidden(msg.LOCK_CONTEXT_DENIED, { reason: context.reason });
    return undefined;
  }

  private async visibleResource(caller: Caller, type: string, id: string): Promise<RegisteredResource | undefined> {
    const resource = await this.deps.stores.resources.get(type, id);
    if (!resource) return undefined;
    const target = {
      type,
      id,
      project_id: resource.projectId ?? '',
      owner: resource.owner ?? '',
      is_public: resource.attributes.is_public === true,
    };
    return this.check(caller, 'resource_lock:see_resource', target) ? resource : undefined;
  }

  private check(caller: Caller, permission: string, target: Record<string, unknown>): boolean {
    return this.deps.authorizer.check(caller.principal, permission, target, caller.facts).allowed;
  }

  private require(caller: Caller, permission: string, target: Record<string, unknown>): void {
    this.deps.authorizer.require(caller.principal, permission, msg.policyDenied(permission), target, caller.facts);
  }
}

/** The target of the controller-level checks: the caller's own project and user. */
function ownTarget(caller: Caller): Record<string, unknown> {
  return { project_id: projectOf(caller), user_id: caller.principal.userId };
}

/** The caller's project (a lock records it, docs/compatibility.md §7 M-3); '' for a token without project scope. */
export function projectOf(caller: Caller): string {
  const { scope } = caller.principal;
  return scope.type === 'project' ? (scope.id ?? '') : '';
}

export function lockTarget(lock: ManilaLock): Record<string, unknown> {
  return {
    id: lock.id,
    user_id: lock.userId,
    project_id: lock.projectId,
    lock_context: lock.lockContext,
    resource_type: lock.resourceType,
    resource_id: lock.resourceId,
    resource_action: lock.resourceAction,
  };
}

/** Why the resource cannot take a lock on this action now, or undefined (docs/compatibility.md §2.3 step 4). */
function stateProblem(resource: RegisteredResource, action: string): string | undefined {
  const refusing = action === 'delete' ? (LOCKABLE_TYPES[resource.type]?.statusesRefusingDelete ?? []) : [];
  if (resource.status && refusing.includes(resource.status)) return msg.STATUS_NOT_SUITABLE;
  if (resource.attributes.is_soft_deleted === true) return msg.SOFT_DELETED;
  return undefined;
}
