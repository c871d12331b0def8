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
import { EnforceContext, newEnforcerWithClass, newModelFromString, Util, type Enforcer } from 'casbin';
import { PartitionAnswers, type AskedSubject } from './answer-memo.js';
import { CallerSubjects } from './caller-subjects.js';
import { compileCondition, conditionEvaluators, conditionFunction, rowConditionFunction } from './condition.js';
import { permissionReason, resourceReason, rolePathThrough, type DecisionCore } from './explanation.js';
import { LeanEnforcer } from './lean-enforcer.js';
import { GraphRoleManager } from './role-manager.js';
import type { EffectiveRoles, HeldRoles, RoleProof } from './role-graph.js';
import { PolicyValidationError, ruleKey, type PolicyProblem, type PolicyRule, type PolicyType } from './policy-rule.js';
import { partitionRules } from './rule-shards.js';
import type { ScopeKey } from './scope.js';
import { subjectKey } from './subject-key.js';

export type { HeldRoles } from './role-graph.js';

const PERMISSION = new EnforceContext('r2', 'p2', 'e2', 'm2');

// A decision's relations, shared and frozen (as NO_FACTS below): the memory decision log keeps
// which of them a decision has as two flag bits, and reads these back.
export const OWNER: readonly string[] = Object.freeze(['owner']);
export const OWNER_GROUP: readonly string[] = Object.freeze(['owner_group']);
export const OWNER_AND_GROUP: readonly string[] = Object.freeze(['owner', 'owner_group']);
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
  /**
   * The target's one key, when the asker knows the target is `{ [targetKey]: value }` and nothing
   * else (an object literal it made): the decision log then keeps the entry without walking the
   * object. Nothing decides by it.
   */
  readonly targetKey?: string;
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
  /** How the subject holds the deciding role, when a role decided a resource decision. */
  readonly rolePath?: string;
  /** Relations that held for this question (owner, owner_group, ...). */
  readonly facts: readonly string[];
  /** Locks that blocked the action, each with the p3 row that says it blocks. */
  readonly blockingLocks: readonly (LockFact & { readonly policy: RuleCitation })[];
  /** The subject's roles in scope and groups, when answering read them (the decision log keeps them). */
  readonly held?: HeldRoles | undefined;
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
  /**
   * Global roles (by name) the user holds in the scope, each with a proof, and the user's groups:
   * `groups.has(g)` is always isMember(userId, g) (the engine reads either).
   */
  held(userId: string, scope: ScopeKey): HeldRoles;
  isMember(userId: string, groupId: string): boolean;
  /** Human-readable role path for a proof. */
  describeProof(userId: string, proof: RoleProof): string;
}


export interface PolicySource {
  /** All rows in force: files first, then stored rules. Throws PolicyValidationError on bad input. */
  load(): Promise<{ rules: PolicyRule[]; files: string[] }>;
}

/** What the enforcer answered, with the row it cites (empty when none) and where that row is from. */
interface Answer {
  readonly allowed: boolean;
  readonly row: readonly string[];
  readonly policy: RuleCitation | undefined;
  /** A permission answer's reason (it depends on nothing else). */
  readonly reason?: string;
  /** The global role the cited row names (`role:<name>`), whose proof is the role path. */
  readonly role: string | undefined;
  /** A resource answer's explanations without locks, by the role path each was built with (see explainOnce). */
  reasons?: Map<string | undefined, string>;
  /** A permission answer's last decision (see checkPermission). */
  decision?: Decision;
}

/** The enforcer for some actions, and whether any of its `p` rows has a condition. */
interface Partition {
  readonly enforcer: Enforcer;
  /** The rows it holds, in policy order. */
  readonly rows: readonly PolicyRule[];
  /** Only then do resource questions build the attribute objects conditions read. */
  readonly conditional: boolean;
  /** Its answers, remembered per combination of what the matchers read (answer-memo.ts). */
  readonly answers: PartitionAnswers<Answer>;
  /** Where each row in force comes from (`ruleKey` → file:line or `store`), for citations. */
  readonly sources: ReadonlyMap<string, string>;
  /** One citation per row (Casbin hands back the row array itself), made on first use. */
  readonly citations: WeakMap<readonly string[], RuleCitation>;
}

export interface EngineOptions {
  /** Remember Casbin's answers per combination of what its matchers read (default true; tests compare both). */
  readonly rememberAnswers?: boolean;
}

