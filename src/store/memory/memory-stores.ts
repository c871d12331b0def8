/**
 * The embedded in-memory store: the reference implementation of every store interface.
 * What it does not do: persist anything (a restart starts empty, then bootstraps), or share state
 * between processes (one replica only). Everything else matches the MongoDB store's contract.
 */
import type { PolicyRuleStore, StoredRule } from '../policy-rule-store.js';
import { LocalChangeFeed } from '../change-feed.js';
import { publishingStores } from '../publishing-stores.js';
import type { Stores } from '../stores.js';
import { MemoryPasswordStore, MemoryTokenStore } from './memory-credentials.js';
import { MemoryDecisionLog } from './memory-decision-log.js';
import { DEFAULT_DECISION_LOG_SIZE } from '../decision-log-store.js';
import { createMemoryDirectory } from './memory-directory.js';
import { MemoryCdnLockStore, MemoryManilaLockStore, MemoryRouteLockStore } from './memory-locks.js';
import { MemoryResourceStore } from './memory-resources.js';
import { MemoryGrantStore, MemoryInferenceStore, MemoryRoleStore } from './memory-roles.js';

class MemoryPolicyRules implements PolicyRuleStore {
  private readonly rules: StoredRule[] = [];
  private same = (a: StoredRule, b: StoredRule) =>
    a.ptype === b.ptype && a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]);

  async list() {
    return this.rules.map((r) => ({ ptype: r.ptype, values: [...r.values] }));
  }
  async add(rule: StoredRule) {
    if (this.rules.some((r) => this.same(r, rule))) return false;
    this.rules.push({ ptype: rule.ptype, values: [...rule.values] });
    return true;
  }
  async remove(rule: StoredRule) {
    const i = this.rules.findIndex((r) => this.same(r, rule));
    if (i < 0) return false;
    this.rules.splice(i, 1);
    return true;
  }
}

export function createMemoryStores(options: { readonly decisionLogSize?: number } = {}): Stores {
  return publishingStores(
    {
      kind: 'memory',
      directory: createMemoryDirectory(),
      roles: new MemoryRoleStore(),
      inferences: new MemoryInferenceStore(),
      grants: new MemoryGrantStore(),
      resources: new MemoryResourceStore(),
      manilaLocks: new MemoryManilaLockStore(),
      cdnLocks: new MemoryCdnLockStore(),
      routeLocks: new MemoryRouteLockStore(),
      policyRules: new MemoryPolicyRules(),
      passwords: new MemoryPasswordStore(),
      tokens: new MemoryTokenStore(),
      decisionLog: new MemoryDecisionLog(options.decisionLogSize ?? DEFAULT_DECISION_LOG_SIZE),
      isReady: async () => true,
      close: async () => {},
    },
    new LocalChangeFeed(),
  );
}
