/**
 * The condition matcher functions of model.conf: evaluate a row's condition column with Casbin's
 * own expression evaluator's semantics, in the same terms Casbin's `eval(...)` used: the condition
 * is escaped (`r.sub` -> `r_sub`), bracket-compatible `in (...)` lists are converted, and it sees
 * the request and row fields and keyMatch. Each distinct condition is compiled once.
 *   condition(p2.cond, ...)     m2: API permissions, over r2.sub (the caller) and r2.obj (the target)
 *   rowCondition(p.cond, ...)   m:  resource decisions, over r.sub, r.obj, r.act and r.ctx; a `p`
 *                               row without a fifth column has no condition and holds at once
 *
 * Why not `eval()`: node-casbin splices the row's text into the whole matcher for every row it
 * evaluates (escapeAssertion, replaceEval, a fresh cache key for each row), even for rows whose
 * action or subject do not match. As a matcher function the condition is evaluated only when
 * `keyMatch` and `g()` already hold, and the rest of the matcher is compiled once. The value
 * returned is the condition's own value, so Casbin combines it exactly as before.
 *
 * Why not @casbin/expression-eval's interpreter on every call: it needs a context object of every
 * name a condition may read, walks the parsed tree node by node and tests each member name against
 * a regular expression, ~1,500 instructions for `r2.obj.subject_id == r2.sub.id` on every
 * permission check (callgrind). Conditions are parsed by its parser (jsep) as before and the tree
 * is translated once into closures that do what its interpreter does, step for step (see
 * `translate`); a tree with anything else keeps the interpreter.
 */
import expressionEval from '@casbin/expression-eval';
import { Util } from 'casbin';

// The default import: Node's ESM loader does not see `parse` among the CommonJS module's names.
const { compile, eval: evaluate, parse } = expressionEval;

/** What Casbin's MatchingFunction type allows; the condition's value is passed on as it is. */
type MatcherValue = boolean | number | string;

/**
 * A compiled condition: it reads the names a matcher function gives it by position, in the order
 * of its `names` (CONDITION_NAMES, ROW_CONDITION_NAMES), so no context object is made per call.
 */
export type Evaluator = (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown, g: unknown) => unknown;

/** The names a p2 condition sees, in the order its Evaluator takes them. */
export const CONDITION_NAMES = ['r2_sub', 'r2_obj', 'r2_act', 'p2_sub', 'p2_act', 'p2_cond', 'p2_eft'] as const;
/** The names a `p` row condition sees, in the order its Evaluator takes them. */
export const ROW_CONDITION_NAMES = ['r_sub', 'r_obj', 'r_act', 'r_ctx'] as const;

/** The expression text the matcher functions compile (Casbin's escaping: `r2.sub` -> `r2_sub`). */
const escaped = (text: string) => Util.bracketCompatible(Util.escapeAssertion(text));

/** Compiles a condition with Casbin's expression evaluator; throws on a syntax error. */
export function compileCondition(text: string): (context: object) => unknown {
  return compile(escaped(text)) as (context: object) => unknown;
}

/**
 * Compiles a condition for the matcher function whose names are `names`: the translated closures
 * where the parsed tree allows it, else the interpreter over a context object of those names and
 * keyMatch. Throws on a syntax error, as Casbin's compile does.
 */
export function evaluatorOf(text: string, names: readonly string[]): Evaluator {
  const tree = parse(escaped(text)) as unknown as Node;
  return translate(tree, names) ?? interpreter(tree, names);
}

/** The condition as closures, or undefined when it is outside what `translate` covers. */
export function translateCondition(text: string, names: readonly string[]): Evaluator | undefined {
  return translate(parse(escaped(text)) as unknown as Node, names);
}

/** expression-eval's interpreter over the tree, given a context object of `names` and keyMatch. */
function interpreter(tree: Node, names: readonly string[]): Evaluator {
  return (...values) => {
    const context: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) context[names[i]!] = values[i];
    context.keyMatch = Util.keyMatchFunc;
    return evaluate(tree as never, context);
  };
}

/** A compile cache: one per enforcer, filled on first use of each condition text. */
function cache(names: readonly string[]): (text: string) => Evaluator {
  const compiled = new Map<string, Evaluator>();
  return (text) => {
    let fn = compiled.get(text);
    if (!fn) {
      fn = evaluatorOf(text, names);
      compiled.set(text, fn);
    }
    return fn;
  };
}

/** A compile cache of p2 conditions, one per enforcer: its condition() and the answer memo share it. */
export function conditionEvaluators(): (text: string) => Evaluator {
  return cache(CONDITION_NAMES);
}

/** Builds one p2 condition function for an enforcer, over its compile cache. */
export function conditionFunction(get: (text: string) => Evaluator = conditionEvaluators()): (...args: unknown[]) => MatcherValue {
  return (cond, sub, obj, act, pSub, pAct, pEft) => {
    const text = String(cond);
    return get(text)(sub, obj, act, pSub, pAct, text, pEft) as MatcherValue;
  };
}

