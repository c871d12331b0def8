/**
 * The one internal error type. Services throw it with a `kind`; each API family serializes it into
 * its own envelope (Keystone, Manila, Traffic Ops, ...). Anything else that escapes a handler is an
 * internal error: logged with its cause, answered with the family's generic 500.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

export class AppError extends Error {
  readonly kind: ErrorKind;
  /** Extra wire details a family may use (e.g. the Casbin rule that denied). */
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.details = details;
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError('bad_request', message, details);
export const unauthorized = (message: string) => new AppError('unauthorized', message);
export const forbidden = (message: string, details?: Record<string, unknown>) =>
  new AppError('forbidden', message, details);
export const notFound = (message: string) => new AppError('not_found', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const unavailable = (message: string) => new AppError('unavailable', message);

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** HTTP reason phrases used by envelopes that carry a title. */
export const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
