/**
 * Keystone's error envelope (docs/compatibility.md §1.1): `{"error": {"code", "message", "title"}}`, and on 401
 * the header `WWW-Authenticate: Keystone uri="<root url>"`.
 */
import { REASON } from '../../errors.js';
import type { ErrorEnvelope } from '../shared/family.js';
import { rootUrl } from './links.js';

export function keystoneEnvelope(publicUrl: string | undefined): ErrorEnvelope {
  return {
    render(ctx, status, message) {
      if (status === 401) ctx.set('WWW-Authenticate', `Keystone uri="${rootUrl(ctx, publicUrl)}"`);
      ctx.status = status;
      ctx.body = { error: { code: status, message, title: REASON[status] ?? 'Error' } };
    },
  };
}
