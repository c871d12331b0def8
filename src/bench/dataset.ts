/**
 * Seeded dataset generator (docs/benchmarks.md "Dataset"): domains with project trees (depth <= 4, fan-out
 * 5), users, groups (~3 memberships per user), the role catalogue, grants on every scope (some
 * inherited), registered resources with owners and groups, locks on ~2% of resources, and the
 * planted cases docs/benchmarks.md names. Same size and seed → same dataset, in any process.
 *
 * "Nested groups": the role graph has no group-in-group nesting, so nesting is modelled as users
 * in several groups whose grants overlap (README, Benchmarks).
 */
import { ADMIN, SIZES, type Dataset, type DsGrant, type DsResource, type SizeName } from './dataset-types.js';
import { plantFeatured } from './featured.js';
import { buildCatalogue, roleId } from './role-catalogue.js';
import { Rng } from './rng.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const DEFAULT_SEED = 20261122;
const RESOURCE_TYPES = [
  ['vm', 30],
  ['volume', 25],
  ['share', 20],
  ['server', 15],
  ['deliveryservice', 10],
] as const;
/** Weights of systemNames and scopedNames in generateDataset (the domain-specific pick only in domain 0). */
const SYSTEM_ROLE_WEIGHTS = [85, 5, 8, 2];
const SCOPED_ROLE_WEIGHTS = [25, 22, 5, 2, 30, 8, 8, 10];

