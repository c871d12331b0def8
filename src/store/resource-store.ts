/**
 * The resource registry (docs/compatibility.md §8.1): what apps protect, with its scope, owner and group.
 * Ownership updates are single-document atomic writes.
 */
import type { Page, PageRequest } from './page.js';

export interface RegisteredResource {
  readonly type: string;
  readonly id: string;
  readonly projectId: string | null;
  readonly domainId: string | null;
  readonly owner: string | null;
  readonly group: string | null;
  readonly status: string | null;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ResourceFilter {
  readonly type?: string;
  /** null: only records without a project (scoped to their domain or the system). */
  readonly projectId?: string | null;
  readonly domainId?: string;
  readonly owner?: string;
  readonly group?: string;
}

export interface ResourceStore {
  /** Create or replace; `created` tells which. Keeps createdAt on replace. */
  put(resource: RegisteredResource): Promise<{ resource: RegisteredResource; created: boolean }>;
  get(type: string, id: string): Promise<RegisteredResource | undefined>;
  /**
   * The same answer synchronously, from a store that holds its records in memory (the decision
   * path then takes no async turn). Optional: stores that must ask a database leave it out, and
   * callers fall back to `get`. The record is read-only (the store replaces records, never edits them).
   */
  getSync?(type: string, id: string): RegisteredResource | undefined;
  delete(type: string, id: string): Promise<boolean>;
  /** Ordered by (type, id). */
  list(filter: ResourceFilter, page: PageRequest): Promise<Page<RegisteredResource>>;
  /** Sets owner and/or group (a field left undefined is untouched) in one atomic write. */
  setOwnership(
    type: string,
    id: string,
    change: { owner?: string; group?: string },
  ): Promise<RegisteredResource | undefined>;
  /** Clears owner where it is this user (user deleted). */
  clearOwner(userId: string): Promise<void>;
  /** Every record, in batches of about `batchSize`, in no particular order (loading a replica). */
  scan(batchSize: number): AsyncIterable<RegisteredResource[]>;
}
