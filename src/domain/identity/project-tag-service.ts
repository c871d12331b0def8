/**
 * Project tags (Keystone's `/v3/projects/{id}/tags[/{tag}]` and the `tags` attribute): each tag
 * 1..255 characters without `,` or `/`, at most 80 per project, no duplicates (400 otherwise).
 */
import type { Principal } from '../../auth/principal.js';
import { badRequest, notFound } from '../../errors.js';
import type { Project } from '../../store/directory-store.js';
import { guard, Lookups, type IdentityDeps } from './deps.js';

export const MAX_TAGS = 80;

/** Throws Keystone's 400 when a tag list is not acceptable. */
export function checkTags(tags: readonly string[]): void {
  for (const tag of tags) {
    if (tag.length < 1 || tag.length > 255 || /[,/]/.test(tag)) {
      throw badRequest(`Invalid input for field 'tags': '${tag}' must be 1 to 255 characters without ',' or '/'.`);
    }
  }
  if (new Set(tags).size !== tags.length) throw badRequest("Invalid input for field 'tags': tags must be unique.");
  if (tags.length > MAX_TAGS) throw badRequest(`The number of tags is over the limit of ${MAX_TAGS}.`);
}

export class ProjectTagService {
  private readonly lookups: Lookups;

  constructor(private readonly deps: IdentityDeps) {
    this.lookups = new Lookups(deps.stores);
  }

  async list(caller: Principal, projectId: string): Promise<string[]> {
    const project = await this.authorized(caller, projectId, 'list_project_tags');
    return [...(project.tags ?? [])];
  }

  /** Replaces every tag; answers the new list. */
  async replace(caller: Principal, projectId: string, tags: readonly string[]): Promise<string[]> {
    const project = await this.authorized(caller, projectId, 'update_project_tags');
    checkTags(tags);
    await this.save(project, tags);
    return [...tags];
  }

  /** Adds one tag (idempotent). */
  async add(caller: Principal, projectId: string, tag: string): Promise<void> {
    const project = await this.authorized(caller, projectId, 'create_project_tag');
    const tags = project.tags ?? [];
    if (tags.includes(tag)) return;
    checkTags([...tags, tag]);
    await this.save(project, [...tags, tag]);
  }

  /** 404 when the project does not carry the tag. */
  async check(caller: Principal, projectId: string, tag: string): Promise<void> {
    const project = await this.authorized(caller, projectId, 'get_project_tag');
    if (!(project.tags ?? []).includes(tag)) throw tagMissing(tag);
  }

  async remove(caller: Principal, projectId: string, tag: string): Promise<void> {
    const project = await this.authorized(caller, projectId, 'delete_project_tag');
    const tags = project.tags ?? [];
    if (!tags.includes(tag)) throw tagMissing(tag);
    await this.save(project, tags.filter((t) => t !== tag));
  }

  async clear(caller: Principal, projectId: string): Promise<void> {
    const project = await this.authorized(caller, projectId, 'delete_project_tags');
    await this.save(project, []);
  }

  private async authorized(caller: Principal, projectId: string, action: string): Promise<Project> {
    const project = await this.lookups.project(projectId);
    guard(this.deps, caller, action, { domain_id: project.domainId, project_id: project.id });
    return project;
  }

  private async save(project: Project, tags: readonly string[]): Promise<void> {
    const { tags: _old, ...rest } = project;
    const next: Project = tags.length ? { ...rest, tags: [...tags] } : rest;
    if (!(await this.deps.stores.directory.projects.update(next))) throw notFound(`Could not find project: ${project.id}.`);
  }
}

const tagMissing = (tag: string) => notFound(`Could not find project tag: ${tag}.`);
