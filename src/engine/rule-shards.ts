/**
 * Partitions policy rows by the action they can match, so a check only scans rows that could
 * answer it (node-casbin evaluates every row of a section per check: ~2-4 µs a row, which made a
 * permission check over ~140 p2 rows cost ~400 µs).
 *
 * Every matcher in model.conf requires keyMatch(request action, row action), and keyMatch's only
 * wildcard is `*`: a pattern without one matches that exact action; a pattern with one matches
 * every action starting with the text before it. So the rows that can answer action A are the
 * exact rows for A plus the wildcard rows whose prefix A starts with. Each named action gets that
 * partition; an action no row names can only be matched by wildcard rows. Answers are unchanged.
 */
import type { PolicyRule } from './policy-rule.js';

/** The action column of each section (see model.conf). */
const ACTION_COLUMN = { p: 2, p2: 1, p3: 2 } as const;

export interface RulePartitions {
  /** action → the rows that can match it, in policy order. */
  readonly byAction: ReadonlyMap<string, readonly PolicyRule[]>;
  /** The wildcard rows: all that can match an action no row names. */
  readonly wildcard: readonly PolicyRule[];
}

export const actionOf = (rule: PolicyRule): string => rule.values[ACTION_COLUMN[rule.ptype]]!;

export function partitionRules(rules: readonly PolicyRule[]): RulePartitions {
  const wildcard = rules.filter((r) => actionOf(r).includes('*'));
  const prefixOf = (r: PolicyRule) => actionOf(r).slice(0, actionOf(r).indexOf('*'));
  const byAction = new Map<string, PolicyRule[]>();
  for (const action of new Set(rules.map(actionOf).filter((a) => !a.includes('*')))) {
    // Filtering the full list keeps file order: the first matching row is the one cited.
    byAction.set(
      action,
      rules.filter((r) => (actionOf(r).includes('*') ? action.startsWith(prefixOf(r)) : actionOf(r) === action)),
    );
  }
  return { byAction, wildcard };
}
