/**
 * The ids the server gives requests that bring no usable X-Request-Id (src/app.ts): UUID-shaped,
 * `xxxxxxxx-xxxx-4xxx-yxxx-` drawn once per process and then a 48-bit counter in hex, so every
 * family's header keeps the shape clients check (Manila's `req-<uuid>`), and ids are unique across
 * processes by the random part. Unique, not secret (as before, when each was a randomUUID()).
 *
 * Why a counter: the decision log keeps a request's id for the request's records, and a string
 * made per request, stored into the (old) memory ring, costs a remembered-set entry, a copy at
 * the next scavenge and a promotion. The ring keeps an id this process made for a request still
 * in progress as its counter instead (requestIdKey) and makes the string again when the record is
 * read (requestIdOfKey); any other id (a client's own) it keeps as the string.
 *
 * requestIdKey knows an id by comparing it with the one of the last RECENT ids made that its last
 * two digits point to (the same string, as a rule, so the comparison stops at the pointer):
 * reading the counter back out of the string and checking the rest of it (36 characters of a cons
 * string) cost ~750 instructions a record (callgrind). Only RECENT ids are remembered so that few
 * young strings are kept alive (each scavenge copies what they hold alive); a request whose id
 * was pushed out by RECENT newer requests (more in flight at once, or a slow request) has its
 * records keep the string, as before.
 */
import { randomUUID } from 'node:crypto';

/** `xxxxxxxx-xxxx-4xxx-yxxx-`: a UUIDv4's version and variant bits and 74 random bits, fixed for this process. */
const PREFIX = randomUUID().slice(0, 24);
const DIGITS = 12;
const LENGTH = PREFIX.length + DIGITS;

let next = 0;

/** Of the last RECENT ids made, the one whose counter is k modulo RECENT is at k % RECENT (recentSlot), with its counter. */
const RECENT = 64;
const recent: string[] = new Array<string>(RECENT).fill('');
const recentKeys = new Float64Array(RECENT);

/** The last three hex digits of a counter, 0..4095. */
const HEX3 = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, '0'));
/** PREFIX and every digit of the counter but its last three, for counters from highBase on (made once per 4,096 ids). */
let highBase = -1;
let high = '';

export function newRequestId(): string {
  const key = next++;
  // Two made strings joined: formatting the counter per id (toString(16), padStart) cost ~850
  // instructions an id more (callgrind, with the server's header check below). Joined, not
  // concatenated: a flat string; a concatenation is a cons string, which Node's check of the
  // X-Request-Id header value (a regular expression, src/app.ts) copies flat again, and which
  // the decision log reads two characters of (requestIdKey): ~150 instructions more an id.
  const base = key - (key % 4096);
  if (base !== highBase) {
    highBase = base;
    high = [PREFIX, (base / 4096).toString(16).padStart(DIGITS - 3, '0')].join('');
  }
  const id = [high, HEX3[key - base]!].join('');
  const slot = key % RECENT;
  recent[slot] = id;
  recentKeys[slot] = key;
  return id;
}

/** The id whose counter (requestIdKey) this is. */
export function requestIdOfKey(key: number): string {
  return PREFIX + key.toString(16).padStart(DIGITS, '0');
}

const hexDigit = (c: number) => (c <= 57 ? c - 48 : c - 87);

/** Where an id of newRequestId's would be in `recent`: its counter modulo RECENT, from its last two hex digits (any slot for another string). */
function recentSlot(id: string): number {
  return ((hexDigit(id.charCodeAt(LENGTH - 2)) << 4) | hexDigit(id.charCodeAt(LENGTH - 1))) & (RECENT - 1);
}

/** The counter of an id equal to one of the last RECENT newRequestId made, else -1 (any other id, kept as its string). */
export function requestIdKey(id: string): number {
  if (id.length !== LENGTH) return -1;
  const slot = recentSlot(id);
  return recent[slot] === id ? recentKeys[slot]! : -1;
}
