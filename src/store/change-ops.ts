/**
 * What a write changed, as after-images: the value a record has once the write is done, or null
 * when it is gone. A replica applies these to its in-memory read model (role graph, mirrors of
 * what decisions read) instead of re-reading the database. Applying the after-images of one
 * record's writes in the order the database took them leaves the same value the database holds,
 * so applying them twice, or after a snapshot that already holds them, is harmless.
 *
 * Every write also names its *keys*: the records it may touch. Two writes that share a key are
 * ordered by the change feed (the later waits for the earlier to finish), so their after-images
 * arrive in the database's own order (see docs/architecture.md, "Several replicas").
 */
import type { Project, User } from './directory-store.js';
import type { CdnLock, ManilaLock, RouteLock } from './lock-stores.js';
import type { RegisteredResource } from './resource-store.js';
import type { Grant, Inference, Role } from './role-store.js';

export type ChangeOp =
  | { readonly kind: 'role'; readonly id: string; readonly value: Role | null }
  | { readonly kind: 'project'; readonly id: string; readonly value: Project | null }
  | { readonly kind: 'user'; readonly id: string; readonly value: User | null }
  | { readonly kind: 'membership'; readonly groupId: string; readonly userId: string; readonly present: boolean }
  | { readonly kind: 'grant'; readonly grant: Grant; readonly present: boolean }
  /** The whole implied-role rule set after the write (it is small, and kept as one set). */
  | { readonly kind: 'inferences'; readonly rules: readonly Inference[] }
  | { readonly kind: 'resource'; readonly type: string; readonly id: string; readonly value: RegisteredResource | null }
  | { readonly kind: 'manilaLock'; readonly id: string; readonly value: ManilaLock | null }
  | { readonly kind: 'cdnLock'; readonly cdn: string; readonly value: CdnLock | null }
  | { readonly kind: 'routeLock'; readonly route: string; readonly resourceId: string; readonly value: RouteLock | null }
  /** Stored policy rows changed: the engine reloads them. */
  | { readonly kind: 'policyRules' }
  /** Records changed outside the feed (a bulk load) or a write's outcome is unknown: reload everything. */
  | { readonly kind: 'reload' };

const key = (...parts: readonly string[]) => parts.join('\u0000');

/** The keys writes declare, one per record (the implied-role set and the stored rows are one record each). */
export const keys = {
  role: (id: string) => key('role', id),
  project: (id: string) => key('project', id),
  user: (id: string) => key('user', id),
  membership: (groupId: string, userId: string) => key('member', groupId, userId),
  grant: (g: Grant) => key('grant', g.actorType, g.actorId, g.targetType, g.targetId, g.roleId, String(g.inherited)),
  inferences: () => 'inferences',
  resource: (type: string, id: string) => key('resource', type, id),
  manilaLock: (id: string) => key('manila', id),
  cdnLock: (cdn: string) => key('cdn', cdn),
  routeLock: (route: string, resourceId: string) => key('route', route, resourceId),
  policyRules: () => 'policy-rules',
  /** Declared by bulk loads: shared with no other write. */
  everything: () => 'everything',
} as const;
