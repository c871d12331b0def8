/**
 * AuthZEN search (subjects, resources, actions): enumerate candidates, ask the engine about each,
 * return the allowed ones a page at a time. Candidates are narrowed from the role graph's reverse
 * answers and the registry's indexes (search-candidates.ts) so a search does not evaluate every
 * user or every resource that no row could allow. Subjects come in and go out in the app's ids
 * (subjects.ts); page tokens are bound to their request (search-token.ts).
 */
import type { Engine } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import { Util } from 'casbin';
import { encodeCursor } from '../store/cursor.js';
import type { RegisteredResource, ResourceFilter, ResourceStore } from '../store/resource-store.js';
import type { Stores } from '../store/stores.js';
import type { Logger } from '../telemetry/logger.js';
import { mergeFacts, type DecisionService, type ResourceRef } from './decision-service.js';
import { candidateResourceFilters, candidateUsers } from './search-candidates.js';
import { pageToken, readPageToken } from './search-token.js';
import type { ResolvedSubject, Subjects } from './subjects.js';

type Attributes = Readonly<Record<string, unknown>>;

/** A search's candidate checks are not kept in the decision log (the search's permission check is). */
const UNRECORDED = { record: false } as const;

export interface SearchPage<T> {
  readonly results: T[];
  readonly nextToken?: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly token?: string;
}

export interface ActionRef {
  readonly name: string;
  readonly properties?: Attributes;
}

export interface SubjectSearch {
  readonly subject: { readonly type: string; readonly properties?: Attributes };
  readonly action: ActionRef;
  readonly resource: ResourceRef;
  readonly context?: Attributes;
}

export interface ResourceSearch {
  readonly subject: ResolvedSubject;
  readonly action: ActionRef;
  readonly resource: { readonly type: string };
  readonly context?: Attributes;
}

export interface ActionSearch {
  readonly subject: ResolvedSubject;
  readonly resource: ResourceRef;
  readonly context?: Attributes;
}

export class SearchService {
  constructor(
    private readonly stores: Stores,
    private readonly graph: RoleGraph,
    private readonly engine: Engine,
    private readonly decisions: DecisionService,
    private readonly resolver: Subjects,
  ) {}

  /**
   * Users who may do the action on the resource, in the app's ids (see Subjects.appIds), paged in
   * directory id order. A subject type that names no users finds nobody.
   */
  /** `log` (every search): the request's logger, for the decision lines. */
  async subjects(search: SubjectSearch, page: PageRequest, request: unknown, log?: Logger): Promise<SearchPage<string>> {
    if (!this.resolver.knows(search.subject.type)) return { results: [] };
    const after = page.token ? readPageToken(page.token, request) : undefined;
    const { resource, action } = search;
    const stored = await this.stores.resources.get(resource.type, resource.id);
    const { users: candidates, anyone } = candidateUsers(this.engine, this.graph, action.name, mergeFacts(resource, stored));
    if (anyone) for (const u of await this.stores.directory.users.list()) candidates.add(u.id);
    const ordered = [...candidates].filter((id) => after === undefined || id > after).sort();
    // Conditions may read the subject's attributes: only then is each candidate looked up.
    const withFacts = this.engine.hasConditions(action.name);
    const found: string[] = [];
    let nextToken: string | undefined;
    for (const userId of ordered) {
      const subject = withFacts
        ? await this.subjectFacts(userId, search.subject.type, search.subject.properties)
        : undefined;
      const d = await this.decisions.evaluateWith(
        { subjectId: userId, ...(subject ? { subject } : {}), ...evaluationParts(action, search.context), resource },
        stored,
        UNRECORDED,
      );
      if (!d.allowed) continue;
      if (found.length === page.limit) {
        nextToken = pageToken(found[found.length - 1]!, request);
        break;
      }
      found.push(userId);
    }
    const results = await this.resolver.appIds(found, search.subject.properties);
    return nextToken ? { results, nextToken } : { results };
  }

