/**
 * The role catalogue: Keystone's bootstrap chain (admin ⇒ manager ⇒ member ⇒ reader, service),
 * five families of five roles each forming implied chains of depth 5 with side branches into the
 * next family, and two domain-specific roles that only count through what they imply.
 */
import type { DsRole } from './dataset-types.js';

export const roleId = (name: string) => `role-${name}`;

const FAMILIES = ['plat', 'net', 'data', 'audit', 'bill'] as const;
/** What the bottom of each family implies (audit and bill imply nothing the policy names). */
const FAMILY_FLOOR: Record<(typeof FAMILIES)[number], string | null> = {
  plat: 'member',
  net: 'reader',
  data: 'reader',
  audit: null,
  bill: null,
};

export interface Catalogue {
  readonly roles: DsRole[];
  readonly implications: { prior: string; implied: string }[];
  /** Names grouped by how much they grant, for weighted picking. */
  readonly chainTops: string[];
  readonly chainRoles: string[];
  readonly inert: string[];
  readonly domainSpecific: string[];
}

export function buildCatalogue(firstDomain: string): Catalogue {
  const roles: DsRole[] = [];
  const implications: { prior: string; implied: string }[] = [];
  const add = (name: string, domainId: string | null = null) => roles.push({ id: roleId(name), name, domainId });
  const imply = (prior: string, implied: string) => implications.push({ prior: roleId(prior), implied: roleId(implied) });
  for (const name of ['admin', 'manager', 'member', 'reader', 'service']) add(name);
  imply('admin', 'manager');
  imply('manager', 'member');
  imply('member', 'reader');
  const chainRoles: string[] = [];
  const chainTops: string[] = [];
  const inert: string[] = [];
  FAMILIES.forEach((family, f) => {
    for (let level = 1; level <= 5; level++) {
      const name = `${family}_l${level}`;
      add(name);
      chainRoles.push(name);
      if (level > 1) imply(name, `${family}_l${level - 1}`);
    }
    chainTops.push(`${family}_l5`);
    const floor = FAMILY_FLOOR[family];
    if (floor) imply(`${family}_l1`, floor);
    // Side branch: level 3 of each family also implies level 1 of the next (still a DAG).
    imply(`${family}_l3`, `${FAMILIES[(f + 1) % FAMILIES.length]}_l1`);
  });
  // Domain-specific roles: never held themselves, only through the global roles they imply.
  add('dom_ops', firstDomain);
  add('dom_view', firstDomain);
  imply('dom_ops', 'member');
  imply('dom_view', 'reader');
  // Inert: roles whose implied closure never reaches a role the default policy names.
  const next = new Map<string, string[]>();
  for (const i of implications) next.set(i.prior, [...(next.get(i.prior) ?? []), i.implied]);
  const reachesReader = (id: string): boolean => id === roleId('reader') || (next.get(id) ?? []).some(reachesReader);
  for (const name of chainRoles) if (!reachesReader(roleId(name))) inert.push(name);
  return { roles, implications, chainTops, chainRoles, inert, domainSpecific: ['dom_ops', 'dom_view'] };
}
