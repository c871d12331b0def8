/**
 * Wire shape of a Manila resource lock (docs/compatibility.md §2.2): snake_case fields, naive-UTC timestamps with
 * microseconds (§2.1), and self/bookmark links built as upstream does (prefix + optional
 * project-id segment + `resource-locks` + id; §7 M-5 uses the real route name).
 */
import type { ManilaLock } from '../../store/lock-stores.js';

/** Where links point: `<origin-or-publicUrl><prefix>` and the project segment, if the path had one. */
export interface LinkBase {
  /** e.g. `http://127.0.0.1:8080/share/v2` */
  readonly versioned: string;
  /** e.g. `http://127.0.0.1:8080/share` */
  readonly bookmark: string;
  /** `/<project_id>` when the request used the project-id form, else ''. */
  readonly projectSegment: string;
}

export function linkBase(root: string, prefix: string, projectId: string | undefined): LinkBase {
  return {
    versioned: `${root}${prefix}`,
    bookmark: `${root}${prefix.replace(/\/v2$/, '')}`,
    projectSegment: projectId ? `/${encodeURIComponent(projectId)}` : '',
  };
}

/** `2023-07-17T22:11:48.144Z` → `2023-07-17T22:11:48.144000` (naive UTC, microseconds). */
export function manilaTime(iso: string | null): string | null {
  if (iso === null) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return `${d.toISOString().slice(0, 19)}.${fraction.padEnd(6, '0').slice(0, 6)}`;
}

export function renderLock(lock: ManilaLock, base: LinkBase) {
  const path = `${base.projectSegment}/resource-locks/${lock.id}`;
  return {
    id: lock.id,
    user_id: lock.userId,
    project_id: lock.projectId,
    lock_context: lock.lockContext,
    resource_type: lock.resourceType,
    resource_id: lock.resourceId,
    resource_action: lock.resourceAction,
    lock_reason: lock.lockReason,
    created_at: manilaTime(lock.createdAt),
    updated_at: manilaTime(lock.updatedAt),
    links: selfAndBookmark(base, path),
  };
}

/** Upstream's `links` of any resource: the versioned self URL and the unversioned bookmark. */
export function selfAndBookmark(base: LinkBase, path: string) {
  return [
    { rel: 'self', href: `${base.versioned}${path}` },
    { rel: 'bookmark', href: `${base.bookmark}${path}` },
  ];
}
