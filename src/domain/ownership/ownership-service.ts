/**
 * Ownership of registered resources (docs/compatibility.md §5.6, §8.1): resolves who the new owner and group
 * are, checks that the target exists and that the caller may see it, and writes owner and group
 * together in one atomic single-document update of the registry, so the next decision sees them.
 *
 * Also shows and lists the registered resources a caller may read (ManageIQ's GET of a collection
 * or resource, RBAC-filtered as upstream's).
 *
 * Owns: the order of per-item checks (exists → visible → something resolvable → write) and the
 * "never clear a field" rule. Must not: know any wire format (messages and statuses belong to the
 * family), or decide visibility itself (the decision engine does, with policy `read`).
 */
import type { Group, User } from '../../store/directory-store.js';
import type { RegisteredResource } from '../../store/resource-store.js';
import { StoreUnavailableError } from '../../store/store-errors.js';
import type { Stores } from '../../store/stores.js';
import type { Logger } from '../../telemetry/logger.js';
import type { DecisionService } from '../decision-service.js';
import { compareIds, findGroupByLabel, resolveGroup, resolveUser } from './references.js';

/** The references a request gave (raw JSON values; either may be absent). */
export interface OwnershipData {
  readonly owner?: unknown;
  readonly group?: unknown;
}

/** What the references resolved to; a reference that matched nothing is simply absent (§5.3). */
export interface ResolvedOwnership {
  readonly owner?: User;
  readonly group?: Group;
}

export interface CallerIdentity {
  /** Absent for a caller the directory does not hold (the static admin token's `admin`). */
  readonly user?: User;
  readonly domainName?: string;
  /** The groups the caller is a member of, lowest id first. */
  readonly groups: readonly Group[];
}

export type ShowOutcome =
  | { readonly status: 'found'; readonly resource: RegisteredResource }
  | { readonly status: 'not_found' }
  | { readonly status: 'forbidden' };

export type OwnershipOutcome =
  | { readonly status: 'applied'; readonly resource: RegisteredResource; readonly owner?: User; readonly group?: Group }
  | { readonly status: 'not_found' }
  | { readonly status: 'forbidden' }
  | { readonly status: 'unresolvable' }
  | { readonly status: 'save_failed'; readonly resource: RegisteredResource; readonly reason: string };

export interface OwnershipDeps {
  readonly stores: Pick<Stores, 'directory' | 'resources'>;
  readonly decisions: DecisionService;
  readonly log: Logger;
}

export class OwnershipService {
  constructor(private readonly deps: OwnershipDeps) {}

  /** Resolves owner and group references; unresolvable ones are dropped, never an error. */
  async resolve(data: OwnershipData): Promise<ResolvedOwnership> {
    const { directory } = this.deps.stores;
    const [owner, group] = await Promise.all([resolveUser(directory, data.owner), resolveGroup(directory, data.group)]);
    return { ...(owner ? { owner } : {}), ...(group ? { group } : {}) };
  }

  /**
   * Sets ownership of one registered resource for the caller. The write is a single atomic store
   * update of owner and/or group: a failure leaves the resource untouched. A store outage
   * propagates (the family answers 503); any other write failure is reported as `save_failed`.
   * `log` (here and below): the request's logger, so its lines carry the request id.
   */
  async setOwnership(
    callerId: string,
    type: string,
    id: string,
    wanted: ResolvedOwnership,
    log: Logger = this.deps.log,
  ): Promise<OwnershipOutcome> {
    const found = await this.show(callerId, type, id, log);
    if (found.status !== 'found') return found;
    const target = found.resource;
    if (!wanted.owner && !wanted.group) return { status: 'unresolvable' };
    const change = {
      ...(wanted.owner ? { owner: wanted.owner.id } : {}),
      ...(wanted.group ? { group: wanted.group.id } : {}),
    };
    try {
      const updated = await this.deps.stores.resources.setOwnership(type, id, change);
      if (!updated) return { status: 'save_failed', resource: target, reason: 'the resource is no longer registered' };
      log.info({ resource: `${type}/${id}`, by: callerId, ...change }, 'ownership set');
      return { status: 'applied', resource: updated, ...wanted };
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      log.warn({ err, resource: `${type}/${id}` }, 'ownership write failed');
      return { status: 'save_failed', resource: target, reason: (err as Error).message };
    }
  }

