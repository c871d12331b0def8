/**
 * The engine: Casbin over model.conf, fed with policy rows from files and the store, and the
 * role graph behind g(). Every allow/deny in Portcullis is one of its answers.
 *
 * Reload is atomic (docs/architecture.md invariant 5): new enforcers are built off to the side, every
 * condition compiled and every section probed, and only then swapped in. The rows are partitioned
 * by the action they can match (rule-shards.ts): one enforcer per partition, all over model.conf,
 * so a check scans only rows that could answer it. Must not:
 * know HTTP, read stores, or decide anything outside Casbin.
 */
import { EnforceContext, newEnforcerWithClass, newModelFromString, type Enforcer } from 'casbin';
import { compileCondition, conditionFunction, rowConditionFunction } from './condition.js';
import { permissionReason, resourceReason, rolePathOf } from './explanation.js';
import { LeanEnforcer } from './lean-enforcer.js';
import { GraphRoleManager } from './role-manager.js';
import type { EffectiveRoles, RoleProof } from './role-graph.js';
import { PolicyValidationError, ruleKey, type PolicyProblem, type PolicyRule, type PolicyType } from './policy-rule.js';
import { partitionRules } from './rule-shards.js';
import type { ScopeKey } from './scope.js';
import { subjectKey } from './subject-key.js';

const PERMISSION = new EnforceContext('r2', 'p2', 'e2', 'm2');

// Shared, frozen answers for the common cases, so a decision allocates none of them.
const NONE: readonly string[] = Object.freeze([]);
const OWNER: readonly string[] = Object.freeze(['owner']);
const OWNER_GROUP: readonly string[] = Object.freeze(['owner_group']);
const OWNER_AND_GROUP: readonly string[] = Object.freeze(['owner', 'owner_group']);
const NO_LOCKS: Decision['blockingLocks'] = Object.freeze([]);
const LOCK = new EnforceContext('r3', 'p3', 'e3', 'm3');

/** A lock on the resource in question, as the lock services describe it. */
export interface LockFact {
  readonly id: string;
  /** Matched against p3's first column, e.g. `manila:delete`, `cdn:soft`, `cdn:hard`, `route`. */
  readonly kind: string;
  /** User id of the holder. */
  readonly holder: string;
  readonly shared?: readonly string[];
}

type Attributes = Readonly<Record<string, unknown>>;

/** The subject as the app named it, and the directory user it resolved to (if any). */
export interface SubjectFacts {
  readonly type: string;
  /** The id as the app sent it (a user name, an email, a directory id...). */
  readonly id: string;
  readonly properties?: Attributes;
  readonly user?: {
    readonly id: string;
    readonly name: string;
    readonly domainId: string;
    readonly email?: string | null;
  };
}

export interface ResourceQuestion {
  /** The directory user id whose roles count (the app's id as sent when the subject is unknown). */
  readonly subjectId: string;
  /** What `p` row conditions see as r.sub; without it, a user known by subjectId. */
  readonly subject?: SubjectFacts;
  readonly action: string;
  /** Seen by conditions as r.act.properties. */
  readonly actionProperties?: Attributes;
  readonly resource: {
    readonly type: string;
    readonly id: string;
    readonly scope: ScopeKey;
    readonly owner?: string | null;
    readonly group?: string | null;
    /** Request properties with the registry's attributes over them: r.obj.properties. */
    readonly properties?: Attributes;
    /** The registry's status, seen as r.obj.properties.status (over the request's). */
    readonly status?: string | null;
    readonly registered?: boolean;
  };
  /** The request context: r.ctx. */
  readonly context?: Attributes;
  readonly locks?: readonly LockFact[];
}

export interface PermissionQuestion {
  readonly userId: string;
  /** Scope of the caller's token: roles are those held there. */
  readonly scope: ScopeKey;
  /** Facts about the caller (e.g. `ctx:service`), matched by non-role p2 subjects. */
  readonly facts?: readonly string[];
  /** Caller attributes visible to conditions as r2.sub.<name>. */
  readonly attrs?: Readonly<Record<string, unknown>>;
  readonly permission: string;
  /** Target attributes visible to conditions as r2.obj.<name>. */
  readonly target?: Readonly<Record<string, unknown>>;
}

export interface RuleCitation {
  /** `policies/<file>.csv:<line>` or `store`. */
  readonly source: string;
  readonly rule: readonly string[];
}

