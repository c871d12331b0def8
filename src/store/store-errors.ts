/**
 * Errors every store raises the same way, so services can map them without knowing the backend.
 * DuplicateError: a unique constraint refused the write (Mongo E11000, or the memory twin).
 */
export class DuplicateError extends Error {
  constructor(readonly what: string) {
    super(`duplicate ${what}`);
    this.name = 'DuplicateError';
  }
}

/** The backing database cannot be reached; families answer 503 in their envelope. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** An implied-role rule refused because it would close a cycle (decided by the store). */
export class InferenceCycleError extends Error {
  constructor(
    readonly priorRoleId: string,
    readonly impliedRoleId: string,
  ) {
    super(`${priorRoleId} implies ${impliedRoleId} would create a cycle of implied roles`);
    this.name = 'InferenceCycleError';
  }
}
