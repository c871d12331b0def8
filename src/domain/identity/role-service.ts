/**
 * Roles (docs/compatibility.md §1.3): list, create, show, update, delete, with Keystone's rules: (name, domain)
 * unique, the immutable option, domain_id fixed after creation, and the delete cascade to grants
 * and inference rules. Policy runs before the not-found check on show/update/delete (§1.1) so role
 * existence does not leak to unauthorised callers.
 */
import type { Principal } from '../../auth/principal.js';
import { badRequest } from '../../errors.js';
import type { Role } from '../../store/role-store.js';
import { DuplicateError } from '../../store/store-errors.js';
import { newHexId } from '../ids.js';
import { guard, Lookups, type IdentityDeps } from './deps.js';
import { removeRole } from './removals.js';
import { duplicateRole, immutableRole, missing } from './messages.js';

/** A validated create body. `options.immutable: null` means unset. */
export interface RoleInput {
  readonly name: string;
  readonly description?: string | null;
  readonly domainId?: string | null;
  readonly options?: { readonly immutable?: boolean | null };
  readonly extra: Record<string, unknown>;
}

/** A validated update body; `keys` are the property names the client sent (immutable rule). */
export interface RolePatch extends Partial<Omit<RoleInput, 'extra'>> {
  readonly id?: string;
  readonly extra: Record<string, unknown>;
  readonly keys: readonly string[];
}

export class RoleService {
  private readonly lookups: Lookups;

  constructor(private readonly deps: IdentityDeps) {
    this.lookups = new Lookups(deps.stores);
  }

  /** Without a domain filter only global roles are listed (§1.3). */
  async list(caller: Principal, filter: { name?: string; domainId?: string }): Promise<Role[]> {
    if (filter.domainId !== undefined) guard(this.deps, caller, 'list_domain_roles', { domain_id: filter.domainId });
    else guard(this.deps, caller, 'list_roles');
    return this.deps.stores.roles.list({
      domainId: filter.domainId ?? null,
      ...(filter.name !== undefined ? { name: filter.name } : {}),
    });
  }

  /** `rawDomainId` (from the unvalidated body) picks the policy; `parse` validates after it. */
  async create(caller: Principal, rawDomainId: unknown, parse: () => RoleInput): Promise<Role> {
    guard(this.deps, caller, rawDomainId ? 'create_domain_role' : 'create_role', {
      domain_id: typeof rawDomainId === 'string' ? rawDomainId : '',
    });
    const input = parse();
    const domainId = input.domainId ?? null;
    if (domainId) await this.lookups.domain(domainId); // docs/compatibility.md §7 K-6
    const role: Role = {
      id: newHexId(),
      name: input.name,
      domainId,
      description: input.description ?? null,
      options: mergeOptions({}, input.options),
      extra: input.extra,
    };
    try {
      await this.deps.stores.roles.create(role);
    } catch (err) {
      if (err instanceof DuplicateError) throw duplicateRole(role.name, domainId);
      throw err;
    }
    return role;
  }

  async get(caller: Principal, id: string): Promise<Role> {
    return this.authorized(caller, id, 'get');
  }

  async update(caller: Principal, id: string, parse: () => RolePatch): Promise<Role> {
    const stored = await this.authorized(caller, id, 'update');
    const patch = parse();
    if (patch.id !== undefined && patch.id !== id) throw badRequest('Cannot change ID');
    if (patch.domainId !== undefined && (patch.domainId ?? null) !== stored.domainId) {
      throw badRequest('Update of `domain_id` is not allowed.');
    }
    if (stored.options.immutable === true && !unlocksImmutable(patch)) throw immutableRole('update', id);
    const updated: Role = {
      ...stored,
      name: patch.name ?? stored.name,
      description: patch.description !== undefined ? patch.description : stored.description,
      options: mergeOptions(stored.options, patch.options),
      extra: { ...stored.extra, ...patch.extra },
    };
    try {
      if (!(await this.deps.stores.roles.update(updated))) throw missing('role', id);
    } catch (err) {
      if (err instanceof DuplicateError) throw duplicateRole(updated.name, updated.domainId);
      throw err;
    }
    return updated;
  }

  /** Deletes the role, then every grant of it and every rule naming it (§1.3). */
  async delete(caller: Principal, id: string): Promise<void> {
    const stored = await this.authorized(caller, id, 'delete');
    if (stored.options.immutable === true) throw immutableRole('delete', id);
    if (!(await removeRole(this.deps, id))) throw missing('role', id);
  }

  /** Policy first (domain variant when the role has a domain), then 404 (docs/compatibility.md §1.1). */
  private async authorized(caller: Principal, id: string, verb: 'get' | 'update' | 'delete'): Promise<Role> {
    const role = await this.deps.stores.roles.get(id);
    if (!role) {
      guard(this.deps, caller, `${verb}_role`);
      throw missing('role', id);
    }
    guard(this.deps, caller, role.domainId ? `${verb}_domain_role` : `${verb}_role`, {
      role_name: role.name,
      role_domain_id: role.domainId ?? '',
      domain_id: role.domainId ?? '',
    });
    return role;
  }
}

/** docs/compatibility.md §1.3 / K-9: while immutable, only `{"options": {"immutable": false|null}}` is allowed. */
function unlocksImmutable(patch: RolePatch): boolean {
  if (patch.keys.length !== 1 || patch.keys[0] !== 'options') return false;
  const options = patch.options ?? {};
  return 'immutable' in options && (options.immutable === false || options.immutable === null);
}

/** Options merge: a null value removes the option (docs/compatibility.md §1.3). */
function mergeOptions(
  current: Role['options'],
  change: { readonly immutable?: boolean | null } | undefined,
): Role['options'] {
  if (!change || !('immutable' in change)) return { ...current };
  const next: { immutable?: boolean } = { ...current };
  if (change.immutable === null || change.immutable === undefined) delete next.immutable;
  else next.immutable = change.immutable;
  return next;
}
