/**
 * r2.sub, the caller as p2 rows see it: `{ ...attrs, id, key }`. Each permission check used to
 * build its own; every check of a request, and of the caller's next requests, builds the same
 * one. So it is made once per caller and shared (frozen): a check allocates nothing for it. Only
 * frozen attribute objects are trusted not to change under a kept one (the Authorizer's are
 * shared frozen objects, one per scope and service flag); others get a fresh object. Whether the
 * caller's parts are plain (subject-key.ts), which the answer memo needs on every check, is
 * decided with it, once.
 */
import type { ScopeKey } from './scope.js';
import { plainParts, subjectKey } from './subject-key.js';

type Attributes = Readonly<Record<string, unknown>>;

/** A caller as permission checks see it. */
export interface Caller {
  /** r2.sub */
  readonly sub: Attributes;
  /** plainParts(user id, scope, facts) */
  readonly plain: boolean;
}

interface Kept extends Caller {
  readonly scope: ScopeKey;
  readonly facts: readonly string[];
}

/** Callers kept per attribute object; past this many it starts over. */
const LIMIT = 10_000;

function sameFacts(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class CallerSubjects {
  private readonly byAttributes = new WeakMap<Attributes, Map<string, Kept>>();
  /**
   * The last attribute object asked about and its entry in byAttributes (made once, never
   * replaced): callers come in runs, and a comparison costs less than a WeakMap lookup (~150
   * instructions a check, callgrind).
   */
  private lastAttributes: Attributes | undefined = undefined;
  private lastCallers: Map<string, Kept> | undefined = undefined;

  of(userId: string, scope: ScopeKey, facts: readonly string[], attrs: Attributes | undefined): Caller {
    if (attrs === undefined) return fresh(userId, scope, facts, attrs);
    let callers = attrs === this.lastAttributes ? this.lastCallers : this.byAttributes.get(attrs);
    if (!callers) {
      // Asked only of attributes not seen yet: frozen once is frozen for good (Object.isFrozen is
      // a call into the runtime, ~250 instructions a check when it was asked every time).
      if (!Object.isFrozen(attrs)) return fresh(userId, scope, facts, attrs);
      this.byAttributes.set(attrs, (callers = new Map()));
    }
    this.lastAttributes = attrs;
    this.lastCallers = callers;
    const kept = callers.get(userId);
    if (kept !== undefined && kept.scope === scope && (kept.facts === facts || sameFacts(kept.facts, facts))) return kept;
    if (callers.size >= LIMIT) callers.clear();
    const made: Kept = { scope, facts, sub: Object.freeze(build(userId, scope, facts, attrs)), plain: plainParts(userId, scope, facts) };
    callers.set(userId, made);
    return made;
  }
}

function fresh(userId: string, scope: ScopeKey, facts: readonly string[], attrs: Attributes | undefined): Caller {
  return { sub: build(userId, scope, facts, attrs), plain: plainParts(userId, scope, facts) };
}

function build(userId: string, scope: ScopeKey, facts: readonly string[], attrs: Attributes | undefined): Record<string, unknown> {
  return { ...attrs, id: userId, key: subjectKey(userId, scope, facts) };
}
