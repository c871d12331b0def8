/**
 * ManageIQ's error envelope (docs/compatibility.md §5.1, §6.1):
 * `{"error": {"kind": "<status symbol>", "message": "...", "klass": "<exception class>"}}`.
 * `kind` is Rack's symbol for the status; `klass` is the upstream exception class: an AppError may
 * name it in `details.klass` (e.g. `ActiveRecord::RecordNotFound`), otherwise it follows the status.
 */
import type { Context } from 'koa';
import { AppError } from '../../errors.js';
import type { ErrorEnvelope } from '../shared/family.js';

const KIND: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  500: 'internal_server_error',
  503: 'service_unavailable',
};

const KLASS: Record<number, string> = {
  400: 'Api::BadRequestError',
  401: 'Api::AuthenticationError',
  403: 'Api::ForbiddenError',
  404: 'Api::NotFoundError',
  405: 'ActionController::MethodNotAllowed',
  415: 'Api::UnsupportedMediaTypeError',
};

/** Writes a ManageIQ error body and status. */
export function renderMiqError(ctx: Context, status: number, message: string, klass?: string): void {
  ctx.status = status;
  ctx.body = {
    error: {
      kind: KIND[status] ?? (status >= 500 ? 'internal_server_error' : 'bad_request'),
      message,
      klass: klass ?? KLASS[status] ?? 'StandardError',
    },
  };
}

/** An AppError that carries the upstream exception class for the envelope. */
export function miqError(kind: AppError['kind'], message: string, klass: string): AppError {
  return new AppError(kind, message, { klass });
}

export const manageiqEnvelope: ErrorEnvelope = {
  render(ctx, status, message, err) {
    const named = typeof err?.details?.klass === 'string' ? err.details.klass : undefined;
    // Without an AppError a 400 can only come from the JSON body parser (see shared/family.ts):
    // upstream rescues JSON::ParserError into a bad_request.
    const klass = named ?? (!err && status === 400 ? 'JSON::ParserError' : undefined);
    renderMiqError(ctx, status, message, klass);
  },
};