export function generateDataset(size: SizeName, seed = DEFAULT_SEED): Dataset {
  const spec = SIZES[size];
  const rng = new Rng(seed);
  const domains = Array.from({ length: spec.domains }, (_, d) => `d-${d}`);
  const projects = [];
  const projectsOf: string[][] = domains.map(() => []);
  for (let d = 0; d < spec.domains; d++) {
    for (let k = 0; k < spec.projectsPerDomain; k++) {
      // Two roots per domain, then a heap-shaped tree with fan-out 5: depth <= 4 for 50 projects.
      const parentId = k < 2 ? null : `p-${d}-${Math.floor((k - 2) / 5)}`;
      projects.push({ id: `p-${d}-${k}`, domainId: domains[d]!, parentId });
      projectsOf[d]!.push(`p-${d}-${k}`);
    }
  }
  const users = [{ id: ADMIN, domainId: 'default' }];
  for (let i = 0; i < spec.users; i++) users.push({ id: `u-${i}`, domainId: domains[i % spec.domains]! });
  const groups = Array.from({ length: spec.groups }, (_, i) => ({ id: `g-${i}`, domainId: domains[i % spec.domains]! }));
  const groupsPerDomain = Math.max(1, Math.floor(spec.groups / spec.domains));
  // Records name a user or group by the string the user or group record holds (one string per id,
  // not one per reference: ~400k fewer strings at M); the same ids as `u-${i}` and `g-${i}`.
  const userId = (i: number) => (i < spec.users ? users[i + 1]!.id : `u-${i}`);
  const groupId = (i: number) => groups[i]!.id;
  const groupIn = (d: number) => groupId((rng.int(groupsPerDomain) * spec.domains + d) % spec.groups);
  const memberships: { groupId: string; userId: string }[] = [];
  for (let i = 0; i < spec.users; i++) {
    const d = i % spec.domains;
    const member = userId(i);
    // Three picks (two in the user's domain, one anywhere); a group picked twice is joined once.
    const picked = [groupIn(d), groupIn(d), groupId(rng.int(spec.groups))];
    picked.forEach((group, k) => {
      if (picked.indexOf(group) === k) memberships.push({ groupId: group, userId: member });
    });
  }

  const catalogue = buildCatalogue(domains[0]!);
  // Roles by weight. The picks among the catalogue's lists are drawn first, in this order, then the
  // weighted choice; the name lists are refilled on each call (100k grants at M: no list per grant).
  const systemNames = ['', 'service', 'reader', 'admin'];
  const scopedNames = ['reader', 'member', 'manager', 'admin', '', '', '', ''];
  const pickRole = (target: 'system' | 'domain' | 'project', d: number): string => {
    if (target === 'system') {
      systemNames[0] = rng.pick(catalogue.inert);
      return systemNames[rng.weightedIndex(SYSTEM_ROLE_WEIGHTS)]!;
    }
    scopedNames[4] = rng.pick(catalogue.chainRoles);
    scopedNames[5] = rng.pick(catalogue.chainTops);
    scopedNames[6] = rng.pick(catalogue.inert);
    if (d === 0) scopedNames[7] = rng.pick(catalogue.domainSpecific);
    return scopedNames[rng.weightedIndex(SCOPED_ROLE_WEIGHTS, d === 0 ? 8 : 7)]!;
  };
  const roleIds = new Map(catalogue.roles.map((r) => [r.name, r.id]));
  const grants: DsGrant[] = [{ actorType: 'user', actorId: ADMIN, targetType: 'system', targetId: 'system', roleId: roleId('admin'), inherited: false }];
  for (let i = 1; i < spec.grants; i++) {
    const asGroup = rng.next() < 0.1;
    const actorIndex = rng.int(asGroup ? spec.groups : spec.users);
    const actorId = asGroup ? groupId(actorIndex) : userId(actorIndex);
    const home = actorIndex % spec.domains;
    const d = rng.next() < 0.85 ? home : rng.int(spec.domains);
    const target = rng.weighted([['system', 2], ['domain', 18], ['project', 80]] as const);
    const targetId = target === 'system' ? 'system' : target === 'domain' ? domains[d]! : rng.pick(projectsOf[d]!);
    const inherited = target === 'domain' ? rng.next() < 0.5 : target === 'project' ? rng.next() < 0.2 : false;
    grants.push({ actorType: asGroup ? 'group' : 'user', actorId, targetType: target, targetId, roleId: roleIds.get(pickRole(target, d))!, inherited });
  }

  const cdns = domains.map((_, d) => `cdn-${d}`);
  const resources: DsResource[] = [];
  for (let i = 0; i < spec.resources; i++) {
    const type = rng.weighted(RESOURCE_TYPES);
    const d = rng.int(spec.domains);
    const owner = rng.next() < 0.95 ? userId(rng.int(spec.users / spec.domains) * spec.domains + d) : null;
    const group = rng.next() < 0.3 ? groupIn(d) : null;
    const resource: Mutable<DsResource> = { type, id: `${type}-${i}`, projectId: rng.pick(projectsOf[d]!), domainId: domains[d]!, owner, group };
    if (type === 'server') resource.cdn = cdns[d]!;
    resources.push(resource);
  }
  for (let d = 0; d < spec.domains; d++) {
    resources.push({ type: 'cdn', id: cdns[d]!, projectId: projectsOf[d]![0]!, domainId: domains[d]!, owner: null, group: null });
  }
  const locks = lockSome(rng, resources, spec.users, spec.domains, userId, cdns);
  const base = {
    size, seed, domains, projects, users, groups, memberships,
    roles: catalogue.roles, implications: catalogue.implications, grants, resources, ...locks,
  };
  return plantFeatured(base);
}

function lockSome(
  rng: Rng,
  resources: readonly DsResource[],
  userCount: number,
  domainCount: number,
  userId: (i: number) => string,
  cdns: readonly string[],
) {
  const manilaLocks = [];
  const routeLocks = [];
  const user = () => userId(rng.int(userCount));
  for (const r of resources) {
    if (r.type === 'cdn' || r.type === 'server' || rng.next() >= 0.02) continue;
    if (r.type === 'deliveryservice') routeLocks.push({ route: r.type, resourceId: r.id, userId: r.owner ?? user() });
    else {
      const action = rng.weighted([['delete', 8], ['update', 2]] as const);
      manilaLocks.push({
        id: `lock-${r.id}`, userId: user(), projectId: r.projectId, resourceType: r.type, resourceId: r.id, resourceAction: action,
      });
    }
  }
  // One CDN in five is locked, alternately soft and hard, shared with two users of its domain.
  const cdnLocks = [];
  for (let d = 0; d < domainCount; d += 5) {
    const local = () => userId(rng.int(Math.max(1, Math.floor(userCount / domainCount))) * domainCount + d);
    cdnLocks.push({ cdn: cdns[d]!, userId: local(), soft: d % 10 === 0, shared: [local(), local()] });
  }
  return { manilaLocks, routeLocks, cdnLocks };
}
