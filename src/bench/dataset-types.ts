/**
 * The benchmark dataset as plain data: what the generator produces, what the loader writes into
 * the stores, and what the oracle reads. Nothing here knows the engine.
 */

export type SizeName = 'S' | 'M' | 'L';

export interface SizeSpec {
  readonly domains: number;
  readonly projectsPerDomain: number;
  readonly users: number;
  readonly groups: number;
  readonly grants: number;
  readonly resources: number;
}

/** docs/benchmarks.md, Dataset. */
export const SIZES: Readonly<Record<SizeName, SizeSpec>> = {
  S: { domains: 10, projectsPerDomain: 20, users: 1_000, groups: 50, grants: 5_000, resources: 10_000 },
  M: { domains: 100, projectsPerDomain: 50, users: 20_000, groups: 1_000, grants: 100_000, resources: 200_000 },
  L: { domains: 1_000, projectsPerDomain: 50, users: 100_000, groups: 10_000, grants: 600_000, resources: 1_000_000 },
};

export interface DsProject {
  readonly id: string;
  readonly domainId: string;
  readonly parentId: string | null;
}
export interface DsUser {
  readonly id: string;
  readonly domainId: string;
}
export interface DsRole {
  readonly id: string;
  readonly name: string;
  readonly domainId: string | null;
}
export interface DsGrant {
  readonly actorType: 'user' | 'group';
  readonly actorId: string;
  readonly targetType: 'project' | 'domain' | 'system';
  readonly targetId: string;
  readonly roleId: string;
  readonly inherited: boolean;
}
export interface DsResource {
  readonly type: string;
  readonly id: string;
  readonly projectId: string;
  readonly domainId: string;
  readonly owner: string | null;
  readonly group: string | null;
  /** `cdn` names the CDN a server belongs to (CDN locks reach it through this). */
  readonly cdn?: string;
}
export interface DsManilaLock {
  readonly id: string;
  readonly userId: string;
  readonly projectId: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceAction: string;
}
export interface DsCdnLock {
  readonly cdn: string;
  readonly userId: string;
  readonly soft: boolean;
  readonly shared: readonly string[];
}
export interface DsRouteLock {
  readonly route: string;
  readonly resourceId: string;
  readonly userId: string;
}

/** A planted question with the answer the dataset was built to give (the planted cases of docs/benchmarks.md). */
export interface FeaturedCase {
  readonly name: string;
  readonly subject: string;
  readonly action: string;
  readonly type: string;
  readonly id: string;
  readonly expected: boolean;
}

export interface Dataset {
  readonly size: SizeName;
  readonly seed: number;
  readonly domains: readonly string[];
  readonly projects: readonly DsProject[];
  readonly users: readonly DsUser[];
  readonly groups: readonly DsUser[];
  readonly memberships: readonly { readonly groupId: string; readonly userId: string }[];
  readonly roles: readonly DsRole[];
  readonly implications: readonly { readonly prior: string; readonly implied: string }[];
  readonly grants: readonly DsGrant[];
  readonly resources: readonly DsResource[];
  readonly manilaLocks: readonly DsManilaLock[];
  readonly cdnLocks: readonly DsCdnLock[];
  readonly routeLocks: readonly DsRouteLock[];
  readonly featured: readonly FeaturedCase[];
}

export const ADMIN = 'admin';
