/**
 * The condition matcher functions of model.conf: evaluate a row's condition column with Casbin's
 * own expression evaluator, in the same terms Casbin's `eval(...)` used: the condition is escaped
 * (`r.sub` -> `r_sub`), bracket-compatible `in (...)` lists are converted, and it sees the request
 * and row fields and keyMatch. Each distinct condition is compiled once.
 *   condition(p2.cond, ...)     m2: API permissions, over r2.sub (the caller) and r2.obj (the target)
 *   rowCondition(p.cond, ...)   m:  resource decisions, over r.sub, r.obj, r.act and r.ctx; a `p`
 *                               row without a fifth column has no condition and holds at once
 *
 * Why not `eval()`: node-casbin splices the row's text into the whole matcher for every row it
 * evaluates (escapeAssertion, replaceEval, a fresh cache key for each row), even for rows whose
 * action or subject do not match. As a matcher function the condition is evaluated only when
 * `keyMatch` and `g()` already hold, and the rest of the matcher is compiled once. The value
 * returned is the condition's own value, so Casbin combines it exactly as before.
 */
import { compile } from '@casbin/expression-eval';
import { Util } from 'casbin';

type Compiled = (context: object) => unknown;

/** What Casbin's MatchingFunction type allows; the condition's value is passed on as it is. */
type MatcherValue = boolean | number | string;

/** The expression text the matcher functions compile (Casbin's escaping: `r2.sub` -> `r2_sub`). */
const escaped = (text: string) => Util.bracketCompatible(Util.escapeAssertion(text));

/** Compiles a condition as the matcher functions do; throws on a syntax error. */
export function compileCondition(text: string): Compiled {
  return compile(escaped(text)) as Compiled;
}

/** A compile cache: one per enforcer, filled on first use of each condition text. */
function cache(): (text: string) => Compiled {
  const compiled = new Map<string, Compiled>();
  return (text) => {
    let fn = compiled.get(text);
    if (!fn) {
      fn = compileCondition(text);
      compiled.set(text, fn);
    }
    return fn;
  };
}

/** Builds one p2 condition function, with its own compile cache, for an enforcer. */
export function conditionFunction(): (...args: unknown[]) => MatcherValue {
  const get = cache();
  return (cond, sub, obj, act, pSub, pAct, pEft) => {
    const text = String(cond);
    return get(text)({
      r2_sub: sub,
      r2_obj: obj,
      r2_act: act,
      p2_sub: pSub,
      p2_act: pAct,
      p2_cond: text,
      p2_eft: pEft,
      keyMatch: Util.keyMatchFunc,
    }) as MatcherValue;
  };
}

/**
 * Builds one `p` row condition function for an enforcer. A row without a condition holds. A
 * condition that fails while it runs (e.g. reads a property of a missing attribute) fails closed:
 * an allow row does not match and a deny row does, so bad data never opens access.
 */
export function rowConditionFunction(): (...args: unknown[]) => MatcherValue {
  const get = cache();
  return (cond, eft, sub, obj, act, ctx) => {
    if (cond === undefined || cond === '') return true;
    const text = String(cond);
    try {
      return get(text)({ r_sub: sub, r_obj: obj, r_act: act, r_ctx: ctx, keyMatch: Util.keyMatchFunc }) as MatcherValue;
    } catch {
      return eft === 'deny';
    }
  };
}