/**
 * Builds one `p` row condition function for an enforcer. A row without a condition holds. A
 * condition that fails while it runs (e.g. reads a property of a missing attribute) fails closed:
 * an allow row does not match and a deny row does, so bad data never opens access.
 */
export function rowConditionFunction(): (...args: unknown[]) => MatcherValue {
  const get = cache(ROW_CONDITION_NAMES);
  return (cond, eft, sub, obj, act, ctx) => {
    if (cond === undefined || cond === '') return true;
    try {
      return get(String(cond))(sub, obj, act, ctx, undefined, undefined, undefined) as MatcherValue;
    } catch {
      return eft === 'deny';
    }
  };
}

/** jsep's parse tree (the node types expression-eval's interpreter evaluates). */
interface Node {
  readonly type: string;
  readonly name?: string;
  readonly value?: unknown;
  readonly operator?: string;
  readonly left?: Node;
  readonly right?: Node;
  readonly argument?: Node;
  readonly object?: Node;
  readonly property?: Node;
  readonly computed?: boolean;
  readonly callee?: Node;
  readonly arguments?: readonly (Node | null)[];
  readonly elements?: readonly (Node | null)[];
  readonly test?: Node;
  readonly consequent?: Node;
  readonly alternate?: Node;
}

/** expression-eval's member guard, the same expression (so the same names are refused). */
const DISALLOWED_MEMBER = /^__proto__|prototype|constructor$/;

const disallowed = (key: unknown) => Error(`Access to member "${key}" disallowed.`);

/** expression-eval's binary operators, as its `binops` table computes them (JS's own operators). */
function binary(op: string, l: Evaluator, r: Evaluator): Evaluator | undefined {
  // Both sides are evaluated, left first, then combined: as `binops[op](evaluate(l), evaluate(r))`.
  switch (op) {
    case '==':
      return (a, b, c, d, e, f, g) => l(a, b, c, d, e, f, g) == r(a, b, c, d, e, f, g);
    case '!=':
      return (a, b, c, d, e, f, g) => l(a, b, c, d, e, f, g) != r(a, b, c, d, e, f, g);
    case '===':
      return (a, b, c, d, e, f, g) => l(a, b, c, d, e, f, g) === r(a, b, c, d, e, f, g);
    case '!==':
      return (a, b, c, d, e, f, g) => l(a, b, c, d, e, f, g) !== r(a, b, c, d, e, f, g);
    case '<':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) < (r(a, b, c, d, e, f, g) as number);
    case '>':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) > (r(a, b, c, d, e, f, g) as number);
    case '<=':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) <= (r(a, b, c, d, e, f, g) as number);
    case '>=':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) >= (r(a, b, c, d, e, f, g) as number);
    case '+':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) + (r(a, b, c, d, e, f, g) as number);
    case '-':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) - (r(a, b, c, d, e, f, g) as number);
    case '*':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) * (r(a, b, c, d, e, f, g) as number);
    case '/':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) / (r(a, b, c, d, e, f, g) as number);
    case '%':
      return (a, b, c, d, e, f, g) => (l(a, b, c, d, e, f, g) as number) % (r(a, b, c, d, e, f, g) as number);
    case 'in':
      // Casbin registers `in` (coreEnforcer's getExpression) as Util.customIn.
      return (a, b, c, d, e, f, g) => Util.customIn(l(a, b, c, d, e, f, g) as never, r(a, b, c, d, e, f, g) as never);
    default:
      return undefined;
  }
}

/**
 * The parse tree as closures, or undefined when it holds anything this does not translate:
 *   Literal                 its value
 *   Identifier              one of `names` (by position), `keyMatch`, or a name no plain object
 *                           has (undefined, as the context object's lookup gives)
 *   MemberExpression        object first, then the key, the guard (throws as the interpreter
 *                           does), then `object[key]`
 *   LogicalExpression       `&&` and `||`, short-circuit, giving the deciding operand
 *   BinaryExpression        the operators of `binary` (comparisons, `+ - * / %`, `in`; not the bitwise ones)
 *   UnaryExpression         `!`, `-`, `+`, `~`
 *   ConditionalExpression   test, then one branch
 *   CallExpression          `keyMatch(...)` (callee first, then the arguments, left to right)
 *   ArrayExpression         without holes
 */
