/**
 * Domains and projects (docs/compatibility.md §8.1): projects form a tree under their domain through
 * `parent_id`. On the wire a top-level project's `parent_id` is its domain id, as in Keystone
 * (projects acting as domains). A project with children cannot be deleted (Keystone's 403), so the
 * tree never dangles; deleting a project removes the grants on it.
 */
import type { Principal } from '../../auth/principal.js';
import { badRequest, forbidden, notFound } from '../../errors.js';
import type { Domain, Project } from '../../store/directory-store.js';
import { newHexId } from '../ids.js';
import { guard, Lookups, storeOrConflict, type IdentityDeps } from './deps.js';
import { domainNotEmpty, enabledDomain, notALeaf } from './directory-messages.js';

export interface ProjectInput {
  readonly name: string;
  readonly domainId?: string;
  /** A project id, or a domain id (top-level project), or null. */
  readonly parentId?: string | null;
  readonly description?: string;
  readonly enabled?: boolean;
}

export class ProjectService {
  private readonly lookups: Lookups;

  constructor(private readonly deps: IdentityDeps) {
    this.lookups = new Lookups(deps.stores);
  }

  private get projects() {
    return this.deps.stores.directory.projects;
  }
  private get domains() {
    return this.deps.stores.directory.domains;
  }

  async listDomains(caller: Principal, filter: { name?: string }): Promise<Domain[]> {
    guard(this.deps, caller, 'list_domains');
    return this.domains.list(filter);
  }

  async createDomain(caller: Principal, input: Omit<Partial<Domain>, 'id'> & { name: string }): Promise<Domain> {
    guard(this.deps, caller, 'create_domain');
    const domain: Domain = { description: '', enabled: true, ...input, id: newHexId() };
    await storeOrConflict(() => this.domains.create(domain), 'domain', domain.name);
    return domain;
  }

  async getDomain(caller: Principal, id: string): Promise<Domain> {
    const domain = await this.lookups.domain(id);
    guard(this.deps, caller, 'get_domain', { domain_id: id });
    return domain;
  }

  async updateDomain(caller: Principal, id: string, change: Omit<Partial<Domain>, 'id'>): Promise<Domain> {
    const domain = await this.lookups.domain(id);
    guard(this.deps, caller, 'update_domain', { domain_id: id });
    const next = { ...domain, ...change, id };
    await storeOrConflict(() => this.domains.update(next), 'domain', next.name);
    return next;
  }

  /** Keystone requires a disabled domain; we also require an empty one (no silent cascade). */
  async deleteDomain(caller: Principal, id: string): Promise<void> {
    const domain = await this.lookups.domain(id);
    guard(this.deps, caller, 'delete_domain', { domain_id: id });
    if (domain.enabled) throw enabledDomain();
    const { stores } = this.deps;
    const owned = await Promise.all([
      this.projects.list({ domainId: id }),
      stores.directory.users.list({ domainId: id }),
      stores.directory.groups.list({ domainId: id }),
      stores.roles.list({ domainId: id }),
    ]);
    if (owned.some((list) => list.length > 0)) throw domainNotEmpty(id);
    if (!(await this.domains.delete(id))) throw notFound(`Could not find domain: ${id}.`);
    await stores.grants.removeWhere({ targetType: 'domain', targetId: id });
  }

  async listProjects(caller: Principal, filter: { name?: string; domainId?: string; parentId?: string }) {
    guard(this.deps, caller, 'list_projects', { domain_id: filter.domainId ?? '' });
    const all = await this.projects.list({
      ...(filter.name !== undefined ? { name: filter.name } : {}),
      ...(filter.domainId !== undefined ? { domainId: filter.domainId } : {}),
    });
    if (filter.parentId === undefined) return all;
    return all.filter((p) => (p.parentId ?? p.domainId) === filter.parentId);
  }

  async createProject(caller: Principal, input: ProjectInput): Promise<Project> {
    const { domainId, parentId } = await this.placement(caller, input);
    guard(this.deps, caller, 'create_project', { domain_id: domainId });
    const project: Project = {
      id: newHexId(),
      name: input.name,
      domainId,
      parentId,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
    };
    await storeOrConflict(() => this.projects.create(project), 'project', project.name, domainId);
    return project;
  }

  async getProject(caller: Principal, id: string): Promise<Project> {
    const project = await this.lookups.project(id);
    guard(this.deps, caller, 'get_project', { domain_id: project.domainId, project_id: id });
    return project;
  }

  async updateProject(
    caller: Principal,
    id: string,
    change: { name?: string; description?: string; enabled?: boolean; domainId?: string; parentId?: string | null },
  ): Promise<Project> {
    const project = await this.lookups.project(id);
    guard(this.deps, caller, 'update_project', { domain_id: project.domainId, project_id: id });
    if (change.domainId !== undefined && change.domainId !== project.domainId) {
      throw badRequest('Update of `domain_id` is not allowed.');
    }
    if (change.parentId !== undefined && (change.parentId ?? project.domainId) !== (project.parentId ?? project.domainId)) {
      throw forbidden('Update of `parent_id` is not allowed.');
    }
    const next: Project = {
      ...project,
      name: change.name ?? project.name,
      description: change.description ?? project.description,
      enabled: change.enabled ?? project.enabled,
    };
    await storeOrConflict(() => this.projects.update(next), 'project', next.name, next.domainId);
    return next;
  }

  async deleteProject(caller: Principal, id: string): Promise<void> {
    const project = await this.lookups.project(id);
    guard(this.deps, caller, 'delete_project', { domain_id: project.domainId, project_id: id });
    if ((await this.projects.list({ parentId: id })).length > 0) throw notALeaf(id);
    const { stores } = this.deps;
    if (!(await this.projects.delete(id))) throw notFound(`Could not find project: ${id}.`);
    await stores.grants.removeWhere({ targetType: 'project', targetId: id });
  }

  /** Domain and parent of a new project; `parent_id` may name a domain (top-level project). */
  private async placement(caller: Principal, input: ProjectInput): Promise<{ domainId: string; parentId: string | null }> {
    const wantedDomain = input.domainId ?? undefined;
    if (input.parentId) {
      const parent = await this.projects.get(input.parentId);
      if (!parent) {
        const domain = await this.domains.get(input.parentId);
        if (!domain) throw notFound(`Could not find project: ${input.parentId}.`);
        if (wantedDomain !== undefined && wantedDomain !== domain.id) throw parentElsewhere(input.parentId);
        return { domainId: domain.id, parentId: null };
      }
      if (wantedDomain !== undefined && wantedDomain !== parent.domainId) throw parentElsewhere(input.parentId);
      return { domainId: parent.domainId, parentId: parent.id };
    }
    const domainId = wantedDomain ?? (caller.scope.type === 'domain' ? caller.scope.id! : 'default');
    await this.lookups.domain(domainId);
    return { domainId, parentId: null };
  }
}

const parentElsewhere = (parentId: string) =>
  badRequest(
    `Cannot create project, the parent (${parentId}) is not in the same domain as the project being created.`,
  );
