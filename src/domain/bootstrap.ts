/**
 * First start on an empty store: domain `default`, the roles admin ⇒ manager ⇒ member ⇒ reader
 * (plus service), and user `admin` holding `admin` on the system. Like `keystone-manage bootstrap`,
 * the roles are created immutable. Runs only when the store has no roles and no `default` domain.
 */
import type { Stores } from '../store/stores.js';
import { DuplicateError } from '../store/store-errors.js';
import { newHexId } from './ids.js';

export const BOOTSTRAP_ROLES = ['admin', 'manager', 'member', 'reader', 'service'] as const;
const CHAIN = ['admin', 'manager', 'member', 'reader'] as const;
/** The implied roles a new store starts with: each role of the chain implies the next. */
export const BOOTSTRAP_IMPLICATIONS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  CHAIN.slice(0, -1).map((prior, i) => [prior, [CHAIN[i + 1]!]]),
);

export async function bootstrapIfEmpty(stores: Stores): Promise<boolean> {
  const [roles, domain] = await Promise.all([stores.roles.list(), stores.directory.domains.get('default')]);
  if (roles.length > 0 || domain) return false;
  await ignoreDuplicate(
    stores.directory.domains.create({ id: 'default', name: 'Default', description: 'The default domain', enabled: true }),
  );
  const ids = new Map<string, string>();
  for (const name of BOOTSTRAP_ROLES) {
    const role = { id: newHexId(), name, domainId: null, description: null, options: { immutable: true }, extra: {} };
    // A concurrent replica may have bootstrapped the same roles: keep whichever landed first.
    try {
      ids.set(name, (await stores.roles.create(role)).id);
    } catch (err) {
      if (!(err instanceof DuplicateError)) throw err;
      const existing = await stores.roles.list({ name, domainId: null });
      ids.set(name, existing[0]!.id);
    }
  }
  for (let i = 0; i + 1 < CHAIN.length; i++) {
    await ignoreDuplicate(
      stores.inferences.add({ priorRoleId: ids.get(CHAIN[i]!)!, impliedRoleId: ids.get(CHAIN[i + 1]!)! }),
    );
  }
  await ignoreDuplicate(
    stores.directory.users.create({ id: 'admin', name: 'admin', domainId: 'default', enabled: true }),
  );
  await stores.grants.add({
    actorType: 'user',
    actorId: 'admin',
    targetType: 'system',
    targetId: 'system',
    roleId: ids.get('admin')!,
    inherited: false,
  });
  return true;
}

async function ignoreDuplicate(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof DuplicateError)) throw err;
  }
}