function translate(node: Node, names: readonly string[]): Evaluator | undefined {
  switch (node.type) {
    case 'Literal': {
      const value = node.value;
      return () => value;
    }
    case 'Identifier':
      return identifier(node.name!, names);
    case 'MemberExpression': {
      const object = translate(node.object!, names);
      if (!object) return undefined;
      if (node.computed) {
        const property = translate(node.property!, names);
        if (!property) return undefined;
        return (a, b, c, d, e, f, g) => {
          const o = object(a, b, c, d, e, f, g) as Record<PropertyKey, unknown>;
          const key = property(a, b, c, d, e, f, g) as string;
          if (DISALLOWED_MEMBER.test(key)) throw disallowed(key);
          return o[key];
        };
      }
      const key = node.property!.name!;
      const name = node.object!.type === 'Identifier' ? names.indexOf(node.object!.name!) : -1;
      if (name >= 0 && !DISALLOWED_MEMBER.test(key)) return memberOfName(name, key);
      if (DISALLOWED_MEMBER.test(key)) {
        return (a, b, c, d, e, f, g) => {
          object(a, b, c, d, e, f, g);
          throw disallowed(key);
        };
      }
      return (a, b, c, d, e, f, g) => (object(a, b, c, d, e, f, g) as Record<string, unknown>)[key];
    }
    case 'LogicalExpression': {
      const l = translate(node.left!, names);
      const r = translate(node.right!, names);
      if (!l || !r) return undefined;
      if (node.operator === '&&') return (a, b, c, d, e, f, g) => l(a, b, c, d, e, f, g) && r(a, b, c, d, e, f, g);
      if (node.operator === '||') return (a, b, c, d, e, f, g) => l(a, b, c, d, e, f, g) || r(a, b, c, d, e, f, g);
      return undefined;
    }
    case 'BinaryExpression': {
      const l = translate(node.left!, names);
      const r = translate(node.right!, names);
      return l && r ? binary(node.operator!, l, r) : undefined;
    }
    case 'UnaryExpression': {
      const arg = translate(node.argument!, names);
      if (!arg) return undefined;
      if (node.operator === '!') return (a, b, c, d, e, f, g) => !arg(a, b, c, d, e, f, g);
      if (node.operator === '-') return (a, b, c, d, e, f, g) => -(arg(a, b, c, d, e, f, g) as number);
      if (node.operator === '+') return (a, b, c, d, e, f, g) => +(arg(a, b, c, d, e, f, g) as number);
      if (node.operator === '~') return (a, b, c, d, e, f, g) => ~(arg(a, b, c, d, e, f, g) as number);
      return undefined;
    }
    case 'ConditionalExpression': {
      const test = translate(node.test!, names);
      const yes = translate(node.consequent!, names);
      const no = translate(node.alternate!, names);
      if (!test || !yes || !no) return undefined;
      return (a, b, c, d, e, f, g) => (test(a, b, c, d, e, f, g) ? yes(a, b, c, d, e, f, g) : no(a, b, c, d, e, f, g));
    }
    case 'CallExpression': {
      if (node.callee!.type !== 'Identifier' || node.callee!.name !== 'keyMatch') return undefined;
      const args = translateAll(node.arguments!, names);
      if (!args) return undefined;
      const keyMatch = Util.keyMatchFunc as (...values: unknown[]) => unknown;
      if (args.length === 2) {
        const [x, y] = args as [Evaluator, Evaluator];
        return (a, b, c, d, e, f, g) => keyMatch(x(a, b, c, d, e, f, g), y(a, b, c, d, e, f, g));
      }
      return (a, b, c, d, e, f, g) => keyMatch(...args.map((arg) => arg(a, b, c, d, e, f, g)));
    }
    case 'ArrayExpression': {
      const elements = translateAll(node.elements!, names);
      if (!elements) return undefined;
      return (a, b, c, d, e, f, g) => elements.map((element) => element(a, b, c, d, e, f, g));
    }
    default:
      return undefined;
  }
}

function translateAll(nodes: readonly (Node | null)[], names: readonly string[]): Evaluator[] | undefined {
  const out: Evaluator[] = [];
  for (const node of nodes) {
    const fn = node && translate(node, names);
    if (!fn) return undefined;
    out.push(fn);
  }
  return out;
}

/**
 * `name.key` for one of the names, in one closure: the name's value is an argument, so there is
 * nothing to evaluate first (~130 instructions a member access less than calling its closure).
 */
function memberOfName(index: number, key: string): Evaluator {
  type Values = Record<string, unknown>;
  switch (index) {
    case 0:
      return (a) => (a as Values)[key];
    case 1:
      return (_a, b) => (b as Values)[key];
    case 2:
      return (_a, _b, c) => (c as Values)[key];
    case 3:
      return (_a, _b, _c, d) => (d as Values)[key];
    case 4:
      return (_a, _b, _c, _d, e) => (e as Values)[key];
    case 5:
      return (_a, _b, _c, _d, _e, f) => (f as Values)[key];
    default:
      return (_a, _b, _c, _d, _e, _f, g) => (g as Values)[key];
  }
}

/** An identifier: the interpreter reads it from the context object, `{ ...names, keyMatch }`. */
function identifier(name: string, names: readonly string[]): Evaluator | undefined {
  switch (names.indexOf(name)) {
    case 0:
      return (a) => a;
    case 1:
      return (_a, b) => b;
    case 2:
      return (_a, _b, c) => c;
    case 3:
      return (_a, _b, _c, d) => d;
    case 4:
      return (_a, _b, _c, _d, e) => e;
    case 5:
      return (_a, _b, _c, _d, _e, f) => f;
    case 6:
      return (_a, _b, _c, _d, _e, _f, g) => g;
    case -1:
      break;
    default:
      return undefined;
  }
  if (name === 'keyMatch') {
    const keyMatch = Util.keyMatchFunc;
    return () => keyMatch;
  }
  // Any other name: the context object does not have it, so it is what a plain object inherits.
  return name in Object.prototype ? undefined : () => undefined;
}
