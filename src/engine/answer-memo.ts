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
 *       (permission, which row subjects the caller holds, the value of the condition of each row
 *       that can match: one whose permission pattern matches and whose subject the caller holds).
 *       The condition is evaluated by the compiled condition the enforcer's condition() runs
 *       (condition.ts), with the same arguments, so a row matches or not exactly as in Casbin. Keyed by the condition's value, not by the fields
 *       it reads: `r2.obj.subject_id == r2.sub.id` makes two entries (asking about oneself or
 *       someone else), not one per caller and subject. A question where a condition's value is
 *       an object, or a condition throws, is asked of Casbin.
 *   m3  keyMatch over (lock kind, relation, action) only.
 * Not a per-subject or per-resource cache: two users with the same roles in scope share an entry.
 * Each memo is bounded; when full it starts over.
 */
import { Util } from 'casbin';
import type { Evaluator } from './condition.js';
import type { RoleFacts } from './engine.js';
import type { HeldRoles } from './role-graph.js';
import type { PolicyRule } from './policy-rule.js';
import { plainFacts, plainParts, type SubjectKeyParts } from './subject-key.js';

const LIMIT = 20_000;

/**
 * A question's subject; `held` is filled with the role graph's roles in scope (and the groups
 * they come from) when an answer reads them, so the engine hands them to the decision log
 * instead of it looking them up again.
 */
export interface AskedSubject extends SubjectKeyParts {
  held: HeldRoles | undefined;
}

/**
 * SubjectVector.bits() of a subject whose user id or scope is not plain (plainParts: g() would
 * parse its key differently), so no answer is remembered for it. Bits are never negative.
 */
const NOT_PLAIN = -1;
const NO_PARTS: readonly string[] = [];

/** Stands for -0 in a memo key: Map keys compare with SameValueZero, which equates -0 and 0. */
const MINUS_ZERO = Symbol('-0');

/** A p2 row with a condition, and its condition compiled (condition.ts). */
interface ConditionalRow {
  /** p2: subject, permission, condition, effect */
  readonly values: readonly string[];
  readonly evaluate: Evaluator;
}

/**
 * A memo node: the answer remembered here, the nodes under it by key (Map keys compare strings,
 * numbers, booleans, undefined and null by value and type, so no key string is built per
 * question), and for a (permission, subjects held) node of the permission memo, the rows with a
 * condition that can match there. Fields, not entries of the map, so a question reads them
 * without a lookup. The last child asked for is kept too: a partition is asked about one
 * permission or action nearly always, and callers alike in the roles they hold come in runs, so
 * a comparison often stands in for a map lookup (~100 instructions).
 */
class MemoNode<A> {
  answer: A | undefined = undefined;
  rows: readonly ConditionalRow[] | undefined = undefined;
  private next: Map<unknown, MemoNode<A>> | undefined = undefined;
  private lastKey: unknown = undefined;
  private lastChild: MemoNode<A> | undefined = undefined;

  /** The node under this one for `key`, created when missing. */
  child(key: unknown): MemoNode<A> {
    if (this.lastChild !== undefined && Object.is(key, this.lastKey)) return this.lastChild;
    const k = Object.is(key, -0) ? MINUS_ZERO : key;
    const next = (this.next ??= new Map());
    let node = next.get(k);
    if (!node) next.set(k, (node = new MemoNode()));
    this.lastKey = key;
    this.lastChild = node;
    return node;
  }
}

/** A bounded memo keyed by a path of primitive values. */
class Memo<A> {
  private root = new MemoNode<A>();
  private size = 0;

  top(): MemoNode<A> {
    return this.root;
  }