export interface Decision {
  readonly allowed: boolean;
  /** One sentence saying why. */
  readonly reason: string;
  /** The row that decided: the allow that matched, or the deny that overrode. */
  readonly policy?: RuleCitation;
  /** How the subject holds the deciding role, when a role decided. */
  readonly rolePath?: string;
  /** Relations that held for this question (owner, owner_group, ...). */
  readonly facts: readonly string[];
  /** Locks that blocked the action, each with the p3 row that says it blocks. */
  readonly blockingLocks: readonly (LockFact & { readonly policy: RuleCitation })[];
}

export interface PolicyStatus {
  readonly version: number;
  readonly loadedAt: string | null;
  readonly files: readonly string[];
  readonly rules: number;
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

/**
 * What the engine reads about subjects: the role graph in the server; the facts a decision was
 * recorded with when the decision log replays it (impact of a draft).
 */
export interface RoleFacts {
  /** Global roles (by name) the user holds in the scope, each with a proof. */
  effectiveRoles(userId: string, scope: ScopeKey): EffectiveRoles;
  isMember(userId: string, groupId: string): boolean;
  /** Human-readable role path for a proof. */
  describeProof(userId: string, proof: RoleProof): string;
}

/** What a subject held when a question was answered, as the role graph gave it (the decision log keeps it). */
export interface HeldRoles {
  /** Global roles held in the question's scope (name → proof). */
  readonly roles: EffectiveRoles;
  readonly groups: ReadonlySet<string>;
}

export interface PolicySource {
  /** All rows in force: files first, then stored rules. Throws PolicyValidationError on bad input. */
  load(): Promise<{ rules: PolicyRule[]; files: string[] }>;
}

/** The enforcer for some actions, and whether any of its `p` rows has a condition. */
interface Partition {
  readonly enforcer: Enforcer;
  /** Only then do resource questions build the attribute objects conditions read. */
  readonly conditional: boolean;
}

interface Loaded {
  /** One enforcer per action some row names (see rule-shards.ts), each over model.conf. */
  readonly partitions: ReadonlyMap<string, Partition>;
  /** Answers actions no row names: it holds the wildcard rows only. */
  readonly fallback: Partition;
  readonly sources: ReadonlyMap<string, string>;
  /** One citation per policy row (Casbin hands back the row array itself), made on first use. */
  readonly citations: WeakMap<readonly string[], RuleCitation>;
  readonly rules: readonly PolicyRule[];
}

export class Engine {
  private current: Loaded | undefined;
  private state: PolicyStatus = { version: 0, loadedAt: null, files: [], rules: 0, lastError: null };
  private reloading: Promise<PolicyStatus> = Promise.resolve(this.state);
  private readonly reloadListeners: (() => void)[] = [];

  constructor(
    readonly graph: RoleFacts,
    readonly modelText: string,
    private readonly policySource: PolicySource,
  ) {}

  status(): PolicyStatus {
    return this.state;
  }

  get ready(): boolean {
    return this.current !== undefined;
  }

  /** Rows currently in force (for the policy API and action search). */
  rules(): readonly PolicyRule[] {
    return this.current?.rules ?? [];
  }

  /** Calls `listener` after every reload that swapped a new policy in. */
  onReload(listener: () => void): void {
    this.reloadListeners.push(listener);
  }

  /**
   * Re-reads every policy source and swaps the new enforcer in. On failure the policy in force
   * stays, the error is recorded in status() and the returned promise rejects. Reloads run one at
   * a time, in call order.
   */
  reload(): Promise<PolicyStatus> {
    const next = this.reloading.catch(() => undefined).then(() => this.reloadNow());
    this.reloading = next;
    return next;
  }

  private async reloadNow(): Promise<PolicyStatus> {
    try {
      const { rules, files } = await this.policySource.load();
      const loaded = await this.build(rules);
      this.current = loaded;
      this.state = {
        version: this.state.version + 1,
        loadedAt: new Date().toISOString(),
        files,
        rules: loaded.rules.length,
        lastError: null,
      };
      for (const listener of this.reloadListeners) listener();
      return this.state;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.state = { ...this.state, lastError: { message, at: new Date().toISOString() } };
      throw err instanceof PolicyValidationError ? err : new PolicyValidationError(message);
    }
  }

  /** Builds and probes enforcers for the given rows without touching the ones in force. */
  async build(rules: readonly PolicyRule[]): Promise<Loaded> {
    const sources = new Map<string, string>();
    const kept: PolicyRule[] = [];
    for (const rule of rules) {
      const key = ruleKey(rule.ptype, rule.values);
      if (sources.has(key)) continue; // the first occurrence is the one cited
      sources.set(key, rule.source);
      kept.push(rule);
    }
    checkConditions(kept);
    const { byAction, wildcard } = partitionRules(kept);
    const partitions = new Map<string, Partition>();
    for (const [action, members] of byAction) partitions.set(action, await this.partitionOf(members));
    const fallback = await this.partitionOf(wildcard);
    return { partitions, fallback, sources, rules: kept, citations: new WeakMap() };
  }

