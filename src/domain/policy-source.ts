/** The engine's policy source: `policies/*.csv` first, then rows stored through the policy API. */
import type { PolicySource } from '../engine/engine.js';
import { readPolicyDir } from '../engine/policy-files.js';
import { validateRule } from '../engine/policy-rule.js';
import type { PolicyRuleStore } from '../store/policy-rule-store.js';

export function filesAndStore(policyDir: string, stored: PolicyRuleStore): PolicySource {
  return {
    async load() {
      const { rules, files } = await readPolicyDir(policyDir);
      for (const r of await stored.list()) rules.push(validateRule(r.ptype, r.values, 'store'));
      return { rules, files };
    },
  };
}
