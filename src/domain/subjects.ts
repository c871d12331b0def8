/**
 * Subjects in the app's own ids. An AuthZEN `subject` (and a JWT `sub`) names a directory user by
 * its id, or by the name the app knows it by:
 *   1. a user whose id is the subject id;
 *   2. else the user with that name in the domain `subject.properties.domain_id` names, or in the
 *      configured default domain (PORTCULLIS_SUBJECT_DOMAIN; `*`, the default, means every
 *      domain: a name held in two domains is ambiguous and refused with 400);
 *   3. else nobody: the subject is still decided, with no roles (rows for `*`, `user:<id>`,
 *      ownership and conditions apply, compared with the id as sent).
 * Only the configured subject types (PORTCULLIS_SUBJECT_TYPES, default `user,identity`) name
 * users; any other type is refused with 400 by evaluations and matches nobody in searches.
 *
 * The lookups go through UserLookup, so a read model kept in memory can serve them; the default
 * one asks the directory store (one `users.get`, or `getSync` where it holds users in memory, and a
 * `users.list({name})` when that misses).
 */
import type { SubjectFacts } from '../engine/engine.js';
import { badRequest } from '../errors.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { DirectoryStore, User } from '../store/directory-store.js';

export interface SubjectRef {
  readonly type: string;
  readonly id: string;
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** A subject as the engine takes it: the facts conditions see, and whose roles count. */
export interface ResolvedSubject extends SubjectFacts {
  /** The directory user id; the id as sent when the subject is not a directory user. */
  readonly userId: string;
}

/** The two reads subject resolution needs; served by the directory store or a read model. */
export interface UserLookup {
  /** Answered at once (no async turn) by a lookup that holds the users in memory. */
  user(id: string): MaybePromise<User | undefined>;
  /** Users with this name, in one domain or (domainId undefined) in every domain. */
  usersNamed(name: string, domainId: string | undefined): Promise<User[]>;
}

export function directoryLookup(directory: DirectoryStore): UserLookup {
  const { users } = directory;
  // A store in memory (the memory store, a replica's mirror) hands out its read-only record:
  // resolving a subject copies nothing (a copy of a user costs about as much as the lookup). Looked up once:
  // each read of a method through a store wrapper is a proxy trap.
  const held = users.getSync?.bind(users);
  return {
    user: held ?? ((id) => users.get(id)),
    usersNamed: (name, domainId) => users.list(domainId === undefined ? { name } : { name, domainId }),
  };
}

export interface SubjectSettings {
  readonly types: readonly string[];
  /** A domain id, or `*` for every domain. */
  readonly domain: string;
}

export class Subjects {
  /** Subjects named by a user's id, one per user record (see resolved()). */
  private readonly plain = new WeakMap<User, ResolvedSubject>();

  constructor(
    private readonly users: UserLookup,
    private readonly settings: SubjectSettings,
  ) {}

  /** Does this subject type name directory users? */
  knows(type: string): boolean {
    // A loop, not `includes` (a builtin call): every evaluation asks this for its subject's type.
    const types = this.settings.types;
    for (let i = 0; i < types.length; i++) if (types[i] === type) return true;
    return false;
  }

  /** Throws 400 for a subject type that names nobody. */
  requireKnownType(type: string): void {
    if (!this.knows(type)) {
      throw badRequest(`subject type '${type}' is not known; use one of: ${this.settings.types.join(', ')}`);
    }
  }

  /**
   * Resolves a subject the app named (see the module comment); throws 400 when it is ambiguous.
   * A user found by id in memory is resolved at once, without a promise.
   */
  resolve(ref: SubjectRef): MaybePromise<ResolvedSubject> {
    return this.resolveWith(ref, this.findUser);
  }

  /** find(), bound once: resolve() runs on every evaluation, and made no closure per call. */
  private readonly findUser = (id: string, domainId: string | undefined) => this.find(id, domainId);

  /**
   * A resolve() for one request (a batch of evaluations): each (id, domain) is looked up once,
   * however many items name it.
   */
  forRequest(): (ref: SubjectRef) => MaybePromise<ResolvedSubject> {
    const seen = new Map<string, MaybePromise<User | undefined>>();
    const find = (id: string, domainId: string | undefined) => {
      const key = `${id}\u0000${domainId ?? '*'}`;
      let found = seen.get(key);
      if (!found) seen.set(key, (found = this.find(id, domainId)));
      return found;
    };
    return (ref) => this.resolveWith(ref, find);
  }

