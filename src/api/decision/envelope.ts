/** Error envelope of Portcullis' own APIs: `{"error": {"code": <status>, "message": "..."}}`. */
import type { ErrorEnvelope } from '../shared/family.js';

export const portcullisEnvelope: ErrorEnvelope = {
  render(ctx, status, message) {
    ctx.status = status;
    ctx.body = { error: { code: status, message } };
  },
};
