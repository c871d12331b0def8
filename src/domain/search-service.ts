/**
 * AuthZEN search (subjects, resources, actions): enumerate candidates, ask the engine about each,
 * return the allowed ones a page at a time. Candidates are narrowed from the role graph and the
 * registry so a search does not evaluate every user or every resource that cannot match.
 */
import type { Engine } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import { Util } from 'casbin';
import type { Stores } from '../store/stores.js';
import type { DecisionService, ResourceRef } from './decision-service.js';
import { decodeCursor, encodeCursor } from '../store/cursor.js';

/** A search's candidate checks are not kept in the decision log (the search's permission check is). */
const UNRECORDED = { record: false } as const;

export interface SearchPage<T> {
  readonly results: T[];
  readonly nextToken?: string;
}

export class SearchService {
  constructor(
    private readonly stores: Stores,
    private readonly graph: RoleGraph,
    private readonly engine: Engine,
    private readonly decisions: DecisionService,
  ) {}

  /** Users who may do `action` on the resource, ordered by id. */
  async subjects(action: string, resource: ResourceRef, limit: number, token?: string): Promise<SearchPage<string>> {
    const after = token ? decodeCursor(token)[1] : undefined;
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
    const results: string[] = [];
    for (const subjectId of ordered) {
      const d = await this.decisions.evaluateWith({ subjectId, action, resource }, stored, UNRECORDED);
      if (!d.allowed) continue;
      if (results.length === limit) return { results, nextToken: encodeCursor(['s', results[results.length - 1]!]) };
      results.push(subjectId);
    }
    return { results };
  }

  /** Registered resources of `type` the subject may do `action` on, ordered by id. */
  async resources(subjectId: string, action: string, type: string, limit: number, token?: string): Promise<SearchPage<string>> {
    const results: string[] = [];
    let after = token;
    for (;;) {
      const page = await this.stores.resources.list({ type }, { limit: 200, ...(after ? { after } : {}) });
      for (const r of page.items) {
        const d = await this.decisions.evaluateWith({ subjectId, action, resource: { type, id: r.id } }, r, UNRECORDED);
        if (!d.allowed) continue;
        if (results.length === limit) {
          return { results, nextToken: encodeCursor([type, results[results.length - 1]!]) };
        }
        results.push(r.id);
      }
      if (!page.next) return { results };
      after = page.next;
    }
  }

  /** Actions named in policy for the resource's type that the subject may do. */
  async actions(subjectId: string, resource: ResourceRef): Promise<string[]> {
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
      const d = await this.decisions.evaluateWith({ subjectId, action, resource }, stored, UNRECORDED);
      if (d.allowed) allowed.push(action);
    }
    return allowed;
  }
}