  /** Remembers an answer just asked at its node (unless the memo starts over); returns it. */
  keep(node: MemoNode<A>, answer: A): A {
    if (++this.size > LIMIT) {
      this.root = new MemoNode();
      this.size = 0;
    } else node.answer = answer;
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
  /** Each row subject's bit. */
  private readonly bitOf: ReadonlyMap<string, number>;

  private constructor(
    names: readonly string[],
    private readonly tests: readonly { readonly kind: Kind; readonly arg: string }[],
  ) {
    this.bitOf = new Map(names.map((name, i) => [name, 1 << i]));
    this.roleTests = tests.some((t) => t.kind === Kind.Role);
    this.liveTests = tests
      .map((t, i) => ({ ...t, bit: 1 << i }))
      .filter((t) => t.kind !== Kind.Role && !(t.kind === Kind.Any && this.roleTests));
  }

  /** Does some row subject name a role (so the subject's roles in scope are read)? */
  private readonly roleTests: boolean;
  /** The tests not answered by roleBits, asked on every question. */
  private readonly liveTests: readonly { readonly kind: Kind; readonly arg: string; readonly bit: number }[];

  /**
   * undefined when a row subject contains a newline (g() compares it with the whole subject key
   * too, which this vector does not model) or there are too many subjects for one number.
   */
  static of(names: Iterable<string>): SubjectVector | undefined {
    const distinct = [...new Set(names)];
    if (distinct.length > 30 || distinct.some((n) => n.includes('\n'))) return undefined;
    // The same tests as holdsSubject (role-manager.ts), decoded once.
    return new SubjectVector(
      distinct,
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

  /** Does a subject with these bits hold this row subject? */
  holds(bits: number, name: string): boolean {
    return (bits & this.bitOf.get(name)!) !== 0;
  }

  /**
   * The bits of the `*` and role: subjects depend only on the roles held in scope: they are kept
   * per HeldRoles object (the role graph makes a new one when anything it reads changes), so a
   * subject asked again costs one lookup, not one per role. So is whether its user id and scope
   * are plain (NOT_PLAIN when not): a HeldRoles is for one user and scope, and searching both for
   * a newline on every resource decision cost ~250 instructions (callgrind, in process at M).
   */
  private readonly roleBits = new WeakMap<HeldRoles, number>();
  /**
   * The last HeldRoles asked about and its entry in roleBits (which never changes once made): a
   * caller's permission checks, and a subject's decisions, come in runs, and a comparison costs
   * less than a WeakMap lookup (~150 instructions, callgrind).
   */
  private lastHeld: HeldRoles | undefined = undefined;
  private lastBits = 0;

  /**
   * The row subjects the subject holds, as bits; NOT_PLAIN when its user id or scope is not plain
   * and the caller asks for that test (`testPlain`; a permission check's caller is tested once
   * per caller, caller-subjects.ts). Its facts are not tested here.
   */
  bits(graph: RoleFacts, subject: AskedSubject, testPlain: boolean): number {
    let bits = 0;
    if (this.roleTests) {
      const held = (subject.held ??= graph.held(subject.userId, subject.scope));
      let known = held === this.lastHeld ? this.lastBits : this.roleBits.get(held);
      if (known === undefined) {
        known = 0;
        for (let i = 0; i < this.tests.length; i++) {
          const { kind, arg } = this.tests[i]!;
          if (kind === Kind.Any || (kind === Kind.Role && held.roles.has(arg))) known |= 1 << i;
        }
        if (!plainParts(held.userId, held.scope, NO_PARTS)) known = NOT_PLAIN;
        this.roleBits.set(held, known);
      }
      this.lastHeld = held;
      this.lastBits = known;
      if (known === NOT_PLAIN) return NOT_PLAIN;
      bits = known;
    } else if (testPlain && !plainParts(subject.userId, subject.scope, NO_PARTS)) {
      return NOT_PLAIN;
    }
    const live = this.liveTests;
    for (let i = 0; i < live.length; i++) {
      const { kind, arg, bit } = live[i]!;
      const holds =
        kind === Kind.Any ? true : kind === Kind.User ? subject.userId === arg : kind === Kind.Group ? graph.isMember(subject.userId, arg) : subject.facts.includes(arg);
      if (holds) bits |= bit;
    }
    return bits;
  }
}

const isPrimitive = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol');

/** The answers of one partition's enforcer: resource decisions, permissions and lock rules. */
export class PartitionAnswers<A> {
  private readonly resourceSubjects: SubjectVector | undefined;
  private readonly permissionSubjects: SubjectVector | undefined;
  /** The partition's p2 rows whose condition is not the constant `true`. */
  private readonly conditionalRows: readonly ConditionalRow[];
  private readonly resources = new Memo<A>();
  private readonly permissions = new Memo<A>();
  private readonly locks = new Memo<A>();

  constructor(
    rules: readonly PolicyRule[],
    private readonly graph: RoleFacts,
    /** The compiled p2 condition of a text, the one the enforcer's condition() runs (condition.ts). */
    condition: (text: string) => Evaluator,
    private readonly enabled: boolean,
  ) {
    const p = rules.filter((r) => r.ptype === 'p');
    const p2 = rules.filter((r) => r.ptype === 'p2');
    this.resourceSubjects = p.some((r) => r.values.length > 4 && r.values[4] !== '') ? undefined : SubjectVector.of(p.map((r) => r.values[0]!));
    this.permissionSubjects = SubjectVector.of(p2.map((r) => r.values[0]!));
    this.conditionalRows = enabled ? p2.filter((r) => r.values[2] !== 'true').map((r) => ({ values: r.values, evaluate: condition(r.values[2]!) })) : [];
  }

  /**
   * Casbin's answer to a resource question (the `p` section), asked once per combination:
   * `ask(x, y, subject)` asks it. The asking function and what it needs are passed, not a
   * closure over them, so a question makes no closure (this runs on every decision).
   */
  resource<X, Y>(subject: AskedSubject, type: string, action: string, ask: (x: X, y: Y, subject: AskedSubject) => A, x: X, y: Y): A {
    const subjects = this.resourceSubjects;
    if (!this.enabled || !subjects) return ask(x, y, subject);
    const bits = subjects.bits(this.graph, subject, true);
    if (bits === NOT_PLAIN || !plainFacts(subject.facts)) return ask(x, y, subject);
    const m = this.resources;
    const node = m.top().child(action).child(type).child(bits);
    return node.answer ?? m.keep(node, ask(x, y, subject));
  }

  /**
   * Casbin's answer to a permission question (the `p2` section), asked once per combination.
   * `sub` and `obj`: r2.sub and r2.obj, as Casbin is given them; `plain`: plainParts of the
   * subject (the caller's is decided once per caller, caller-subjects.ts); `ask(x, y, sub)` asks
   * Casbin (no closure made per check, as for resource()).
   */
  permission<X, Y>(subject: AskedSubject, plain: boolean, sub: object, obj: object, permission: string, ask: (x: X, y: Y, sub: object) => A, x: X, y: Y): A {
    const subjects = this.permissionSubjects;
    if (!this.enabled || !subjects || !plain) return ask(x, y, sub);
    const m = this.permissions;
    const bits = subjects.bits(this.graph, subject, false);
    if (bits === NOT_PLAIN) return ask(x, y, sub); // not for a plain caller: its held roles are for plain parts too
    let node = m.top().child(permission).child(bits);
    let rows = node.rows;
    if (!rows) {
      // The rows whose keyMatch and g() hold for every question reaching this node.
      node.rows = rows = this.conditionalRows.filter((r) => Util.keyMatchFunc(permission, r.values[1]!) && subjects.holds(bits, r.values[0]!));
    }
    for (let i = 0; i < rows.length; i++) {
      const { values: row, evaluate } = rows[i]!; // p2: subject, permission, condition, effect
      let value: unknown;
      try {
        // What the enforcer's condition(p2.cond, r2.sub, r2.obj, r2.act, p2.sub, p2.act, p2.eft) runs.
        value = evaluate(sub, obj, permission, row[0], row[1], row[2], row[3]);
      } catch {
        return ask(x, y, sub); // Casbin meets the same error
      }
      if (!isPrimitive(value)) return ask(x, y, sub);
      node = node.child(value);
    }
    return node.answer ?? m.keep(node, ask(x, y, sub));
  }

  /** Casbin's answer to a lock rule question (the `p3` section): it reads only its three values. */
  lock<X>(kind: string, relation: string, action: string, ask: (x: X, kind: string, relation: string, action: string) => A, x: X): A {
    if (!this.enabled) return ask(x, kind, relation, action);
    const m = this.locks;
    const node = m.top().child(kind).child(relation).child(action);
    return node.answer ?? m.keep(node, ask(x, kind, relation, action));
  }
}
