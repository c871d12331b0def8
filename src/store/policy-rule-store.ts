/**
 * Policy rows added at run time through `/v1/policy/rules` (files stay the admin's). On MongoDB
 * these go through typeorm-adapter, incrementally (never savePolicy on a live store).
 */
export interface StoredRule {
  readonly ptype: string;
  readonly values: readonly string[];
}

export interface PolicyRuleStore {
  list(): Promise<StoredRule[]>;
  /** false when the same row is already stored. */
  add(rule: StoredRule): Promise<boolean>;
  remove(rule: StoredRule): Promise<boolean>;
}