interface Loaded {
  /** One enforcer per action some row names (see rule-shards.ts), each over model.conf. */
  readonly partitions: ReadonlyMap<string, Partition>;
  /** Answers actions no row names: it holds the wildcard rows only. */
  readonly fallback: Partition;
  readonly sources: ReadonlyMap<string, string>;
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
    private readonly options: EngineOptions = {},
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
    for (const [action, members] of byAction) partitions.set(action, await this.partitionOf(members, sources));
    const fallback = await this.partitionOf(wildcard, sources);
    return { partitions, fallback, sources, rules: kept };
  }

  private async partitionOf(rules: readonly PolicyRule[], sources: ReadonlyMap<string, string>): Promise<Partition> {
    const conditional = rules.some((r) => r.ptype === 'p' && r.values.length > 4);
    // One compile cache for the enforcer's condition() and the memo, which evaluates conditions to key its answers.
    const conditions = conditionEvaluators();
    const answers = new PartitionAnswers<Answer>(rules, this.graph, conditions, this.options.rememberAnswers ?? true);
    return { enforcer: await this.enforcerWith(rules, conditionFunction(conditions)), rows: rules, conditional, answers, sources, citations: new WeakMap() };
  }

  private async enforcerWith(rules: readonly PolicyRule[], condition: ReturnType<typeof conditionFunction>): Promise<Enforcer> {
    const enforcer = await newEnforcerWithClass(LeanEnforcer, newModelFromString(this.modelText));
    enforcer.keepFunctionsCalledIn(this.modelText);
    await enforcer.addFunction('condition', condition);
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

  /**
   * partitionFor a permission, remembering the last one found in the policy in force: checks come
   * in runs of one permission (each evaluation checks `authzen:evaluate`), and a comparison costs
   * less than the map lookup (~100 instructions a check, callgrind).
   */
  private permissionPartition(permission: string): Partition {
    const loaded = this.loaded();
    if (loaded === this.lastPermissionLoaded && permission === this.lastPermission) return this.lastPermissionPartition!;
    const partition = loaded.partitions.get(permission) ?? loaded.fallback;
    this.lastPermissionLoaded = loaded;
    this.lastPermission = permission;
    this.lastPermissionPartition = partition;
    return partition;
  }
  private lastPermissionLoaded: Loaded | undefined = undefined;
  private lastPermission = '';
  private lastPermissionPartition: Partition | undefined = undefined;

  private loaded(): Loaded {
    if (!this.current) throw new Error('policy not loaded');
    return this.current;
  }

  /** Does some row that can answer this action have a condition (so the subject's attributes count)? */
  hasConditions(action: string): boolean {
    return this.partitionFor(action).conditional;
  }

  /**
   * The subjects (first column) of the `p` rows that could allow the action on a resource of the
   * type: rows other than deny whose action and type patterns match as the matcher's keyMatch
   * does. A subject must hold one of them to be allowed (g() is a conjunct of the matcher; a
   * condition only narrows a row further), which is how searches find their candidates.
   */
  allowingSubjects(action: string, type: string): string[] {
    const out = new Set<string>();
    for (const { ptype, values } of this.partitionFor(action).rows) {
      if (ptype !== 'p' || values[3] === 'deny') continue;
      if (Util.keyMatchFunc(action, values[2]) && Util.keyMatchFunc(type, values[1])) out.add(values[0]!);
    }
    return [...out];
  }

  /** May the subject do the action on the resource? Considers policy, roles, relations, locks. */
  decideResource(q: ResourceQuestion): Decision {
    const partition = this.partitionFor(q.action);
    const { enforcer, conditional, answers } = partition;
    const { owner: ownerId, group } = q.resource;
    const owner = !!ownerId && ownerId === q.subjectId;
    // A resource with a group: the membership is read from the subject's roles in scope (their
    // groups are isMember's answer), which the answer reads anyway: one lookup fewer in the big
    // membership map, at M a cold one (a third of the resources have a group).
    const held = group ? this.graph.held(q.subjectId, q.resource.scope) : undefined;
    const inGroup = held !== undefined && held.groups.has(group!);
    const facts = owner ? (inGroup ? OWNER_AND_GROUP : OWNER) : inGroup ? OWNER_GROUP : NO_FACTS;
    const subject: AskedSubject = { userId: q.subjectId, scope: q.resource.scope, facts, held };
    // Rows without a condition read only r.sub.key, r.obj.type and r.act.name: the attribute
    // objects are built only for partitions where some row has a condition (never remembered).
    const answer = conditional
      ? answerOf(partition, 'p', enforcer.enforceExSync(...conditionRequest(q, subjectKey(q.subjectId, q.resource.scope, facts))))
      : answers.resource(subject, q.resource.type, q.action, askResource, partition, q);
    let blockingLocks: (LockFact & { readonly policy: RuleCitation })[] | undefined;
    const locks = q.locks ?? NO_LOCKS;
    for (let i = 0; i < locks.length; i++) {
      const lock = locks[i]!;
      const rel = lock.holder === q.subjectId ? 'holder' : lock.shared?.includes(q.subjectId) ? 'shared' : 'other';
      const blocks = this.lockAnswer(partition, lock.kind, rel, q.action);
      if (!blocks.allowed) (blockingLocks ??= []).push(blockingLock(lock, blocks.policy!));
    }
    // Explained in place with the decision log's own wording (explanation.ts), so a decision is one object.
    const d = { allowed: answer.allowed && blockingLocks === undefined, policy: answer.policy, facts, blockingLocks: blockingLocks ?? NO_LOCKS, reason: '', rolePath: undefined as string | undefined, held: subject.held };
    d.rolePath = this.rolePath(answer.allowed, answer.role, subject);
    d.reason = blockingLocks === undefined ? explainOnce(answer, q, d) : resourceReason(q, d, d.rolePath);
    return d;
  }

  /** May the caller use this API permission (identity:*, resource_lock:*, CDN-LOCK:*...)? */
  checkPermission(q: PermissionQuestion): Decision {
    const partition = this.permissionPartition(q.permission);
    const facts = q.facts ?? NO_FACTS;
    const obj = q.target ?? EMPTY;
    const { sub, plain } = this.callers.of(q.userId, q.scope, facts, q.attrs);
    const subject: AskedSubject = { userId: q.userId, scope: q.scope, facts, held: undefined };
    const answer = partition.answers.permission(subject, plain, sub, obj, q.permission, askPermission, partition, q);
    // A decision is made of the answer, the facts and the roles held (the role graph's object, replaced
    // when they change) alone, and nothing changes one: the answer keeps its last, and a caller's
    // checks share it while those are the same (no object a check).
    const last = answer.decision;
    if (last !== undefined && last.held === subject.held && last.facts === facts) return last;
    // No role path: what a permission check's callers read is its verdict and reason, and its
    // decision log record explains its role path when it is read (explainRecord).
    return (answer.decision = { allowed: answer.allowed, reason: answer.reason!, policy: answer.policy, facts, blockingLocks: NO_LOCKS, rolePath: undefined, held: subject.held });
  }

  /** Does a lock of this kind stop a subject with this relation to its holder from acting? */
  lockBlocks(kind: string, relation: 'holder' | 'shared' | 'other', action: string): RuleCitation | undefined {
    const answer = this.lockAnswer(this.partitionFor(action), kind, relation, action);
    return answer.allowed ? undefined : answer.policy;
  }

  /** The p3 answer: `allowed` false means a row says the lock blocks the action. */
  private lockAnswer(partition: Partition, kind: string, relation: string, action: string): Answer {
    return partition.answers.lock(kind, relation, action, askLock, partition);
  }

  /**
   * How the subject holds the role the allowing row names (explanation.ts, as the decision log
   * words it); the role graph is asked only when a row allowed through a role. `role` is the
   * answer's own (the row's subject without `role:`, cut once per answer, not per decision).
   */
  private rolePath(allowedByPolicy: boolean, role: string | undefined, subject: AskedSubject): string | undefined {
    if (!allowedByPolicy || role === undefined) return undefined;
    return rolePathThrough(role, subject.userId, (subject.held ?? this.graph.held(subject.userId, subject.scope)).roles, this.describe);
  }

  /** r2.sub per caller, made once (caller-subjects.ts). */
  private readonly callers = new CallerSubjects();
  private readonly describe: RoleFacts['describeProof'] = (userId, proof) => this.graph.describeProof(userId, proof);
}

