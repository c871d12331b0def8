/**
 * AuthZEN search page tokens: opaque, and bound to the search they continue. A token carries
 * where the previous page stopped and a digest of the request it answered (everything but
 * `page`), so a token that does not decode, or that comes back with a changed request, is refused
 * with 400 instead of silently paging through a different result set.
 */
import { createHash } from 'node:crypto';
import { badRequest } from '../errors.js';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../store/cursor.js';

/** JSON with object keys sorted, so the same request digests the same whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function digestOf(search: unknown): string {
  return createHash('sha256').update(canonical(search)).digest('base64url').slice(0, 22);
}

/** The token for the page after `after`, for this search request (without its `page`). */
export function pageToken(after: string, search: unknown): string {
  return encodeCursor([digestOf(search), after]);
}

/** Where the page a token asks for starts; 400 when the token is invalid or from another search. */
export function readPageToken(token: string, search: unknown): string {
  let digest: string;
  let after: string;
  try {
    [digest, after] = decodeCursor(token);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw badRequest('page.token is not a token this search returned');
    throw err;
  }
  if (digest !== digestOf(search)) {
    throw badRequest('page.token was returned for a different search; send the same subject, action, resource and context with it');
  }
  return after;
}
