/** Traffic Ops alerts envelope (docs/compatibility.md §3.1): errors are only `{"alerts":[{"text","level":"error"}]}`. */
import type { ErrorEnvelope } from '../shared/family.js';

export type AlertLevel = 'success' | 'info' | 'warning' | 'error';

export function alerts(level: AlertLevel, text: string) {
  return [{ text, level }];
}

export const trafficOpsEnvelope: ErrorEnvelope = {
  render(ctx, status, message) {
    ctx.status = status;
    ctx.body = { alerts: alerts('error', status >= 500 && status !== 503 ? 'Internal Server Error' : message) };
  },
};
