/**
 * The directory (docs/compatibility.md §8.1): domains, projects (a tree under a domain), users, groups and
 * group membership. Ids are caller- or service-chosen strings; names are unique per domain.
 */
export interface Domain {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  /** null for a top-level project of its domain. */
  readonly parentId: string | null;
  readonly description: string;
  readonly enabled: boolean;
  /** Keystone project tags (unique strings); absent means none. */
  readonly tags?: readonly string[];
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly enabled: boolean;
  readonly email?: string | null;
  readonly description?: string | null;
  /** The project a token is scoped to when the login names no scope (if the user has roles there). */
  readonly defaultProjectId?: string | null;
  /** Attributes Keystone keeps as given (any key the body had besides the known ones). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface Group {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly description: string;
}

export interface EntityStore<T extends { id: string }, F> {
  /** Throws DuplicateError on an existing id or (name, domain). */
  create(entity: T): Promise<T>;
  get(id: string): Promise<T | undefined>;
  /**
   * The same answer synchronously, from a store that holds its records in memory: the record
   * itself, read-only (the store replaces records, never edits them), so nothing is copied.
   * Optional, like ResourceStore.getSync: callers fall back to `get`.
   */
  getSync?(id: string): T | undefined;
  list(filter?: F): Promise<T[]>;
  /** Replaces the stored entity; undefined when it does not exist. Throws DuplicateError on name clash. */
  update(entity: T): Promise<T | undefined>;
  delete(id: string): Promise<boolean>;
}

export interface DomainFilter {
  readonly name?: string;
  readonly enabled?: boolean;
}
export interface ProjectFilter {
  readonly name?: string;
  readonly domainId?: string;
  readonly parentId?: string;
  readonly enabled?: boolean;
  /** Keystone's tag filters: `tags` (all of), `tags-any`, `not-tags` (not all of), `not-tags-any` (none of). */
  readonly tags?: TagFilter;
}
export interface TagFilter {
  readonly all?: readonly string[];
  readonly any?: readonly string[];
  readonly notAll?: readonly string[];
  readonly notAny?: readonly string[];
}
export interface UserFilter {
  readonly name?: string;
  readonly domainId?: string;
  readonly enabled?: boolean;
}
export interface GroupFilter {
  readonly name?: string;
  readonly domainId?: string;
}

export interface MembershipStore {
  /** Idempotent. */
  add(groupId: string, userId: string): Promise<void>;
  remove(groupId: string, userId: string): Promise<boolean>;
  has(groupId: string, userId: string): Promise<boolean>;
  groupsOf(userId: string): Promise<string[]>;
  usersOf(groupId: string): Promise<string[]>;
  /** Every membership (for building the role graph). */
  all(): Promise<{ groupId: string; userId: string }[]>;
  removeUser(userId: string): Promise<void>;
  removeGroup(groupId: string): Promise<void>;
}

export interface DirectoryStore {
  readonly domains: EntityStore<Domain, DomainFilter>;
  readonly projects: EntityStore<Project, ProjectFilter>;
  readonly users: EntityStore<User, UserFilter>;
  readonly groups: EntityStore<Group, GroupFilter>;
  readonly memberships: MembershipStore;
}
