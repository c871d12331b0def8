/**
 * Policy management: status, forced reload, and rows added at run time (stored, then loaded
 * with the files). A stored row that would not load is refused and never kept.
 */
import type { Engine, PolicyStatus } from '../engine/engine.js';
import { PolicyValidationError, validateRule, type PolicyRule } from '../engine/policy-rule.js';
import { badRequest, notFound } from '../errors.js';
import type { Stores } from '../store/stores.js';
import type { ShadowDecider, ShadowStatus } from './shadow-policy.js';

export class PolicyService {
  constructor(
    private readonly engine: Engine,
    private readonly stores: Stores,
    private readonly shadow?: ShadowDecider,
  ) {}

  status(): PolicyStatus {
    return this.engine.status();
  }

  /** The shadow policy's status, when one is configured (PORTCULLIS_SHADOW_POLICY_DIR). */
  shadowStatus(): ShadowStatus | undefined {
    return this.shadow?.status();
  }

  async reload(): Promise<PolicyStatus> {
    try {
      return await this.engine.reload();
    } catch (err) {
      throw badRequest(`policy reload failed; the previous policy stays in force: ${(err as Error).message}`);
    }
  }

  rules(): readonly PolicyRule[] {
    return this.engine.rules();
  }

  async addRule(ptype: string, values: string[]): Promise<PolicyStatus> {
    const [rule] = await loadableRules(this.engine, [{ ptype, values }], 'store');
    await this.stores.policyRules.add({ ptype: rule!.ptype, values: rule!.values });
    return this.reload();
  }

  async removeRule(ptype: string, values: string[]): Promise<PolicyStatus> {
    const removed = await this.stores.policyRules.remove({ ptype, values });
    if (!removed) throw notFound('no stored rule matches (rules from policy files are changed by editing the file)');
    return this.reload();
  }
}

/**
 * The rows as they would load beside the rules in force (same validation, same Engine.build), to
 * be called before anything is stored: 400 when one would not load, so a stored row can never
 * make the next reload fail.
 */
export async function loadableRules(
  engine: Engine,
  rows: readonly { readonly ptype: string; readonly values: readonly string[] }[],
  source: string,
): Promise<PolicyRule[]> {
  try {
    const rules = rows.map((r) => validateRule(r.ptype, r.values, source));
    await engine.build([...engine.rules(), ...rules]);
    return rules;
  } catch (err) {
    throw badRequest(err instanceof PolicyValidationError ? err.message : `invalid rule: ${(err as Error).message}`);
  }
}
