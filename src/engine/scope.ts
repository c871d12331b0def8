/**
 * Scope keys name where a role is held: `system`, `domain:<id>` or `project:<id>`. A resource's
 * scope is its project, else its domain, else the system.
 */
export type ScopeKey = string;

export const SYSTEM_SCOPE: ScopeKey = 'system';
/** Where an unscoped token stands: no grant can target it, so it holds no roles. */
export const UNSCOPED: ScopeKey = 'unscoped';

/**
 * The project and domain scope keys made so far, one string per id. A decision names its
 * resource's scope, and the role graph and the answer memo look it up in maps: a key made anew
 * for each decision was a string V8 had to flatten and hash at the first lookup, ~3,000
 * instructions a decision (callgrind), where a kept key has its hash. Ids can come from requests
 * (an unregistered resource's properties), so each map starts over past MAX_KEPT.
 */
const PROJECT_KEYS = new Map<string, ScopeKey>();
const DOMAIN_KEYS = new Map<string, ScopeKey>();
const MAX_KEPT = 100_000;

export function scopeKeyOf(type: 'project' | 'domain' | 'system' | 'unscoped', id?: string | null): ScopeKey {
  if (type === 'unscoped') return UNSCOPED;
  if (type === 'system') return SYSTEM_SCOPE;
  const given = id ?? '';
  const kept = type === 'project' ? PROJECT_KEYS : DOMAIN_KEYS;
  let key = kept.get(given);
  if (key === undefined) {
    if (kept.size >= MAX_KEPT) kept.clear();
    kept.set(given, (key = `${type}:${given}`));
  }
  return key;
}

export function resourceScope(r: { projectId?: string | null; domainId?: string | null }): ScopeKey {
  if (r.projectId) return scopeKeyOf('project', r.projectId);
  if (r.domainId) return scopeKeyOf('domain', r.domainId);
  return SYSTEM_SCOPE;
}
