/**
 * Error envelope of Portcullis' own APIs: `{"error": {"code": <status>, "message": "..."}}`, plus
 * `problems` (every `file:line: message`) when a policy or a draft of it does not load.
 */
import type { ErrorEnvelope } from '../shared/family.js';

export const portcullisEnvelope: ErrorEnvelope = {
  render(ctx, status, message, err) {
    ctx.status = status;
    const problems = err?.details?.problems;
    ctx.body = { error: { code: status, message, ...(Array.isArray(problems) ? { problems } : {}) } };
  },
};
