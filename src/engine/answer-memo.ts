/**
 * Casbin's answers, remembered per distinct combination of everything its matchers read, for as
 * long as the policy they came from is in force (each partition of each reload has its own memo,
 * so a reload starts empty). Every answer is still one Casbin computed over the policy in force:
 * the first question with a given combination is asked of the enforcer, and later questions with
 * the same combination get that answer back.
 *
 * What a matcher reads (model.conf):
 *   m   keyMatch(action), keyMatch(type), g(subject key, p.sub), and the row's condition. Only
 *       partitions whose `p` rows have no condition are remembered; g() is a function of the
 *       row subject alone once the question is fixed, so the combination is (action, type, which
 *       of the partition's row subjects the subject holds): the roles held in scope, the
 *       relations (owner, owner_group), user:/group: rows, `*`.
 *   m2  keyMatch(permission), g(caller key, p2.sub), and the condition over r2.sub and r2.obj:
 *       (permission, which row subjects the caller holds, the value of every field of r2.sub
 *       and r2.obj that some condition of the partition reads). A partition whose conditions read
 *       those objects other than field by field, or a question where such a field holds an
 *       object, is not remembered.
 *   m3  keyMatch over (lock kind, relation, action) only.
 * Not a per-subject or per-resource cache: two users with the same roles in scope share an entry.
 * Each memo is bounded; when full it starts over.
 */
import type { RoleFacts } from './engine.js';
import type { HeldRoles } from './role-graph.js';
import type { PolicyRule } from './policy-rule.js';
import type { SubjectKeyParts } from './subject-key.js';

const LIMIT = 20_000;

/**
 * A question's subject; `held` is filled with the role graph's roles in scope (and the groups
 * they come from) when an answer reads them, so the engine hands them to the decision log
 * instead of it looking them up again.
 */
export interface AskedSubject extends SubjectKeyParts {
  held: HeldRoles | undefined;
}

/** Stands for -0 in a memo key: Map keys compare with SameValueZero, which equates -0 and 0. */
const MINUS_ZERO = Symbol('-0');
const ANSWER = Symbol('answer');

type Node = Map<unknown, unknown>;

/**
 * A bounded memo keyed by a path of primitive values (Map keys compare strings, numbers, booleans,
 * undefined and null by value and type), so no key string is built per question.
 */
class Memo<A> {
  private root: Node = new Map();
  private size = 0;

  /** The node under `node` for `key`, created when missing. */
  child(node: Node, key: unknown): Node {
    const k = Object.is(key, -0) ? MINUS_ZERO : key;
    let next = node.get(k) as Node | undefined;
    if (!next) node.set(k, (next = new Map()));
    return next;
  }

  top(): Node {
    return this.root;
  }

  answer(node: Node, ask: () => A): A {
    let answer = node.get(ANSWER) as A | undefined;
    if (answer === undefined) {
      answer = ask();
      if (++this.size > LIMIT) {
        this.root = new Map();
        this.size = 0;
      } else node.set(ANSWER, answer);
    }
    return answer;
  }
}

const enum Kind {
  Any,
  Role,
  User,
  Group,
  Fact,
}

/** The distinct row subjects of a section, asked of a subject in one go, as bits (1: held). */
class SubjectVector {
  private constructor(private readonly tests: readonly { readonly kind: Kind; readonly arg: string }[]) {}

  /**
   * undefined when a row subject contains a newline (g() compares it with the whole subject key
   * too, which this vector does not model) or there are too many subjects for one number.
   */
  static of(names: Iterable<string>): SubjectVector | undefined {
    const distinct = [...new Set(names)];
    if (distinct.length > 30 || distinct.some((n) => n.includes('\n'))) return undefined;
    // The same tests as holdsSubject (role-manager.ts), decoded once.
    return new SubjectVector(
      distinct.map((name) =>
        name === '*'
          ? { kind: Kind.Any, arg: name }
          : name.startsWith('role:')
            ? { kind: Kind.Role, arg: name.slice(5) }
            : name.startsWith('user:')
              ? { kind: Kind.User, arg: name.slice(5) }
              : name.startsWith('group:')
                ? { kind: Kind.Group, arg: name.slice(6) }
                : { kind: Kind.Fact, arg: name },
      ),
    );
  }

