/** The engine's policy source: `policies/*.csv` first, then rows stored through the policy API. */
import type { PolicySource } from '../engine/engine.js';
import { readPolicyDir } from '../engine/policy-files.js';
import { validateRule, type PolicyRule } from '../engine/policy-rule.js';
import type { PolicyRuleStore } from '../store/policy-rule-store.js';

/** `label` prefixes the sources rows cite (`policies/resources.csv:8`; the shadow's `shadow/...`). */
export function filesAndStore(policyDir: string, stored: PolicyRuleStore, label = 'policies'): PolicySource {
  return {
    async load() {
      const { rules, files } = await readPolicyDir(policyDir, label);
      rules.push(...(await storedRules(stored)));
      return { rules, files };
    },
  };
}

/** The rows stored at run time, cited as `store`. */
export async function storedRules(stored: PolicyRuleStore): Promise<PolicyRule[]> {
  return (await stored.list()).map((r) => validateRule(r.ptype, r.values, 'store'));
}

/** A fixed set of rows (a replay of the policy in force, a draft). */
export function fixedRules(rules: readonly PolicyRule[], files: readonly string[] = []): PolicySource {
  return { load: async () => ({ rules: [...rules], files: [...files] }) };
}
