/**
 * Listing Manila locks (docs/compatibility.md §2.3 list, §7 M-4): which projects the caller may list, decided by
 * Casbin (`resource_lock:get_all_projects`, `resource_lock:visible`), then one store query.
 */
import { forbidden } from '../../errors.js';
import type { ManilaLock, ManilaLockQuery } from '../../store/lock-stores.js';
import type { Stores } from '../../store/stores.js';
import type { Authorizer } from '../authorizer.js';
import type { Caller } from './caller-context.js';
import { NOT_AUTHORIZED } from './messages.js';

/**
 * What a caller asks to list: the store query's filters, sort and paging (already validated),
 * plus `all_projects`. Which project is actually queried is decided here, not by the caller.
 */
export type ListLocksInput = ManilaLockQuery & { readonly allProjects: boolean };

export async function listLocks(
  deps: { readonly stores: Stores; readonly authorizer: Authorizer },
  caller: Caller,
  input: ListLocksInput,
): Promise<{ items: ManilaLock[]; total: number }> {
  const { principal, facts } = caller;
  const own = principal.scope.type === 'project' ? (principal.scope.id ?? '') : '';
  let projectId: string | undefined = own;
  const allProjects =
    input.allProjects && deps.authorizer.check(principal, 'resource_lock:get_all_projects', {}, facts).allowed;
  if (allProjects) projectId = input.projectId;
  else if (input.projectId !== undefined && !input.allProjects) {
    // An explicit project filter: the caller's own, or any for whom Casbin makes it visible.
    const visible = deps.authorizer.check(principal, 'resource_lock:visible', { project_id: input.projectId }, facts);
    if (!visible.allowed) throw forbidden(NOT_AUTHORIZED, { reason: visible.reason });
    projectId = input.projectId;
  }
  // all_projects refused by policy: silently dropped together with project_id (docs/compatibility.md §2.3).
  const query: ManilaLockQuery = {
    ...pick(input),
    ...(projectId !== undefined ? { projectId } : {}),
    sortKey: input.sortKey,
    sortDir: input.sortDir,
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    ...(input.offset !== undefined ? { offset: input.offset } : {}),
  };
  return deps.stores.manilaLocks.list(query);
}

function pick(input: ListLocksInput) {
  const out: Record<string, string> = {};
  const keys = [
    'id',
    'userId',
    'resourceId',
    'resourceType',
    'resourceAction',
    'lockContext',
    'lockReason',
    'lockReasonContains',
    'createdSince',
    'createdBefore',
  ] as const;
  for (const k of keys) if (input[k] !== undefined) out[k] = input[k];
  return out as Partial<ManilaLockQuery>;
}
