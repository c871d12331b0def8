/**
 * r2.sub, the caller as p2 rows see it: `{ ...attrs, id, key }`. Each permission check used to
 * build its own; every check of a request, and of the caller's next requests, builds the same
 * one. So it is made once per caller and shared (frozen): a check allocates nothing for it. Only
 * frozen attribute objects are trusted not to change under a kept one (the Authorizer's are
 * shared frozen objects, one per scope and service flag); others get a fresh object.
 */
import type { ScopeKey } from './scope.js';
import { subjectKey } from './subject-key.js';

type Attributes = Readonly<Record<string, unknown>>;

interface Kept {
  readonly scope: ScopeKey;
  readonly facts: readonly string[];
  readonly sub: Attributes;
}

/** Callers kept per attribute object; past this many it starts over. */
const LIMIT = 10_000;

function sameFacts(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class CallerSubjects {
  private readonly byAttributes = new WeakMap<Attributes, Map<string, Kept>>();

  of(userId: string, scope: ScopeKey, facts: readonly string[], attrs: Attributes | undefined): Attributes {
    if (attrs === undefined || !Object.isFrozen(attrs)) return build(userId, scope, facts, attrs);
    let callers = this.byAttributes.get(attrs);
    if (!callers) this.byAttributes.set(attrs, (callers = new Map()));
    const kept = callers.get(userId);
    if (kept !== undefined && kept.scope === scope && sameFacts(kept.facts, facts)) return kept.sub;
    if (callers.size >= LIMIT) callers.clear();
    const sub = Object.freeze(build(userId, scope, facts, attrs));
    callers.set(userId, { scope, facts, sub });
    return sub;
  }
}

function build(userId: string, scope: ScopeKey, facts: readonly string[], attrs: Attributes | undefined): Record<string, unknown> {
  return { ...attrs, id: userId, key: subjectKey(userId, scope, facts) };
}