  private async partitionOf(rules: readonly PolicyRule[]): Promise<Partition> {
    const conditional = rules.some((r) => r.ptype === 'p' && r.values.length > 4);
    return { enforcer: await this.enforcerWith(rules), conditional };
  }

  private async enforcerWith(rules: readonly PolicyRule[]): Promise<Enforcer> {
    const enforcer = await newEnforcerWithClass(LeanEnforcer, newModelFromString(this.modelText));
    enforcer.keepFunctionsCalledIn(this.modelText);
    await enforcer.addFunction('condition', conditionFunction());
    await enforcer.addFunction('rowCondition', rowConditionFunction());
    enforcer.setRoleManager(new GraphRoleManager(this.graph));
    await enforcer.buildRoleLinks();
    const byType = new Map<PolicyType, string[][]>();
    for (const rule of rules) byType.set(rule.ptype, [...(byType.get(rule.ptype) ?? []), enforcerRow(rule)]);
    for (const [ptype, rows] of byType) await enforcer.addNamedPolicies(ptype, rows);
    probe(enforcer);
    return enforcer;
  }

  /** The partition holding every row that can match this action or permission. */
  private partitionFor(action: string): Partition {
    const loaded = this.loaded();
    return loaded.partitions.get(action) ?? loaded.fallback;
  }

  private enforcerFor(action: string): Enforcer {
    return this.partitionFor(action).enforcer;
  }

  private loaded(): Loaded {
    if (!this.current) throw new Error('policy not loaded');
    return this.current;
  }

  /**
   * The deciding row with its source. Shared by every decision that row decides (Casbin hands
   * back the row array itself), and frozen: decisions, and the decision log holding them, retain
   * no per-decision copy.
   */
  private cite(ptype: PolicyType, enforced: readonly string[]): RuleCitation | undefined {
    if (!enforced.length) return undefined;
    const loaded = this.loaded();
    let citation = loaded.citations.get(enforced);
    if (!citation) {
      const row = ptype === 'p' && enforced[4] === NO_CONDITION ? enforced.slice(0, 4) : enforced;
      citation = Object.freeze({ source: loaded.sources.get(ruleKey(ptype, row)) ?? 'unknown', rule: Object.freeze([ptype, ...row]) });
      loaded.citations.set(enforced, citation);
    }
    return citation;
  }

  /** Does some row that can answer this action have a condition (so the subject's attributes count)? */
  hasConditions(action: string): boolean {
    return this.partitionFor(action).conditional;
  }

  /** May the subject do the action on the resource? Considers policy, roles, relations, locks. */
  decideResource(q: ResourceQuestion): Decision {
    const { enforcer, conditional } = this.partitionFor(q.action);
    const owner = !!q.resource.owner && q.resource.owner === q.subjectId;
    const inGroup = !!q.resource.group && this.graph.isMember(q.subjectId, q.resource.group);
    const facts = owner ? (inGroup ? OWNER_AND_GROUP : OWNER) : inGroup ? OWNER_GROUP : NONE;
    const key = subjectKey(q.subjectId, q.resource.scope, facts);
    // Rows without a condition read only r.sub.key, r.obj.type and r.act.name: the attribute
    // objects are built only for partitions where some row has a condition.
    const [allowedByPolicy, row] = conditional
      ? enforcer.enforceExSync(...conditionRequest(q, key))
      : enforcer.enforceExSync({ key }, q.resource, { name: q.action }, EMPTY);
    const policy = this.cite('p', row);
    let blockingLocks: (LockFact & { readonly policy: RuleCitation })[] | undefined;
    for (const lock of q.locks ?? []) {
      const rel =
        lock.holder === q.subjectId ? 'holder' : lock.shared?.includes(q.subjectId) ? 'shared' : 'other';
      const [notBlocked, lockRow] = enforcer.enforceExSync(LOCK, lock.kind, rel, q.action);
      if (!notBlocked) (blockingLocks ??= []).push({ ...lock, policy: this.cite('p3', lockRow)! });
    }
    // Built once and explained in place (explanation.ts), so a decision is one object.
    const d = { allowed: allowedByPolicy && blockingLocks === undefined, policy, facts, blockingLocks: blockingLocks ?? NO_LOCKS, reason: '', rolePath: undefined as string | undefined };
    d.rolePath = rolePathOf(d, q.subjectId, this.graph.effectiveRoles(q.subjectId, q.resource.scope), this.describe);
    d.reason = resourceReason(q, d, d.rolePath);
    return d;
  }

