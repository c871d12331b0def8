/**
 * Manila's fault envelope (docs/compatibility.md §2.1, upstream `wsgi.Fault`): `{"<faultName>": {"code", "message"}}`
 * with the fault name chosen by status, `computeFault` for any status not listed.
 */
import type { ErrorEnvelope } from '../shared/family.js';

const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export function faultName(status: number): string {
  return FAULT_NAMES[status] ?? 'computeFault';
}

export const manilaEnvelope: ErrorEnvelope = {
  render(ctx, status, message) {
    ctx.status = status;
    ctx.body = { [faultName(status)]: { code: status, message } };
  },
};
