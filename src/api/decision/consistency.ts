/**
 * Consistency per request, in the AuthZEN request's `context`: `"consistency": "full"` makes
 * this replica apply every change finished before the request (from any replica) before it
 * answers; `"minimize_latency"` (the default) answers from memory at once, at most the replica's
 * lag behind (see /readyz `sync.lagMs`). The names follow SpiceDB's and OpenFGA's options.
 */
import type { AppContext } from '../../app-context.js';
import { badRequest } from '../../errors.js';

const LEVELS = ['full', 'minimize_latency'] as const;

/** Reads `consistency` from every context given (request and items); waits when one asks for full. */
export async function honourConsistency(app: AppContext, ...contexts: (Readonly<Record<string, unknown>> | undefined)[]): Promise<void> {
  const asked = contexts.map((c) => c?.consistency).filter((v) => v !== undefined);
  for (const level of asked) {
    if (!LEVELS.includes(level as (typeof LEVELS)[number])) {
      throw badRequest(`context.consistency must be one of ${LEVELS.map((l) => `"${l}"`).join(', ')}`);
    }
  }
  if (asked.includes('full')) await app.services.consistency.catchUp();
}
