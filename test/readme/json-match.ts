/**
 * Compares what the README shows with what a command printed (docs/contributing.md, "README
 * examples are tests"). The README shows real output, copied from a run; what changes from run to
 * run is recognised by its shape and matched by shape:
 * - ids (UUIDs, 32-hex Keystone ids): any id of the same shape, the same one wherever the shown
 *   output repeats it and different ones where it shows different ones (one mapping per README
 *   section: its outputs are copied from one run);
 * - timestamps (ISO 8601): any timestamp written the same way (a fraction or none, the same kind of zone);
 * - JWTs (`eyJ...`): any JWT.
 * Elisions: `"..."` matches any value; `...` inside a string matches any text; a `"..."` key
 * allows more keys in that object, a last `"..."` item more items in that array. Otherwise
 * objects have exactly the keys shown, arrays the items shown in order, and scalars are equal.
 */

/** Which shown id stands for which printed id, both ways, across one block's comparisons. */
export class IdMap {
  private readonly shownToActual = new Map<string, string>();
  private readonly actualToShown = new Map<string, string>();

  /** An error message when `shown` cannot stand for `actual`, else undefined (and they are bound). */
  bind(shown: string, actual: string): string | undefined {
    const a = this.shownToActual.get(shown);
    if (a !== undefined && a !== actual) return `${shown} stands for ${a} elsewhere in this output, not ${actual}`;
    const s = this.actualToShown.get(actual);
    if (s !== undefined && s !== shown) return `${actual} is shown as ${s} elsewhere in this output, not ${shown}`;
    this.shownToActual.set(shown, actual);
    this.actualToShown.set(actual, shown);
    return undefined;
  }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HEX32 = '(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])';
const TIMESTAMP = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})?';
const JWT = 'eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*';
const TOKEN = new RegExp(`(\\.\\.\\.)|(${UUID})|(${HEX32})|(${TIMESTAMP})|(${JWT})`, 'g');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Pattern {
  readonly regex: RegExp;
  /** The shown id behind each capture group, in order. */
  readonly ids: readonly string[];
}

/**
 * Any timestamp written like the shown one: a fraction when it has one (of any length: Traffic Ops,
 * like Go, drops trailing zeros), and the same kind of zone (`Z`, an offset, or none).
 */
function timestampPattern(shown: string): string {
  const zone = /Z$/.test(shown) ? 'Z' : /[+-]\d{2}:\d{2}$/.test(shown) ? '[+-]\\d{2}:\\d{2}' : '';
  return `\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}${/T[\d:]+\./.test(shown) ? '\\.\\d+' : ''}${zone}`;
}

/** A regex for a shown string with generated parts or elisions, or undefined when it is literal. */
function patternOf(shown: string): Pattern | undefined {
  let source = '';
  let last = 0;
  const ids: string[] = [];
  for (const m of shown.matchAll(TOKEN)) {
    source += escape(shown.slice(last, m.index));
    if (m[1]) source += '[\\s\\S]*';
    else if (m[2] || m[3]) {
      source += `(${m[2] ? UUID : '[0-9a-f]{32}'})`;
      ids.push(m[0]);
    } else if (m[4]) source += timestampPattern(m[4]);
    else source += JWT;
    last = m.index + m[0].length;
  }
  if (last === 0) return undefined;
  return { regex: new RegExp(`^${source}${escape(shown.slice(last))}$`), ids };
}

/** Every difference between what the README shows and what was printed (empty: they match). */
export function mismatches(shown: unknown, actual: unknown, ids: IdMap, at = '$'): string[] {
  if (shown === '...') return [];
  if (typeof shown === 'string') {
    const pattern = patternOf(shown);
    if (!pattern) return shown === actual ? [] : [`${at}: shown ${JSON.stringify(shown)}, printed ${JSON.stringify(actual)}`];
    const m = typeof actual === 'string' ? pattern.regex.exec(actual) : null;
    if (!m) return [`${at}: printed ${JSON.stringify(actual)} does not match the shown ${JSON.stringify(shown)}`];
    return pattern.ids.flatMap((id, k) => {
      const problem = ids.bind(id, m[k + 1]!);
      return problem ? [`${at}: ${problem}`] : [];
    });
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${at}: shown an array, printed ${JSON.stringify(actual)}`];
    const open = shown.length > 0 && shown.at(-1) === '...';
    const items = open ? shown.slice(0, -1) : shown;
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return [`${at}: shown ${items.length}${open ? ' or more' : ''} items, printed ${actual.length}: ${JSON.stringify(actual)}`];
    }
    return items.flatMap((item, k) => mismatches(item, actual[k], ids, `${at}[${k}]`));
  }
  if (shown !== null && typeof shown === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: shown an object, printed ${JSON.stringify(actual)}`];
    const printed = actual as Record<string, unknown>;
    const keys = Object.keys(shown).filter((k) => k !== '...');
    const problems = keys.flatMap((k) => (k in printed ? mismatches((shown as Record<string, unknown>)[k], printed[k], ids, `${at}.${k}`) : [`${at}: no key ${k}`]));
    if (!('...' in shown)) {
      const extra = Object.keys(printed).filter((k) => !keys.includes(k));
      if (extra.length > 0) problems.push(`${at}: printed keys the README does not show: ${extra.join(', ')}`);
    }
    return problems;
  }
  return Object.is(shown, actual) ? [] : [`${at}: shown ${JSON.stringify(shown)}, printed ${JSON.stringify(actual)}`];
}
