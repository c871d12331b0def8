/**
 * The string Casbin's g() sees for a subject: user, the scope the question is asked in, and facts
 * about the subject's relation to the target (owner, owner_group, ctx:service...). The facts are
 * data gathered by services; what they allow is decided by policy rows.
 */
import type { ScopeKey } from './scope.js';

const SEP = '\n';

export interface SubjectKeyParts {
  readonly userId: string;
  readonly scope: ScopeKey;
  readonly facts: readonly string[];
}

export function subjectKey(userId: string, scope: ScopeKey, facts: readonly string[] = []): string {
  return `${userId}${SEP}${scope}${SEP}${facts.join(',')}`;
}

/**
 * Can g() see exactly these parts? A subject key is parsed back by splitting on newlines and the
 * facts on commas: parts holding either would parse differently (the answer memo then asks Casbin).
 */
export function plainParts(userId: string, scope: ScopeKey, facts: readonly string[]): boolean {
  return !userId.includes(SEP) && !scope.includes(SEP) && plainFacts(facts);
}

/** plainParts' test of the facts alone. */
export function plainFacts(facts: readonly string[]): boolean {
  for (let i = 0; i < facts.length; i++) if (facts[i]!.includes(',') || facts[i]!.includes(SEP)) return false;
  return true;
}

export function parseSubjectKey(key: string): SubjectKeyParts | undefined {
  const first = key.indexOf(SEP);
  if (first < 0) return undefined;
  const second = key.indexOf(SEP, first + 1);
  if (second < 0) return undefined;
  const facts = key.slice(second + 1);
  return {
    userId: key.slice(0, first),
    scope: key.slice(first + 1, second),
    facts: facts ? facts.split(',') : [],
  };
}
