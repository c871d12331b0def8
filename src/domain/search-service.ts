/**
 * AuthZEN search (subjects, resources, actions): enumerate candidates, ask the engine about each,
 * return the allowed ones a page at a time. Candidates are narrowed from the role graph and the
 * registry so a search does not evaluate every user or every resource that cannot match. Subjects
 * come in and go out in the app's ids (subjects.ts); page tokens are bound to their request
 * (search-token.ts).
 */
import type { Engine } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import { Util } from 'casbin';
import type { Stores } from '../store/stores.js';
import type { Logger } from '../telemetry/logger.js';
import type { DecisionService, ResourceRef } from './decision-service.js';
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
    const candidates = new Set<string>();
    for (const { actorType, actorId } of this.graph.actors()) {
      if (actorType === 'user') candidates.add(actorId);
      else for (const u of this.graph.membersOf(actorId)) candidates.add(u);
    }
    const owner = stored?.owner ?? resource.properties?.owner;
    if (typeof owner === 'string') candidates.add(owner);
    const group = stored?.group ?? resource.properties?.group;
    if (typeof group === 'string') for (const u of this.graph.membersOf(group)) candidates.add(u);
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
    let after = page.token ? readPageToken(page.token, request) : undefined;
    for (;;) {
      const listed = await this.stores.resources.list({ type }, { limit: 200, ...(after ? { after } : {}) });
      for (const r of listed.items) {
        const d = await this.decisions.evaluateWith(
          { subjectId: subject.userId, subject, ...evaluationParts(action, search.context), resource: { type, id: r.id } },
          r,
          UNRECORDED,
        );
        if (!d.allowed) continue;
        if (results.length === page.limit) return { results, nextToken: pageToken(results[results.length - 1]!, request) };
        results.push(r.id);
      }
      if (!listed.next) return { results };
      after = listed.next;
    }
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

function evaluationParts(action: ActionRef, context: Attributes | undefined) {
  return {
    action: action.name,
    ...(action.properties ? { actionProperties: action.properties } : {}),
    ...(context ? { context } : {}),
  };
}
