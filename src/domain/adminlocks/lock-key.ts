/**
 * Route-lock keys (docs/compatibility.md §4.1, §7 S-5): `route:id`, both parts trimmed, case-sensitive. `route`
 * must be a non-empty string without `:`; `id` a non-empty string or a JSON number (turned into
 * its decimal string). Anything else (arrays, objects, booleans, null) counts as missing.
 */
import { badRequest } from '../../errors.js';

/** The one documented 400 text (docs/compatibility.md §4.3, §4.4); every invalid input reports it. */
export const MISSING_PARAMETERS = 'Missing parameters';

export interface LockTarget {
  readonly route: string;
  readonly id: string;
}

export function lockTarget(route: unknown, id: unknown): LockTarget {
  const r = typeof route === 'string' ? route.trim() : '';
  const i = typeof id === 'string' ? id.trim() : typeof id === 'number' && Number.isFinite(id) ? String(id) : '';
  if (!r || !i || r.includes(':')) throw badRequest(MISSING_PARAMETERS);
  return { route: r, id: i };
}
