/**
 * Manila shares as read-only views of registered resources of type `share` (the registry is
 * where apps put what Portcullis protects, docs/compatibility.md §8.1). Serves what a Manila client looks up before
 * it locks a share: show one (`share:get`, 404 when missing or not visible, as upstream's
 * share_api.get answers) and list them (`share:get_all`, then the `share:get` visibility row per
 * share). Which shares a listing considers follows upstream's share_api.get_all: the caller's
 * project, plus public shares with `is_public`, or every project with `all_tenants` when
 * `share:list_all_projects` allows it (else the flag is dropped, as upstream does). Shares in the
 * recycle bin (`attributes.is_soft_deleted`) are listed only with `is_soft_deleted`.
 * Must not: know HTTP or the wire shape of a share.
 */
import { badRequest, notFound } from '../../errors.js';
import type { RegisteredResource } from '../../store/resource-store.js';
import type { Stores } from '../../store/stores.js';
import type { Authorizer } from '../authorizer.js';
import type { Caller } from './caller-context.js';
import { invalidInput, policyDenied } from './messages.js';

export const SHARE_TYPE = 'share';

/** Sort keys upstream's share listing accepts, mapped to how a registered share is compared. */
const SORT_VALUES: Readonly<Record<string, (r: RegisteredResource) => string | number | null>> = {
  id: (r) => r.id,
  status: (r) => r.status,
  created_at: (r) => r.createdAt,
  updated_at: (r) => r.updatedAt,
  project_id: (r) => r.projectId,
  user_id: (r) => r.owner,
  name: (r) => attr(r, 'name'),
  display_name: (r) => attr(r, 'name'),
  size: (r) => (typeof r.attributes.size === 'number' ? r.attributes.size : null),
  share_proto: (r) => attr(r, 'share_proto'),
  availability_zone: (r) => attr(r, 'availability_zone'),
  share_network_id: (r) => attr(r, 'share_network_id'),
  snapshot_id: (r) => attr(r, 'snapshot_id'),
  share_type_id: (r) => attr(r, 'share_type'),
};
export const SHARE_SORT_KEYS = Object.keys(SORT_VALUES);

export interface ListSharesInput {
  readonly allTenants: boolean;
  readonly isPublic: boolean;
  readonly isSoftDeleted: boolean;
  /** Exact filters on what the registry holds (name and description are attributes). */
  readonly name?: string;
  readonly nameContains?: string;
  readonly description?: string;
  readonly descriptionContains?: string;
  readonly status?: string;
  readonly projectId?: string;
  readonly sortKey: string;
  readonly sortDir: 'asc' | 'desc';
  readonly limit?: number;
  readonly offset?: number;
}

export interface ManilaShareDeps {
  readonly stores: Pick<Stores, 'resources'>;
  readonly authorizer: Authorizer;
}

/** Registry pages are read this many at a time while listing. */
const PAGE = 500;

export class ManilaShareService {
  constructor(private readonly deps: ManilaShareDeps) {}

  /** One share the caller may see; 404 `Share <id> could not be found.` otherwise. */
  async get(caller: Caller, id: string): Promise<RegisteredResource> {
    const share = await this.deps.stores.resources.get(SHARE_TYPE, id);
    if (!share || !this.visible(caller, share)) throw notFound(`Share ${id} could not be found.`);
    return share;
  }

  /** The shares the caller may see that match the filters, sorted and paged; total before paging. */
  async list(caller: Caller, input: ListSharesInput): Promise<{ items: RegisteredResource[]; total: number }> {
    const { principal, facts } = caller;
    const own = principal.scope.type === 'project' ? (principal.scope.id ?? '') : '';
    this.deps.authorizer.require(principal, 'share:get_all', policyDenied('share:get_all'), { project_id: own }, facts);
    const sortValue = SORT_VALUES[input.sortKey];
    if (!sortValue) throw badRequest(invalidInput(`Wrong sorting key provided - '${input.sortKey}'.`));
    const allProjects = input.allTenants && this.deps.authorizer.check(principal, 'share:list_all_projects', {}, facts).allowed;

    const wanted = (r: RegisteredResource): boolean => {
      const inScope = allProjects
        ? input.projectId === undefined || r.projectId === input.projectId
        : r.projectId === own || (input.isPublic && r.attributes.is_public === true);
      return (
        inScope &&
        (r.attributes.is_soft_deleted === true) === input.isSoftDeleted &&
        matches(input.name, attr(r, 'name')) &&
        contains(input.nameContains, attr(r, 'name')) &&
        matches(input.description, attr(r, 'description')) &&
        contains(input.descriptionContains, attr(r, 'description')) &&
        matches(input.status, r.status) &&
        this.visible(caller, r)
      );
    };
    // Without all_tenants or is_public only the caller's project can match: ask the store for it.
    const scanAll = allProjects || input.isPublic;
    const found: RegisteredResource[] = [];
    let after: string | undefined;
    do {
      const page = await this.deps.stores.resources.list(
        { type: SHARE_TYPE, ...(scanAll ? {} : { projectId: own }) },
        { limit: PAGE, ...(after ? { after } : {}) },
      );
      for (const r of page.items) if (wanted(r)) found.push(r);
      after = page.next;
    } while (after);

    const dir = input.sortDir === 'asc' ? 1 : -1;
    found.sort((a, b) => dir * compare(sortValue(a), sortValue(b)) || compare(a.id, b.id));
    const start = input.offset ?? 0;
    const items = found.slice(start, input.limit === undefined ? undefined : start + input.limit);
    return { items, total: found.length };
  }

  /** Upstream's visibility: admins any share, others their project's, and public shares. */
  private visible(caller: Caller, share: RegisteredResource): boolean {
    const target = {
      type: SHARE_TYPE,
      id: share.id,
      project_id: share.projectId ?? '',
      owner: share.owner ?? '',
      is_public: share.attributes.is_public === true,
    };
    return this.deps.authorizer.check(caller.principal, 'share:get', target, caller.facts).allowed;
  }
}

function attr(r: RegisteredResource, key: string): string | null {
  const v = r.attributes[key];
  return typeof v === 'string' ? v : null;
}

const matches = (wanted: string | undefined, value: string | null) => wanted === undefined || value === wanted;
const contains = (wanted: string | undefined, value: string | null) =>
  wanted === undefined || (value ?? '').toLowerCase().includes(wanted.toLowerCase());

/** Nulls sort first ascending, as SQL NULLs do in upstream's MySQL. */
function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
