/**
 * Resolving ownership references (docs/compatibility.md §5.3, §7 Q-5, §8.1) against the shared directory.
 *
 * A reference is whatever the client sent as `owner` or `group`. Precedence: a well-formed `href`
 * (`.../users/<id>`, `.../groups/<id>`), then `id` (number or string, compared as a string), then
 * identifying attributes (users: `name`, then `userid`, both matching the user's name; groups:
 * `description`, falling back to the group's name). When an href or id is present it decides
 * alone: a miss there is a miss, with no fall-through to attributes. Several attribute matches
 * give the lowest id. Resolution never throws on bad input: a reference that matches nothing
 * (or is not an object at all) resolves to undefined and is dropped by the caller.
 * Lookups are not filtered by the caller's visibility.
 */
import type { DirectoryStore, Group, User } from '../../store/directory-store.js';

type Ref = Readonly<Record<string, unknown>>;

function asRef(value: unknown): Ref | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Ref) : undefined;
}

/** The id named by `href` (when it ends in `/<segment>/<id>`), else by `id`; undefined if neither. */
export function referencedId(ref: Ref, segment: 'users' | 'groups'): string | undefined {
  const href = ref.href;
  if (typeof href === 'string') {
    const m = new RegExp(`/${segment}/([^/?#]+)$`).exec(href);
    if (m) return m[1];
  }
  const id = ref.id;
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

/** Compares ids numerically when both are digit strings, else as strings ("lowest id", Q-5). */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const d = BigInt(a) - BigInt(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowest<T extends { id: string }>(items: readonly T[]): T | undefined {
  return [...items].sort((x, y) => compareIds(x.id, y.id))[0];
}

export async function resolveUser(directory: DirectoryStore, value: unknown): Promise<User | undefined> {
  const ref = asRef(value);
  if (!ref) return undefined;
  const id = referencedId(ref, 'users');
  if (id !== undefined) return directory.users.get(id);
  // `name` and `userid` both name the user's login name in our directory (docs/compatibility.md §8.1).
  for (const attr of ['name', 'userid'] as const) {
    const wanted = ref[attr];
    if (typeof wanted !== 'string' || wanted === '') continue;
    const found = lowest(await directory.users.list({ name: wanted }));
    if (found) return found;
  }
  return undefined;
}

export async function resolveGroup(directory: DirectoryStore, value: unknown): Promise<Group | undefined> {
  const ref = asRef(value);
  if (!ref) return undefined;
  const id = referencedId(ref, 'groups');
  if (id !== undefined) return directory.groups.get(id);
  const wanted = ref.description;
  if (typeof wanted !== 'string' || wanted === '') return undefined;
  return findGroupByLabel(directory, wanted);
}

/** A group by description, else by name (docs/compatibility.md §8.1); lowest id when several match. */
export async function findGroupByLabel(directory: DirectoryStore, label: string): Promise<Group | undefined> {
  const all = await directory.groups.list();
  return lowest(all.filter((g) => g.description === label)) ?? lowest(all.filter((g) => g.name === label));
}

/** What a group is called in ManageIQ messages: its description, or its name when that is empty. */
export function groupLabel(group: Group): string {
  return group.description || group.name;
}
