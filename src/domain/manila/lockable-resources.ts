/**
 * What Manila resource locks may lock: the resource types, the actions each type can lock, and
 * the resource states in which a lock cannot be placed (docs/compatibility.md §2.2, §2.3). Kept in this one place
 * so further types can come from configuration later (docs/compatibility.md §8.2). Microversion 2.81 knows only
 * `share` / `delete`.
 */

export interface LockableType {
  /** Actions a lock on this type may name, in upstream order. */
  readonly actions: readonly string[];
  /** Resource statuses that refuse a `delete` lock (upstream DISALLOWED_STATUS_WHEN_LOCKING_*). */
  readonly statusesRefusingDelete: readonly string[];
}

export const LOCKABLE_TYPES: Readonly<Record<string, LockableType>> = Object.freeze({
  share: {
    actions: ['delete'],
    statusesRefusingDelete: [
      'deleting',
      'error_deleting',
      'unmanaging',
      'manage_error_unmanaging',
      'unmanage_error',
      'unmanaged',
      'deleted',
    ],
  },
});

/** Defaults applied when a create request leaves them out, null or empty (docs/compatibility.md §2.3). */
export const DEFAULT_RESOURCE_TYPE = 'share';
export const DEFAULT_RESOURCE_ACTION = 'delete';

export const resourceTypes = (): string[] => Object.keys(LOCKABLE_TYPES);

/** Every action some type can lock (the query-parameter enum). */
export const resourceActions = (): string[] => [...new Set(Object.values(LOCKABLE_TYPES).flatMap((t) => t.actions))];

export function actionsFor(type: string): readonly string[] {
  return LOCKABLE_TYPES[type]?.actions ?? [];
}

/** A Python-style rendering of a tuple/list, as upstream messages print them: ('share',) / ['delete']. */
export function pyTuple(values: readonly string[]): string {
  const inner = values.map((v) => `'${v}'`).join(', ');
  return values.length === 1 ? `(${inner},)` : `(${inner})`;
}
export function pyList(values: readonly string[]): string {
  return `[${values.map((v) => `'${v}'`).join(', ')}]`;
}