  /** May the caller use this API permission (identity:*, resource_lock:*, CDN-LOCK:*...)? */
  checkPermission(q: PermissionQuestion): Decision {
    const enforcer = this.enforcerFor(q.permission);
    const sub = { ...q.attrs, id: q.userId, key: subjectKey(q.userId, q.scope, q.facts ?? []) };
    const [allowed, row] = enforcer.enforceExSync(PERMISSION, sub, q.target ?? {}, q.permission);
    const d = { allowed, policy: this.cite('p2', row), facts: q.facts ?? NONE, blockingLocks: NO_LOCKS, reason: '', rolePath: undefined as string | undefined };
    d.rolePath = rolePathOf(d, q.userId, this.graph.effectiveRoles(q.userId, q.scope), this.describe);
    d.reason = permissionReason(q, d);
    return d;
  }

  /** Does a lock of this kind stop a subject with this relation to its holder from acting? */
  lockBlocks(kind: string, relation: 'holder' | 'shared' | 'other', action: string): RuleCitation | undefined {
    const [notBlocked, row] = this.enforcerFor(action).enforceExSync(LOCK, kind, relation, action);
    return notBlocked ? undefined : this.cite('p3', row);
  }

  private readonly describe: RoleFacts['describeProof'] = (userId, proof) => this.graph.describeProof(userId, proof);
}

const EMPTY: Attributes = Object.freeze({});

/**
 * The request as `p` conditions see it:
 *   r.sub  key, type, id (as the app sent it), properties, and the directory user it resolved
 *          to: user_id, name, domain_id, email ('' when unknown)
 *   r.obj  type, id, scope, owner, group, registered, properties (request properties with the
 *          registry's attributes and status over them)
 *   r.act  name, properties
 *   r.ctx  the request context
 */
function conditionRequest(q: ResourceQuestion, key: string): [object, object, object, Attributes] {
  const s = q.subject;
  const user = s?.user;
  const sub = {
    key,
    type: s?.type ?? 'user',
    id: s?.id ?? q.subjectId,
    properties: s?.properties ?? EMPTY,
    user_id: user?.id ?? '',
    name: user?.name ?? '',
    domain_id: user?.domainId ?? '',
    email: user?.email ?? '',
  };
  const r = q.resource;
  const obj = {
    type: r.type,
    id: r.id,
    scope: r.scope,
    owner: r.owner ?? '',
    group: r.group ?? '',
    registered: r.registered ?? false,
    properties: r.status ? { ...r.properties, status: r.status } : (r.properties ?? EMPTY),
  };
  return [sub, obj, { name: q.action, properties: q.actionProperties ?? EMPTY }, q.context ?? EMPTY];
}

/**
 * A `p` row without a condition is given an empty fifth value in the enforcer: Casbin reads every
 * token of the section for every row it scans, and reading past the end of a 4-value row (an
 * out-of-bounds array load, slow in V8) made every resource check ~2x slower.
 */
const NO_CONDITION = '';

function enforcerRow(rule: PolicyRule): string[] {
  return rule.ptype === 'p' && rule.values.length === 4 ? [...rule.values, NO_CONDITION] : [...rule.values];
}

/** Where a row's condition is: p2's third column, or p's optional fifth. */
function conditionOf(rule: PolicyRule): string | undefined {
  if (rule.ptype === 'p2') return rule.values[2];
  if (rule.ptype === 'p') return rule.values[4];
  return undefined;
}

/**
 * Compiles every condition now, as the matcher functions will on first use (see condition.ts),
 * so a condition with a syntax error fails the reload with its file and line instead of failing
 * the first real request.
 */
function checkConditions(rules: readonly PolicyRule[]): void {
  const problems: PolicyProblem[] = [];
  for (const rule of rules) {
    const cond = conditionOf(rule);
    if (cond === undefined) continue;
    try {
      compileCondition(cond);
    } catch (err) {
      problems.push({ source: rule.source, message: `invalid condition: ${(err as Error).message}` });
    }
  }
  if (problems.length) throw new PolicyValidationError(problems);
}

/** Runs one question through each section, so a model or row problem fails the reload. */
function probe(enforcer: Enforcer): void {
  const sub = { key: subjectKey('\u0000probe', 'system') };
  enforcer.enforceSync(sub, { type: 'probe', id: 'probe' }, { name: 'probe' }, EMPTY);
  enforcer.enforceSync(PERMISSION, sub, {}, 'probe');
  enforcer.enforceSync(LOCK, 'probe', 'other', 'probe');
}