  private resolveWith(
    ref: SubjectRef,
    find: (id: string, domainId: string | undefined) => MaybePromise<User | undefined>,
  ): MaybePromise<ResolvedSubject> {
    this.requireKnownType(ref.type);
    const user = find(ref.id, this.domainFor(ref.properties));
    return user instanceof Promise ? user.then((u) => this.resolved(ref, u)) : this.resolved(ref, user);
  }

  /**
   * The directory user id a JWT `sub` names (by id, else by name in the default domain), the
   * `sub` itself for a user the directory does not know, or undefined when it is ambiguous.
   */
  async userIdForToken(sub: string): Promise<string | undefined> {
    try {
      return (await this.find(sub, this.domainFor(undefined)))?.id ?? sub;
    } catch {
      return undefined;
    }
  }

  /**
   * The id an app knows each user by, for search answers: the user's name when that name resolves
   * back to the same user (in the domain the request names, or the default), else its id.
   */
  async appIds(userIds: readonly string[], properties?: Readonly<Record<string, unknown>>): Promise<string[]> {
    const domain = this.domainFor(properties);
    return Promise.all(
      userIds.map(async (id) => {
        const user = await this.users.user(id);
        if (!user) return id;
        try {
          return (await this.find(user.name, domain))?.id === id ? user.name : id;
        } catch {
          return id; // the name is ambiguous: only the id names this user
        }
      }),
    );
  }

  /**
   * The resolved subject. A user named by its id, without properties (most requests), gets one
   * frozen object per user record and type, kept as long as the record: the decision log keeps
   * the subject of every decision, and one made per request would outlive the young generation
   * and be copied and promoted (docs/performance-history.md, "Decision log cost").
   */
  private resolved(ref: SubjectRef, user: User | undefined): ResolvedSubject {
    if (user === undefined || ref.properties !== undefined || ref.id !== user.id) return resolvedSubject(ref.type, ref.id, ref.properties, user);
    const kept = this.plain.get(user);
    if (kept?.type === ref.type) return kept;
    // The configured type's own string (long-lived, where ref.type was read from this request).
    const type = this.settings.types.find((t) => t === ref.type) ?? ref.type;
    const subject = resolvedSubject(type, user.id, undefined, user);
    Object.freeze(subject.user);
    Object.freeze(subject);
    this.plain.set(user, subject);
    return subject;
  }

  private domainFor(properties: Readonly<Record<string, unknown>> | undefined): string | undefined {
    const asked = properties?.domain_id;
    if (asked !== undefined) {
      if (typeof asked !== 'string' || asked.length === 0) throw badRequest("subject.properties.domain_id must be a non-empty string");
      return asked;
    }
    return this.settings.domain === '*' ? undefined : this.settings.domain;
  }

  private find(id: string, domainId: string | undefined): MaybePromise<User | undefined> {
    const byId = this.users.user(id);
    if (byId instanceof Promise) return byId.then((user) => user ?? this.findNamed(id, domainId));
    return byId ?? this.findNamed(id, domainId);
  }

  /** The user with this name (see the module comment), when no user has it as id. */
  private async findNamed(id: string, domainId: string | undefined): Promise<User | undefined> {
    const named = await this.users.usersNamed(id, domainId);
    if (named.length > 1) {
      throw badRequest(
        `subject '${id}' names users in ${named.length} domains (${named.map((u) => u.domainId).join(', ')}); ` +
          'give subject.properties.domain_id',
      );
    }
    return named[0];
  }
}

/** The subject as the engine takes it. Every field present (undefined when absent): one object shape on the decision path. */
function resolvedSubject(type: string, id: string, properties: SubjectRef['properties'], user: User | undefined): ResolvedSubject {
  return {
    type,
    id,
    properties,
    user: user ? { id: user.id, name: user.name, domainId: user.domainId, email: user.email ?? null } : undefined,
    userId: user?.id ?? id,
  };
}
