/**
 * Decision ids: UUIDv7 strings (RFC 9562) with a 12-bit counter after the millisecond timestamp
 * (the RFC's "fixed-length dedicated counter" method) and a random tail drawn once per process.
 * Ids sort as they were made, in this process, and across processes to the millisecond, so the
 * log pages by id and `since` becomes an id bound.
 *
 * Hand-written because it runs once per decision: the `uuid` package's v7() costs ~2.7 µs (about
 * a tenth of a decision), this ~0.1 µs (the timestamp prefix is made once a millisecond, from
 * tables). Ids are unique, not secret.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** `-Vxxx-xxxxxxxxxxxx`: variant bits and 62 random bits, fixed for this process. */
const TAIL = randomUUID().slice(18);
/**
 * `xxx-Vxxx-xxxxxxxxxxxx`: an id's counter in hex and the tail, per counter, so an id is one
 * concatenation (the prefix and this) instead of two: decisionIdOfKey ~255 -> ~160 instructions
 * (callgrind). Each is made by join, a flat string (a concatenation would make a cons string).
 */
const COUNTER_TAIL = Array.from({ length: 4096 }, (_, i) => [i.toString(16).padStart(3, '0'), TAIL].join(''));
/** Every byte in two hex digits, and followed by the version (`xx-7`, a timestamp's last byte). */
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX2_VERSION = HEX2.map((h) => `${h}-7`);

let lastMs = 0;
let counter = 0;

const hex6 = (n: number) => n.toString(16).padStart(6, '0');

/** `tttttttt-tttt-7`: the millisecond timestamp's 48 bits in hex, and the version. */
function prefixOf(ms: number): string {
  // In two 24-bit halves: a timestamp is past 2^31, so not a small integer, and V8 formats a
  // non-small number in hex by a runtime call (~450 ns, against ~130 ns for the halves).
  const high = Math.floor(ms / 0x1000000);
  const t = hex6(high) + hex6(ms - high * 0x1000000);
  return `${t.slice(0, 8)}-${t.slice(8)}-7`;
}

/** The next key in the millisecond `ms`, or after the last key made when that is later. */
function keyAt(ms: number): number {
  if (ms > lastMs) {
    lastMs = ms;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond (or the clock went back): borrow the next millisecond.
    lastMs++;
    counter = 0;
  }
  return lastMs * 4096 + counter;
}

/**
 * A new id's key (decisionIdKey), no string made: a record whose id nobody reads when it is made
 * (a permission check's) keeps the key, and its string is made when the record is read
 * (decisionIdOfKey), as for every id the memory ring keeps.
 */
export function newDecisionKey(): number {
  return keyAt(Date.now());
}

/**
 * The wall clock as performance.now() readings give it: the two clocks' difference, which only
 * a step of the wall clock changes (both run at the rate NTP sets). It starts as
 * performance.timeOrigin (the wall time when performance.now() was 0, to the microsecond) and
 * is checked against Date.now() once a second of readings; a step of a millisecond or more sets
 * it again, to within half a millisecond.
 */
let wallOffset = performance.timeOrigin;
let checkedAt = Number.NEGATIVE_INFINITY;
const CHECK_EVERY_MS = 1000;

function checkWallOffset(reading: number): void {
  checkedAt = reading;
  const now = performance.now();
  const wall = Date.now();
  // Date.now() is the wall time rounded down: in step, wall - (now + wallOffset) is in (-1, 0].
  const drift = wall - (now + wallOffset);
  if (drift > 0.5 || drift < -1.5) wallOffset = wall + 0.5 - now;
}

/**
 * newDecisionKey for a decision made at `reading` (a performance.now() reading): the services
 * read that clock anyway to time the engine's answer, so the id's millisecond costs no clock
 * read of its own. Date.now() cost ~230 instructions a record (callgrind), about a third of a
 * permission check's record.
 */
export function newDecisionKeyAt(reading: number): number {
  if (reading - checkedAt >= CHECK_EVERY_MS) checkWallOffset(reading);
  return keyAt(Math.floor(reading + wallOffset));
}

export function newDecisionId(): string {
  return decisionIdOfKey(newDecisionKey());
}

/**
 * An id's time and counter as one number, `ms * 4096 + counter` (exact: below 2^53 until the
 * year 4199). Keys order ids made in one process as their strings do; the memory ring keeps the
 * key, not the string, and makes the string again with decisionIdOfKey when it is read.
 */
export function decisionIdKey(id: string): number {
  return decisionIdTime(id) * 4096 + Number.parseInt(id.slice(15, 18), 16);
}

/** The key of an id this process made (decisionIdKey), undefined for another process's id. */
export function localDecisionIdKey(id: string): number | undefined {
  return id.endsWith(TAIL) ? decisionIdKey(id) : undefined;
}

let formattedMs = -1;
let formattedPrefix = '';
/** `tttttttt-` (a timestamp's first 32 bits, ms / 2^16) of formattedMs, made once every 65.5 s. */
let formattedHigh = -1;
let formattedHead = '';
/** The id (made by this process) whose key this is. */
export function decisionIdOfKey(key: number): string {
  const ms = Math.floor(key / 4096);
  if (ms !== formattedMs) {
    // The last 16 bits from tables, the first 32 formatted once every 65.5 s: formatting the whole
    // timestamp (prefixOf: toString(16) and padStart twice, slices, a template) cost ~1,630
    // instructions a millisecond, this ~440 (callgrind). Under callgrind, whose slowdown gives
    // every request a millisecond of its own, that was once a request (toString and padStart
    // showed +0.33 µs a decision in the whole-request profile); at full speed once every ~13.
    formattedMs = ms;
    const high = Math.floor(ms / 0x10000);
    if (high !== formattedHigh) {
      formattedHigh = high;
      formattedHead = prefixOf(ms).slice(0, 9);
    }
    const low = ms - high * 0x10000;
    formattedPrefix = formattedHead + HEX2[low >> 8]! + HEX2_VERSION[low & 0xff]!;
  }
  return formattedPrefix + COUNTER_TAIL[key - ms * 4096]!;
}

/** The time an id was made (ms since the epoch). */
export function decisionIdTime(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** The smallest id made at or after `ms`: ids >= it were made at `ms` or later. */
export function decisionIdFloor(ms: number): string {
  return `${prefixOf(ms)}000-`;
}

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isDecisionId(id: string): boolean {
  return SHAPE.test(id);
}
