/**
 * A value that may arrive later. The decision path reads stores held in memory without an async
 * turn (no promise, no microtask: a few of them cost a decision more than its answer); the same
 * functions return a promise when a store must be asked. `await` takes either.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)`, at once when the value is here, after it arrives when it is a promise. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
