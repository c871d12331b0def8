/**
 * How a registered resource reads in the ManageIQ API (upstream renders its model's attributes):
 * `href`, `id`, `name` (the registry attribute), `description` and `guid` when registered,
 * `evm_owner_id` and `miq_group_id` (the registered owner and group, as `set_ownership` writes
 * them), `created_on` and `updated_on` (ISO 8601, UTC). Other registry attributes are not shown:
 * a key such as `action` would shadow the client's own attributes.
 * Also the `filter[]` expressions manageiq-client's `find_by` sends, over those same fields.
 */
import { badRequest } from '../../errors.js';
import type { RegisteredResource } from '../../store/resource-store.js';

export type MiqResource = Record<string, string | null>;

const OPTIONAL_ATTRIBUTES = ['description', 'guid'] as const;

/** Rails' `iso8601`: seconds precision, `Z`. */
function iso8601(at: string): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

export function renderResource(r: RegisteredResource, href: string): MiqResource {
  const out: MiqResource = { href, id: r.id, name: typeof r.attributes.name === 'string' ? r.attributes.name : null };
  for (const key of OPTIONAL_ATTRIBUTES) {
    const v = r.attributes[key];
    if (typeof v === 'string') out[key] = v;
  }
  out.evm_owner_id = r.owner;
  out.miq_group_id = r.group;
  out.created_on = iso8601(r.createdAt);
  out.updated_on = iso8601(r.updatedAt);
  return out;
}

interface Condition {
  readonly or: boolean;
  readonly attribute: string;
  readonly op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  readonly value: string;
}

const FILTER = /^\s*(?:(or|and)\s+)?([\w.]+)\s*(!=|<=|>=|=|<|>)\s*(.*?)\s*$/i;

/** Parses `filter[]` values (`name='vm 1'`, `or id = 3`); 400 on anything else. */
export function parseFilters(raw: string | string[] | undefined): Condition[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((f) => {
    const m = FILTER.exec(f);
    if (!m) throw badRequest(`Invalid filter ${f} specified`);
    return { or: m[1]?.toLowerCase() === 'or', attribute: m[2]!, op: m[3] as Condition['op'], value: unquote(m[4]!) };
  });
}

function unquote(v: string): string {
  const q = v[0];
  return (q === "'" || q === '"') && v.endsWith(q) && v.length >= 2 ? v.slice(1, -1) : v;
}

/** Left to right, each condition joined by AND, or by OR when it starts with `or`. */
export function matchesFilters(resource: MiqResource, conditions: readonly Condition[]): boolean {
  let result = true;
  conditions.forEach((c, i) => {
    const hit = test(resource[c.attribute] ?? null, c);
    result = i === 0 ? hit : c.or ? result || hit : result && hit;
  });
  return result;
}

function test(actual: string | null, c: Condition): boolean {
  const wanted = c.value === 'nil' || c.value === 'NULL' ? null : c.value;
  if (c.op === '=') return actual === wanted;
  if (c.op === '!=') return actual !== wanted;
  if (actual === null || wanted === null) return false;
  const numeric = /^-?\d+(\.\d+)?$/.test(actual) && /^-?\d+(\.\d+)?$/.test(wanted);
  const cmp = numeric ? Number(actual) - Number(wanted) : actual < wanted ? -1 : actual > wanted ? 1 : 0;
  return c.op === '<' ? cmp < 0 : c.op === '<=' ? cmp <= 0 : c.op === '>' ? cmp > 0 : cmp >= 0;
}
