/**
 * Parsing a ManageIQ action request into work items (docs/compatibility.md §5.4, §5.5), with upstream's
 * whole-request 400 messages. A bulk request is checked whole before anything is applied (§7 Q-3):
 * every non-blank item must name a target and carry an owner or group.
 */
import { badRequest } from '../../errors.js';
import type { MiqCollection } from './collections.js';
import { rubyInspect } from './ruby-inspect.js';

type Json = Readonly<Record<string, unknown>>;

/** Resource ids are digits (upstream validates ids as integers). */
export const DIGITS = /^\d+$/;

/** One target and the ownership data the client sent for it. */
export interface WorkItem {
  readonly id: string;
  readonly data: Json;
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Ruby's `blank?` for parsed JSON: nil, false, empty or whitespace string, empty array or hash. */
export function isBlank(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return false;
}

function without(o: Json, ...keys: string[]): Json {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

/** The data must name an owner or a group (docs/compatibility.md §5.4 "Data empty"); otherwise the whole request fails. */
function requireOwnerOrGroup(data: unknown): Json {
  const ok = isObject(data) && ((data.owner ?? null) !== null || (data.group ?? null) !== null);
  if (!ok) {
    // Ruby interpolates the data with to_s: a hash prints as its inspect form, a string as itself.
    const shown = isBlank(data) ? '{}' : typeof data === 'string' ? data : rubyInspect(data);
    throw badRequest(`Must specify an owner or group for setting ownership data = ${shown}`);
  }
  return data as Json;
}

/** The data of a single-resource request: `resource`, or the body minus `action` when it is absent. */
export function singleData(body: Json): Json {
  return requireOwnerOrGroup('resource' in body ? body.resource : without(body, 'action'));
}

/** A bulk item's target id: from `href` (`.../<collection>/<digits>`), else from `id`. */
export function itemTargetId(item: Json, c: MiqCollection): string | undefined {
  if (typeof item.href === 'string') {
    const m = new RegExp(`/${c.name}/(\\d+)$`).exec(item.href);
    if (m) return m[1];
  }
  if (typeof item.id === 'number' && Number.isFinite(item.id)) return String(item.id);
  if (typeof item.id === 'string') return item.id;
  return undefined;
}

/**
 * Validates every item of a bulk request, in order, and returns the work items. `byAttributes`
 * finds a target from identifying attributes when an item has neither href nor id.
 */
export async function bulkItems(
  body: Json,
  c: MiqCollection,
  byAttributes: (item: Json) => Promise<string | undefined>,
): Promise<WorkItem[]> {
  const given = Array.isArray(body.resources) ? body.resources : [];
  const items: WorkItem[] = [];
  for (const raw of given) {
    if (isBlank(raw)) continue;
    const item = isObject(raw) ? raw : {};
    const id = itemTargetId(item, c) ?? (await byAttributes(item));
    if (id === undefined) throw badRequest(`Must specify an id for setting ownership of a ${c.name} resource`);
    items.push({ id, data: requireOwnerOrGroup(without(item, 'href', 'id')) });
  }
  if (items.length === 0) throw badRequest(`No ${c.name} resources were specified for the set_ownership action`);
  return items;
}
