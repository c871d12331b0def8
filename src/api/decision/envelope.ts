/**
 * Error envelope of Portcullis' own APIs: `{"error": {"code": <status>, "message": "..."}}`, plus
 * `problems` (every `file:line: message`) when a policy or a draft of it does not load. A 401
 * carries the bearer challenge (RFC 6750 §3): `error="invalid_token"` when a credential was sent.
 */
import type { ErrorEnvelope } from '../shared/family.js';

export const portcullisEnvelope: ErrorEnvelope = {
  render(ctx, status, message, err) {
    ctx.status = status;
    if (status === 401) {
      const sent = Boolean(ctx.get('Authorization') || ctx.get('X-Auth-Token'));
      ctx.set('WWW-Authenticate', `Bearer realm="portcullis"${sent ? ', error="invalid_token"' : ''}`);
    }
    const problems = err?.details?.problems;
    ctx.body = { error: { code: status, message, ...(Array.isArray(problems) ? { problems } : {}) } };
  },
};
