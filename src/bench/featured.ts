/**
 * Plants the cases docs/benchmarks.md lists by name, on dedicated users and resources so that nothing
 * random can change their answer: allow through a depth-5 implied chain + inherited grant + group
 * (with an overlapping second group), deny by lock (Manila, CDN, route), deny by scope mismatch
 * (role in a sibling project), allow by ownership, and the system-scope admin.
 */
import { ADMIN, type Dataset, type FeaturedCase } from './dataset-types.js';
import { roleId } from './role-catalogue.js';

type Base = Omit<Dataset, 'featured'>;

export function plantFeatured(ds: Base): Dataset {
  // p-0-0 is a root of domain d-0; p-0-2 and p-0-3 are its children (siblings).
  const users = ['u-feat-chain', 'u-feat-sibling', 'u-feat-owner'].map((id) => ({ id, domainId: 'd-0' }));
  const groups = ['g-feat-chain', 'g-feat-overlap'].map((id) => ({ id, domainId: 'd-0' }));
  const grant = (actorType: 'user' | 'group', actorId: string, targetId: string, role: string, inherited: boolean) =>
    ({ actorType, actorId, targetType: 'project' as const, targetId, roleId: roleId(role), inherited });
  const res = (type: string, id: string, projectId: string, owner: string | null, cdn?: string) =>
    ({ type, id, projectId, domainId: 'd-0', owner, group: null, ...(cdn ? { cdn } : {}) });
  const featured: FeaturedCase[] = [
    { name: 'allow: depth-5 implied chain, inherited grant, via group', subject: 'u-feat-chain', action: 'update', type: 'vm', id: 'vm-feat-chain', expected: true },
    { name: 'allow: overlapping groups (reader via second group)', subject: 'u-feat-chain', action: 'read', type: 'vm', id: 'vm-feat-chain', expected: true },
    { name: 'deny: Manila delete lock (even for admin)', subject: ADMIN, action: 'delete', type: 'share', id: 'share-feat-locked', expected: false },
    { name: 'deny: role held in a sibling project', subject: 'u-feat-sibling', action: 'update', type: 'vm', id: 'vm-feat-chain', expected: false },
    { name: 'allow: ownership', subject: 'u-feat-owner', action: 'update', type: 'vm', id: 'vm-feat-owned', expected: true },
    { name: 'deny: owner of another resource only', subject: 'u-feat-owner', action: 'delete', type: 'vm', id: 'vm-feat-chain', expected: false },
    { name: 'allow: system-scope admin', subject: ADMIN, action: 'snapshot', type: 'vm', id: 'vm-feat-chain', expected: true },
    { name: 'deny: hard CDN lock for a non-holder admin', subject: ADMIN, action: 'update', type: 'server', id: 'server-feat-cdn', expected: false },
    { name: 'allow: CDN lock holder who owns the server', subject: 'u-feat-owner', action: 'update', type: 'server', id: 'server-feat-cdn', expected: true },
    { name: 'deny: route lock for a non-holder admin', subject: ADMIN, action: 'update', type: 'deliveryservice', id: 'deliveryservice-feat', expected: false },
  ];
  return {
    ...ds,
    users: [...ds.users, ...users],
    groups: [...ds.groups, ...groups],
    memberships: [
      ...ds.memberships,
      { groupId: 'g-feat-chain', userId: 'u-feat-chain' },
      { groupId: 'g-feat-overlap', userId: 'u-feat-chain' },
    ],
    grants: [
      ...ds.grants,
      grant('group', 'g-feat-chain', 'p-0-0', 'plat_l5', true),
      grant('group', 'g-feat-overlap', 'p-0-2', 'reader', false),
      grant('user', 'u-feat-sibling', 'p-0-3', 'member', false),
    ],
    resources: [
      ...ds.resources,
      res('vm', 'vm-feat-chain', 'p-0-2', null),
      res('vm', 'vm-feat-owned', 'p-0-4', 'u-feat-owner'),
      res('share', 'share-feat-locked', 'p-0-2', 'u-feat-chain'),
      res('server', 'server-feat-cdn', 'p-0-2', 'u-feat-owner', 'cdn-feat'),
      res('deliveryservice', 'deliveryservice-feat', 'p-0-2', null),
    ],
    manilaLocks: [
      ...ds.manilaLocks,
      { id: 'lock-feat', userId: 'u-feat-chain', projectId: 'p-0-2', resourceType: 'share', resourceId: 'share-feat-locked', resourceAction: 'delete' },
    ],
    cdnLocks: [...ds.cdnLocks, { cdn: 'cdn-feat', userId: 'u-feat-owner', soft: false, shared: [] }],
    routeLocks: [...ds.routeLocks, { route: 'deliveryservice', resourceId: 'deliveryservice-feat', userId: 'u-feat-sibling' }],
    featured,
  };
}
