/**
 * Consistency per request, in the AuthZEN request's `context`: `"consistency": "full"` makes
 * this replica apply every change finished before the request (from any replica) before it
 * answers; `"minimize_latency"` (the default) answers from memory at once, at most the replica's
 * lag behind (see /readyz `sync.lagMs`). The names follow SpiceDB's and OpenFGA's options.
 */
import type { AppContext } from '../../app-context.js';
import { badRequest } from '../../errors.js';

const LEVELS = ['full', 'minimize_latency'] as const;

/**
 * Reads `consistency` from every context given (request and items): the catch-up to wait for when
 * one asks for full, else undefined (nothing to wait for, and no promise made: this runs on every
 * decision request).
 */
export function honourConsistency(app: AppContext, ...contexts: (Readonly<Record<string, unknown>> | undefined)[]): Promise<void> | undefined {
  let full = false;
  for (const context of contexts) {
    const level = context?.consistency;
    if (level === undefined) continue;
    if (!LEVELS.includes(level as (typeof LEVELS)[number])) {
      throw badRequest(`context.consistency must be one of ${LEVELS.map((l) => `"${l}"`).join(', ')}`);
    }
    if (level === 'full') full = true;
  }
  return full ? app.services.consistency.catchUp() : undefined;
}
