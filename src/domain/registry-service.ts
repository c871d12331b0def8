/**
 * The resource registry: apps register what they protect (type, id, scope, owner, group, status,
 * attributes). Deleting a resource also deletes the locks that stood on it (docs/compatibility.md §6.3).
 */
import type { Page, PageRequest } from '../store/page.js';
import type { RegisteredResource, ResourceFilter } from '../store/resource-store.js';
import type { Stores } from '../store/stores.js';

export interface ResourceInput {
  readonly projectId?: string | null;
  readonly domainId?: string | null;
  readonly owner?: string | null;
  readonly group?: string | null;
  readonly status?: string | null;
  readonly attributes?: Record<string, unknown>;
}

export class RegistryService {
  constructor(private readonly stores: Stores) {}

  /** Create or replace. Fields left out are cleared: PUT replaces the whole record. */
  async put(type: string, id: string, input: ResourceInput) {
    const now = new Date().toISOString();
    return this.stores.resources.put({
      type,
      id,
      projectId: input.projectId ?? null,
      domainId: input.domainId ?? null,
      owner: input.owner ?? null,
      group: input.group ?? null,
      status: input.status ?? null,
      attributes: input.attributes ?? {},
      createdAt: now,
      updatedAt: now,
    });
  }

  get(type: string, id: string): Promise<RegisteredResource | undefined> {
    return this.stores.resources.get(type, id);
  }

  async delete(type: string, id: string): Promise<boolean> {
    const deleted = await this.stores.resources.delete(type, id);
    if (deleted) {
      await Promise.all([
        this.stores.manilaLocks.deleteForResource(type, id),
        this.stores.routeLocks.deleteForResource(type, id),
        type === 'cdn' ? this.stores.cdnLocks.deleteIf(id) : Promise.resolve(undefined),
      ]);
    }
    return deleted;
  }

  list(filter: ResourceFilter, page: PageRequest): Promise<Page<RegisteredResource>> {
    return this.stores.resources.list(filter, page);
  }
}
