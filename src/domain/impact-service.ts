/**
 * The impact of a draft policy (POST /v1/policy/impact): the draft is the policy files in force
 * with some replaced or deleted, plus the rules stored at run time. It is checked like a reload
 * (same parser, same Engine.build; a broken draft is refused with every problem and changes
 * nothing), then every decision in the decision log is decided again twice, by the policy in
 * force and by the draft, both on the facts recorded with the decision (the roles and groups the
 * subject held, the resource's scope, owner and locks, the request's properties): a decision that
 * flips is flipped by the draft, not by data that changed since.
 */
import { Engine, type Decision } from '../engine/engine.js';
import { checkPolicy } from '../engine/policy-check.js';
import { POLICY_FILE_NAME, readPolicyTexts } from '../engine/policy-files.js';
import { describeProblem } from '../engine/policy-rule.js';
import { RecordedRoleFacts } from '../engine/recorded-role-facts.js';
import type { RoleGraph } from '../engine/role-graph.js';
import { badRequest } from '../errors.js';
import type { DecisionRecord } from '../store/decision-log-store.js';
import type { Stores } from '../store/stores.js';
import { fixedRules, storedRules } from './policy-source.js';

export interface ImpactDeps {
  readonly live: Engine;
  readonly graph: RoleGraph;
  readonly stores: Stores;
  readonly policyDir: string;
}

export interface ChangedDecision {
  readonly record: DecisionRecord;
  readonly before: Decision;
  readonly after: Decision;
}

export interface Impact {
  readonly replayed: number;
  readonly changed: readonly ChangedDecision[];
  /** The draft's files (in name order) and row count. */
  readonly draft: { readonly files: readonly string[]; readonly rules: number };
}

export class ImpactService {
  constructor(private readonly deps: ImpactDeps) {}

  /** `files`: file name → full new text; an empty text deletes the file in the draft. */
  async impact(files: Readonly<Record<string, string>>): Promise<Impact> {
    const bad = Object.keys(files).filter((name) => !POLICY_FILE_NAME.test(name));
    if (bad.length) throw badRequest(`not a policy file name (expected e.g. "resources.csv", no directories): ${bad.map((n) => JSON.stringify(n)).join(', ')}`);
    const texts = new Map(await readPolicyTexts(this.deps.policyDir));
    for (const [name, text] of Object.entries(files)) {
      if (text === '') texts.delete(name);
      else texts.set(name, text);
    }
    const { live, stores } = this.deps;
    const draft = await checkPolicy(live.modelText, texts, { extra: await storedRules(stores.policyRules) });
    if (draft.problems.length) {
      const problems = draft.problems.map(describeProblem);
      throw badRequest(`the draft does not load; nothing was replayed: ${problems.join('; ')}`, { problems });
    }
    const facts = new RecordedRoleFacts(this.deps.graph);
    const before = new Engine(facts, live.modelText, fixedRules(live.rules()));
    const after = new Engine(facts, live.modelText, fixedRules(draft.rules, draft.files));
    await Promise.all([before.reload(), after.reload()]);
    const records = (await stores.decisionLog.query({}, { limit: Math.max(1, stores.decisionLog.capacity) })).items;
    const changed: ChangedDecision[] = [];
    for (const record of records) {
      facts.use(record);
      const [b, a] = [before, after].map((engine) =>
        record.kind === 'resource' ? engine.decideResource(record.question) : engine.checkPermission(record.question),
      ) as [Decision, Decision];
      if (b.allowed !== a.allowed) changed.push({ record, before: b, after: a });
    }
    return { replayed: records.length, changed, draft: { files: draft.files, rules: draft.rules.length } };
  }
}