/*
 * What the answer memo (answer-memo.ts) calls to ask Casbin a question it does not remember:
 * functions given what they need, not closures made per question (each decision and each
 * permission check made one, remembered or not).
 */

/** A resource question in a partition whose rows have no condition: they read r.sub.key, r.obj.type and r.act.name only. */
function askResource(partition: Partition, q: ResourceQuestion, subject: AskedSubject): Answer {
  const key = subjectKey(subject.userId, subject.scope, subject.facts);
  return answerOf(partition, 'p', partition.enforcer.enforceExSync({ key }, q.resource, { name: q.action }, EMPTY));
}

/** A permission question, r2.sub being `sub`; its reason depends on nothing else, so it is kept with it. */
function askPermission(partition: Partition, q: PermissionQuestion, sub: object): Answer {
  const answer = answerOf(partition, 'p2', partition.enforcer.enforceExSync(PERMISSION, sub, q.target ?? EMPTY, q.permission));
  return { ...answer, reason: permissionReason(q, { ...answer, facts: q.facts ?? NO_FACTS, blockingLocks: NO_LOCKS }) };
}

/** A lock rule question (p3). */
function askLock(partition: Partition, kind: string, relation: string, action: string): Answer {
  return answerOf(partition, 'p3', partition.enforcer.enforceExSync(LOCK, kind, relation, action));
}

