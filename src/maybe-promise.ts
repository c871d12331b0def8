/**
 * A value that may arrive later. The decision path reads stores held in memory without an async
 * turn (no promise, no microtask: a few of them cost a decision more than its answer); the same
 * functions return a promise when a store must be asked. `await` takes either; the hot path tests
 * `instanceof Promise` and goes on at once (a callback would be a closure made per request).
 */
export type MaybePromise<T> = T | Promise<T>;

