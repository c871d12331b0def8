/**
 * Error envelope of Portcullis' own APIs: `{"error": {"code": <status>, "message": "..."}}`. A 401
 * carries the bearer challenge (RFC 6750 §3): `error="invalid_token"` when a credential was sent.
 */
import type { ErrorEnvelope } from '../shared/family.js';

export const portcullisEnvelope: ErrorEnvelope = {
  render(ctx, status, message) {
    ctx.status = status;
    if (status === 401) {
      const sent = Boolean(ctx.get('Authorization') || ctx.get('X-Auth-Token'));
      ctx.set('WWW-Authenticate', `Bearer realm="portcullis"${sent ? ', error="invalid_token"' : ''}`);
    }
    ctx.body = { error: { code: status, message } };
  },
};
