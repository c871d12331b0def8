/**
 * The ids the server gives requests that bring no usable X-Request-Id (src/app.ts): UUID-shaped,
 * `xxxxxxxx-xxxx-4xxx-yxxx-` drawn once per process and then a 48-bit counter in hex, so every
 * family's header keeps the shape clients check (Manila's `req-<uuid>`), and ids are unique across
 * processes by the random part. Unique, not secret (as before, when each was a randomUUID()).
 *
 * Why a counter: the decision log keeps a request's id for the request's records, and a string
 * made per request, stored into the (old) memory ring, costs a remembered-set entry, a copy at
 * the next scavenge and a promotion. The ring keeps an id of this shape as its counter instead
 * (requestIdKey) and makes the string again when the record is read (requestIdOfKey). The map is
 * exact both ways, so an id a client sends in this shape is kept the same way and read back as sent.
 */
import { randomUUID } from 'node:crypto';

/** `xxxxxxxx-xxxx-4xxx-yxxx-`: a UUIDv4's version and variant bits and 74 random bits, fixed for this process. */
const PREFIX = randomUUID().slice(0, 24);
const DIGITS = 12;
const LENGTH = PREFIX.length + DIGITS;

let next = 0;

export function newRequestId(): string {
  return requestIdOfKey(next++);
}

/** The id whose counter (requestIdKey) this is. */
export function requestIdOfKey(key: number): string {
  return PREFIX + key.toString(16).padStart(DIGITS, '0');
}

/** The counter of an id of this process's shape (newRequestId's), else -1 (any other id, kept as its string). */
export function requestIdKey(id: string): number {
  if (id.length !== LENGTH || !id.startsWith(PREFIX)) return -1;
  let key = 0;
  for (let i = PREFIX.length; i < LENGTH; i++) {
    const c = id.charCodeAt(i);
    // Lower-case hex digits only: the string made again from the key is the same string.
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    key = key * 16 + digit;
  }
  return key;
}
