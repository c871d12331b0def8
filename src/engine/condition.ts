/**
 * The `condition(...)` matcher function of model.conf's m2: evaluates a p2 row's condition
 * column (e.g. `r2.obj.subject_id == r2.sub.id`) with Casbin's own expression evaluator, in the
 * same terms Casbin's `eval(p2.cond)` used: the condition is escaped (`r2.sub` -> `r2_sub`),
 * bracket-compatible `in (...)` lists are converted, and it sees the request (r2) and row (p2)
 * fields and keyMatch. Each distinct condition is compiled once.
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

/** Builds one condition function, with its own compile cache, for an enforcer. */
export function conditionFunction(): (...args: unknown[]) => MatcherValue {
  const compiled = new Map<string, Compiled>();
  return (cond, sub, obj, act, pSub, pAct, pEft) => {
    const text = String(cond);
    let fn = compiled.get(text);
    if (!fn) {
      fn = compile(Util.bracketCompatible(Util.escapeAssertion(text))) as Compiled;
      compiled.set(text, fn);
    }
    return fn({
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