  bits(graph: RoleFacts, subject: AskedSubject): number {
    let bits = 0;
    let roles: ReadonlyMap<string, unknown> | undefined;
    for (let i = 0; i < this.tests.length; i++) {
      const { kind, arg } = this.tests[i]!;
      let held: boolean;
      switch (kind) {
        case Kind.Any:
          held = true;
          break;
        case Kind.Role:
          held = (roles ??= (subject.held ??= graph.held(subject.userId, subject.scope)).roles).has(arg);
          break;
        case Kind.User:
          held = subject.userId === arg;
          break;
        case Kind.Group:
          held = graph.isMember(subject.userId, arg);
          break;
        default:
          held = subject.facts.includes(arg);
      }
      if (held) bits |= 1 << i;
    }
    return bits;
  }
}

/**
 * Can g() see exactly these parts? A subject key is parsed back by splitting on newlines and the
 * facts on commas: parts holding either would parse differently, so such questions go to Casbin.
 */
function plainParts(subject: SubjectKeyParts): boolean {
  if (subject.userId.includes('\n') || subject.scope.includes('\n')) return false;
  for (const f of subject.facts) if (f.includes(',') || f.includes('\n')) return false;
  return true;
}

const isPrimitive = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol');

/** The answers of one partition's enforcer: resource decisions, permissions and lock rules. */
export class PartitionAnswers<A> {
  private readonly resourceSubjects: SubjectVector | undefined;
  private readonly permissionSubjects: SubjectVector | undefined;
  /** Fields of r2.sub and r2.obj the partition's p2 conditions read (undefined: not remembered). */
  private readonly permissionReads: { readonly sub: readonly string[]; readonly obj: readonly string[] } | undefined;
  private readonly resources = new Memo<A>();
  private readonly permissions = new Memo<A>();
  private readonly locks = new Memo<A>();

  constructor(
    rules: readonly PolicyRule[],
    private readonly graph: RoleFacts,
    readsOf: (condition: string) => Map<string, Set<string>> | undefined,
    private readonly enabled: boolean,
  ) {
    const p = rules.filter((r) => r.ptype === 'p');
    const p2 = rules.filter((r) => r.ptype === 'p2');
    this.resourceSubjects = p.some((r) => r.values.length > 4 && r.values[4] !== '') ? undefined : SubjectVector.of(p.map((r) => r.values[0]!));
    this.permissionSubjects = SubjectVector.of(p2.map((r) => r.values[0]!));
    const sub = new Set<string>();
    const obj = new Set<string>();
    let readable = true;
    for (const rule of p2) {
      const reads = readsOf(rule.values[2]!);
      if (!reads) readable = false;
      else {
        for (const f of reads.get('r2_sub')!) sub.add(f);
        for (const f of reads.get('r2_obj')!) obj.add(f);
      }
    }
    this.permissionReads = readable ? { sub: [...sub].sort(), obj: [...obj].sort() } : undefined;
  }

  /** Casbin's answer to a resource question (the `p` section), asked once per combination. */
  resource(subject: AskedSubject, type: string, action: string, ask: () => A): A {
    const subjects = this.resourceSubjects;
    if (!this.enabled || !subjects || !plainParts(subject)) return ask();
    const m = this.resources;
    return m.answer(m.child(m.child(m.child(m.top(), action), type), subjects.bits(this.graph, subject)), ask);
  }

  /**
   * Casbin's answer to a permission question (the `p2` section), asked once per combination.
   * `field(object, name)` reads a field of r2.sub or r2.obj as the conditions would see it.
   */
  permission(subject: AskedSubject, field: (object: 'sub' | 'obj', name: string) => unknown, permission: string, ask: () => A): A {
    const reads = this.permissionReads;
    const subjects = this.permissionSubjects;
    if (!this.enabled || !reads || !subjects || !plainParts(subject)) return ask();
    for (const name of reads.sub) if (!isPrimitive(field('sub', name))) return ask();
    for (const name of reads.obj) if (!isPrimitive(field('obj', name))) return ask();
    const m = this.permissions;
    let node = m.child(m.child(m.top(), permission), subjects.bits(this.graph, subject));
    // The field lists are fixed per partition, so the depth tells which value is which.
    for (const name of reads.sub) node = m.child(node, field('sub', name));
    for (const name of reads.obj) node = m.child(node, field('obj', name));
    return m.answer(node, ask);
  }

  /** Casbin's answer to a lock rule question (the `p3` section): it reads only its three values. */
  lock(kind: string, relation: string, action: string, ask: () => A): A {
    if (!this.enabled) return ask();
    const m = this.locks;
    return m.answer(m.child(m.child(m.child(m.top(), kind), relation), action), ask);
  }
}
