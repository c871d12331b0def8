/**
 * Driver errors mapped to the store's own: E11000 (a unique index refused a write) is told apart
 * with `isDuplicateKey`, and every way of not reaching the server becomes StoreUnavailableError,
 * which the API families render as 503 in their envelope.
 */
import { StoreUnavailableError } from '../store-errors.js';

/** Errors the driver raises when it cannot reach (or lost) the server. */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoOperationTimeoutError',
  'MongoExpiredSessionError',
]);

/**
 * True for a unique-index violation, however the driver or TypeORM wrapped it: E11000, or what
 * FerretDB v1 (SQLite) answers when an update or replace breaks a unique index, an InternalError
 * whose message says "UNIQUE constraint failed".
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: { code?: unknown } } | null;
  if (e?.code === 11000 || e?.driverError?.code === 11000) return true;
  return typeof e?.message === 'string' && /UNIQUE constraint failed|E11000 duplicate key/.test(e.message);
}

/** True when the error says the database cannot be reached. */
export function isUnreachable(err: unknown): boolean {
  const e = err as { name?: string; driverError?: { name?: string } } | null;
  return UNREACHABLE.has(e?.name ?? '') || UNREACHABLE.has(e?.driverError?.name ?? '');
}

/** The error a store raises for a driver error: "database unreachable" becomes StoreUnavailableError. */
export function storeError(err: unknown): unknown {
  return isUnreachable(err) ? new StoreUnavailableError(`MongoDB is unreachable: ${(err as Error).message}`) : err;
}

/** Runs one store operation, turning "database unreachable" into StoreUnavailableError. */
export async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw storeError(err);
  }
}