  /** One registered resource, if the caller may read it (the decision engine's `read`). */
  async show(callerId: string, type: string, id: string, log: Logger = this.deps.log): Promise<ShowOutcome> {
    const target = await this.deps.stores.resources.get(type, id);
    if (!target) return { status: 'not_found' };
    return (await this.readable(callerId, target, log)) ? { status: 'found', resource: target } : { status: 'forbidden' };
  }

  /** Every registered resource of the type the caller may read, lowest id first (RBAC-filtered). */
  async list(callerId: string, type: string, log: Logger = this.deps.log): Promise<RegisteredResource[]> {
    const visible: RegisteredResource[] = [];
    let after: string | undefined;
    do {
      const page = await this.deps.stores.resources.list({ type }, { limit: 500, ...(after ? { after } : {}) });
      for (const r of page.items) if (await this.readable(callerId, r, log)) visible.push(r);
      after = page.next;
    } while (after);
    return visible.sort((a, b) => compareIds(a.id, b.id));
  }

  private async readable(callerId: string, target: RegisteredResource, log: Logger): Promise<boolean> {
    const seen = await this.deps.decisions.evaluateWith(
      { subjectId: callerId, action: 'read', resource: { type: target.type, id: target.id } },
      target,
      { log },
    );
    return seen.allowed;
  }

  /**
   * Bulk target lookup by identifying attributes (§5.5 "last resort"): the registered resource of
   * this type whose attributes hold one of the given values (`guid`, then `name`), lowest id first.
   * Scans the type's registrations page by page.
   */
  async findByAttributes(type: string, item: Readonly<Record<string, unknown>>): Promise<string | undefined> {
    for (const attr of ['guid', 'name'] as const) {
      const wanted = item[attr];
      if (typeof wanted !== 'string' || wanted === '') continue;
      let after: string | undefined;
      do {
        const page = await this.deps.stores.resources.list({ type }, { limit: 500, ...(after ? { after } : {}) });
        const hit = page.items.find((r) => r.attributes[attr] === wanted);
        if (hit) return hit.id;
        after = page.next;
      } while (after);
    }
    return undefined;
  }

  /** Who the caller is in directory terms (ManageIQ's entry point `identity`): user, domain, groups. */
  async whoIs(userId: string): Promise<CallerIdentity> {
    const { directory } = this.deps.stores;
    const user = await directory.users.get(userId);
    const domain = user ? await directory.domains.get(user.domainId) : undefined;
    const groupIds = await directory.memberships.groupsOf(userId);
    const groups = (await Promise.all(groupIds.map((id) => directory.groups.get(id)))).filter((g): g is Group => g !== undefined);
    return { ...(user ? { user } : {}), ...(domain ? { domainName: domain.name } : {}), groups: groups.sort((a, b) => compareIds(a.id, b.id)) };
  }

  /**
   * The caller's selected group (`X-MIQ-Group`, docs/compatibility.md §7 Q-7): the group named by id, description
   * or name, if the caller is a member of it; otherwise undefined (the header is ignored).
   */
  async currentGroup(userId: string, selector: string): Promise<Group | undefined> {
    const { directory } = this.deps.stores;
    const group = (await directory.groups.get(selector)) ?? (await findGroupByLabel(directory, selector));
    if (!group) return undefined;
    return (await directory.memberships.has(group.id, userId)) ? group : undefined;
  }
}

/** Builds the service from the application's parts (the family calls this once). */
export function createOwnershipService(app: {
  readonly stores: Stores;
  readonly services: { readonly decisions: DecisionService };
  readonly log: Logger;
}): OwnershipService {
  return new OwnershipService({ stores: app.stores, decisions: app.services.decisions, log: app.log });
}