  /** Registered resources of the type the subject may act on, ordered by id. */
  async resources(search: ResourceSearch, page: PageRequest, request: unknown, log?: Logger): Promise<SearchPage<string>> {
    const { subject, action } = search;
    const type = search.resource.type;
    const results: string[] = [];
    const after = page.token ? readPageToken(page.token, request) : undefined;
    // Without filters (a row allows anyone, the user, or a group of theirs; a system grant), every resource of the type.
    const filters = candidateResourceFilters(this.engine, this.graph, subject.userId, action.name, type) ?? [{ type }];
    for await (const r of inIdOrder(this.stores.resources, filters, type, after)) {
      const d = await this.decisions.evaluateWith(
        { subjectId: subject.userId, subject, ...evaluationParts(action, search.context), resource: { type, id: r.id } },
        r,
        UNRECORDED,
      );
      if (!d.allowed) continue;
      if (results.length === page.limit) return { results, nextToken: pageToken(results[results.length - 1]!, request) };
      results.push(r.id);
    }
    return { results };
  }

  /** Actions named in policy for the resource's type that the subject may do. */
  async actions(search: ActionSearch, log?: Logger): Promise<string[]> {
    const { subject, resource } = search;
    const names = new Set<string>();
    for (const rule of this.engine.rules()) {
      if (rule.ptype !== 'p') continue;
      const [, obj, act] = rule.values;
      if (!obj || !act || act.includes('*')) continue;
      if (Util.keyMatchFunc(resource.type, obj)) names.add(act);
    }
    const stored = await this.stores.resources.get(resource.type, resource.id);
    const allowed: string[] = [];
    for (const action of [...names].sort()) {
      const d = await this.decisions.evaluateWith(
        { subjectId: subject.userId, subject, action, ...(search.context ? { context: search.context } : {}), resource },
        stored,
        UNRECORDED,
      );
      if (d.allowed) allowed.push(action);
    }
    return allowed;
  }

  /** A candidate user as conditions see it, named as the app names it. */
  private async subjectFacts(userId: string, type: string, properties: Attributes | undefined): Promise<ResolvedSubject> {
    const [id] = await this.resolver.appIds([userId], properties);
    return this.resolver.resolve({ type, id: id!, ...(properties ? { properties } : {}) });
  }
}

/** Each store list reads this many records at a time. */
const LIST_PAGE = 64;

/**
 * The registered resources of the type matching any of the filters, in id order, each once, after
 * `after`: the filters' keyset pages merged as they are read, so a search that stops after a page
 * of results reads only about as far as it got.
 */
async function* inIdOrder(
  store: ResourceStore,
  filters: readonly ResourceFilter[],
  type: string,
  after: string | undefined,
): AsyncGenerator<RegisteredResource> {
  const start = after === undefined ? undefined : encodeCursor([type, after]);
  const lists = filters.map((f) => listed(store, f, start));
  const heads = await Promise.all(lists.map((l) => l.next()));
  for (;;) {
    let first: RegisteredResource | undefined;
    for (const h of heads) if (!h.done && (first === undefined || h.value.id < first.id)) first = h.value;
    if (first === undefined) return;
    yield first;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (!h.done && h.value.id === first.id) heads[i] = await lists[i]!.next();
    }
  }
}

async function* listed(store: ResourceStore, filter: ResourceFilter, after: string | undefined): AsyncGenerator<RegisteredResource> {
  let cursor = after;
  for (;;) {
    const page = await store.list(filter, { limit: LIST_PAGE, ...(cursor ? { after: cursor } : {}) });
    yield* page.items;
    if (!page.next) return;
    cursor = page.next;
  }
}

function evaluationParts(action: ActionRef, context: Attributes | undefined) {
  return {
    action: action.name,
    ...(action.properties ? { actionProperties: action.properties } : {}),
    ...(context ? { context } : {}),
  };
}
