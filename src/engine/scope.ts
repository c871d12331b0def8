/**
 * Scope keys name where a role is held: `system`, `domain:<id>` or `project:<id>`. A resource's
 * scope is its project, else its domain, else the system.
 */
export type ScopeKey = string;

export const SYSTEM_SCOPE: ScopeKey = 'system';
/** Where an unscoped token stands: no grant can target it, so it holds no roles. */
export const UNSCOPED: ScopeKey = 'unscoped';

export function scopeKeyOf(type: 'project' | 'domain' | 'system' | 'unscoped', id?: string | null): ScopeKey {
  if (type === 'unscoped') return UNSCOPED;
  return type === 'system' ? SYSTEM_SCOPE : `${type}:${id ?? ''}`;
}

export function resourceScope(r: { projectId?: string | null; domainId?: string | null }): ScopeKey {
  if (r.projectId) return scopeKeyOf('project', r.projectId);
  if (r.domainId) return scopeKeyOf('domain', r.domainId);
  return SYSTEM_SCOPE;
}