/**
 * A lock that blocks, with the p3 row that says so. Its fields are assigned, not spread from the
 * lock: the spread with one more field took V8's slow path (Runtime_DefineNamedOwnIC_Slow), ~1,100
 * instructions a request more in the whole-request callgrind of Zipf at M, where a tenth of the
 * decisions are blocked. `shared` only where the lock has it, as the spread kept it.
 */
function blockingLock(lock: LockFact, policy: RuleCitation): LockFact & { readonly policy: RuleCitation } {
  return lock.shared === undefined
    ? { id: lock.id, kind: lock.kind, holder: lock.holder, policy }
    : { id: lock.id, kind: lock.kind, holder: lock.holder, shared: lock.shared, policy };
}

/**
 * Casbin's enforceEx answer, with the row it cites and that row's source. The citation is made
 * once per row and frozen: decisions, and the decision log holding them, share it.
 */
function answerOf(partition: Partition, ptype: PolicyType, [allowed, enforced]: [boolean, string[]]): Answer {
  if (!enforced.length) return { allowed, row: enforced, policy: undefined, role: undefined };
  let policy = partition.citations.get(enforced);
  if (!policy) {
    const row = ptype === 'p' && enforced[4] === NO_CONDITION ? enforced.slice(0, 4) : enforced;
    policy = Object.freeze({ source: partition.sources.get(ruleKey(ptype, row)) ?? 'unknown', rule: Object.freeze([ptype, ...row]) });
    partition.citations.set(enforced, policy);
  }
  const role = enforced[0]?.startsWith('role:') ? enforced[0].slice(5) : undefined;
  return { allowed, row: enforced, policy, role };
}

/**
 * The reason of a resource decision no lock blocked, built once per remembered answer and role
 * path: it depends only on the answer, the action and type (both part of the memo's key, so one
 * answer object serves one action and type) and the role path, which is the same string object
 * while the subject's proof is (the role graph describes each proof once). Subjects sharing an
 * answer hold its role through different proofs, so an answer keeps the reasons of its last
 * REASONS_KEPT role paths (remembering only the last one rebuilt the sentence, a new string to
 * flatten when written out, for a third of the decisions at M; this, for none once warm).
 */
function explainOnce(answer: Answer, q: ResourceQuestion, d: DecisionCore & { readonly rolePath: string | undefined }): string {
  let reasons = answer.reasons;
  const known = reasons?.get(d.rolePath);
  if (known !== undefined) return known;
  const reason = resourceReason(q, d, d.rolePath);
  if (reasons === undefined || reasons.size >= REASONS_KEPT) answer.reasons = reasons = new Map();
  reasons.set(d.rolePath, reason);
  return reason;
}
/** Enough for every role path a hot answer meets at M (~1,450 pairs over 4,000 questions); bounds memory per answer. */
const REASONS_KEPT = 256;

const EMPTY: Attributes = Object.freeze({});
export const NO_FACTS: readonly string[] = Object.freeze([]);
export const NO_LOCKS: Decision['blockingLocks'] = Object.freeze([]);

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
