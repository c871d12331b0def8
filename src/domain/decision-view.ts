/**
 * The stores as the decision path sees them on a shared store: registered resources, the three
 * lock families and users come from this replica's in-memory mirrors (read-model.ts), so no
 * decision waits on the database; everything else is the real store. Each mirrored read first
 * asks `fence`, which refuses (StoreUnavailableError, 503 in every family's envelope) once the
 * mirrors are older than the configured maximum staleness (the database has been unreachable).
 *
 * The view is read-only: a write through it throws (writes go to the database, then arrive here
 * through the change feed).
 */
import type { DirectoryStore } from '../store/directory-store.js';
import type { Stores } from '../store/stores.js';
import type { Mirrors, ReadModel } from './read-model.js';

/** Method names that only read (get, list, has, find..., forResource). */
const READ = /^(get|list|has|find|for)/;

function mirrored<K extends keyof Mirrors>(model: ReadModel, part: K, fence: () => void): Mirrors[K] {
  const read = (prop: string, args: unknown[]): unknown => {
    if (!READ.test(prop)) throw new Error(`${part}.${prop}: the decision view is read-only`);
    fence();
    const mirror = model.mirrors![part] as unknown as Record<string, (...a: unknown[]) => unknown>;
    if (typeof mirror[prop] !== 'function') throw new Error(`${part}.${prop} is not a store method`);
    return mirror[prop]!(...args);
  };
  // One function per method name, made on first use (the decision path reads through here
  // several times a request). The mirrors are in memory, so their `...Sync` reads are offered
  // as they are: the decision path then takes no async turn.
  const methods = new Map<string, (...args: unknown[]) => unknown>();
  return new Proxy({} as Mirrors[K], {
    get(_target, prop) {
      if (typeof prop !== 'string') return undefined;
      let method = methods.get(prop);
      if (!method) {
        method = prop.endsWith('Sync') ? (...args: unknown[]) => read(prop, args) : async (...args: unknown[]) => read(prop, args);
        methods.set(prop, method);
      }
      return method;
    },
  });
}

export function decisionView(stores: Stores, model: ReadModel, fence: () => void): Stores {
  if (!model.mirrors) return stores;
  const directory: DirectoryStore = { ...stores.directory, users: mirrored(model, 'users', fence) };
  return {
    ...stores,
    directory,
    resources: mirrored(model, 'resources', fence),
    manilaLocks: mirrored(model, 'manilaLocks', fence),
    cdnLocks: mirrored(model, 'cdnLocks', fence),
    routeLocks: mirrored(model, 'routeLocks', fence),
  };
}
