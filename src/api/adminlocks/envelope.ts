/** The `{data, code}` envelope of the system-management API (docs/compatibility.md §4.1): `code` equals the status. */
import type { Context } from 'koa';
import type { ErrorEnvelope } from '../shared/family.js';

export function respond(ctx: Context, status: number, data: string | object): void {
  ctx.status = status;
  ctx.body = { data, code: status };
}

export const adminLocksEnvelope: ErrorEnvelope = {
  render(ctx, status, message) {
    respond(ctx, status, status >= 500 && status !== 503 ? 'Internal server error' : message);
  },
};
