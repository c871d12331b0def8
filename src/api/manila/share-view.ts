/**
 * Wire shape of a Manila share (upstream `manila/api/views/shares.py`): the summary view
 * (`id`, `name`, `links`) and the detail view with the fields each microversion adds or removes.
 * A registered share carries what Portcullis knows (id, project, owner as `user_id`, status,
 * created_at); every other field is read from the registry attribute of the same name (`name`,
 * `description`, `size`, `share_proto`, `metadata`, `is_public`, `is_soft_deleted`, ...) or takes
 * the default below. `host` and `share_server_id` (admin-only upstream) are not served.
 */
import type { RegisteredResource } from '../../store/resource-store.js';
import { compareVersions, parseVersion, type Microversion } from './microversion.js';
import { manilaTime, selfAndBookmark, type LinkBase } from './lock-view.js';

type Value = unknown;

interface FieldSpec {
  readonly name: string;
  /** First microversion that shows the field (inclusive), and the last (inclusive). */
  readonly since?: string;
  readonly until?: string;
  /** The value when the registry has no attribute of that name. */
  readonly fallback?: Value;
  /** Fields Portcullis holds itself rather than in attributes. */
  readonly from?: (r: RegisteredResource) => Value;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'id', from: (r) => r.id },
  { name: 'size' },
  { name: 'availability_zone' },
  { name: 'created_at', from: (r) => manilaTime(r.createdAt) },
  { name: 'status', from: (r) => r.status },
  { name: 'name' },
  { name: 'description' },
  { name: 'project_id', from: (r) => r.projectId },
  { name: 'snapshot_id' },
  { name: 'share_network_id' },
  { name: 'share_proto' },
  { name: 'metadata', fallback: {} },
  { name: 'share_type' },
  { name: 'volume_type', from: (r) => r.attributes.volume_type ?? r.attributes.share_type ?? null },
  { name: 'is_public', fallback: false },
  { name: 'export_location', until: '2.8' },
  { name: 'export_locations', until: '2.8', fallback: [] },
  { name: 'snapshot_support', since: '2.2' },
  { name: 'consistency_group_id', since: '2.4', until: '2.30' },
  { name: 'source_cgsnapshot_member_id', since: '2.4', until: '2.30' },
  { name: 'task_state', since: '2.5' },
  { name: 'share_type_name', since: '2.6' },
  { name: 'access_rules_status', since: '2.10', fallback: 'active' },
  { name: 'replication_type', since: '2.11' },
  { name: 'has_replicas', since: '2.11', fallback: false },
  { name: 'user_id', since: '2.16', from: (r) => r.owner },
  { name: 'create_share_from_snapshot_support', since: '2.24' },
  { name: 'revert_to_snapshot_support', since: '2.27' },
  { name: 'share_group_id', since: '2.31' },
  { name: 'source_share_group_snapshot_member_id', since: '2.31' },
  { name: 'mount_snapshot_support', since: '2.32' },
  { name: 'progress', since: '2.54' },
  { name: 'is_soft_deleted', since: '2.69', fallback: false },
  { name: 'scheduled_to_be_deleted_at', since: '2.69' },
  { name: 'source_backup_id', since: '2.80' },
];

const parsed = FIELDS.map((f) => ({
  ...f,
  sinceV: f.since ? parseVersion(f.since)! : undefined,
  untilV: f.until ? parseVersion(f.until)! : undefined,
}));

/** The registry attributes a share's detail view reads (documented in the OpenAPI description). */
export const SHARE_ATTRIBUTE_FIELDS = FIELDS.filter((f) => !f.from).map((f) => f.name);

function sharePath(base: LinkBase, id: string): string {
  return `${base.projectSegment}/shares/${id}`;
}

export function shareSummary(r: RegisteredResource, base: LinkBase) {
  return { id: r.id, name: r.attributes.name ?? null, links: selfAndBookmark(base, sharePath(base, r.id)) };
}

export function shareDetail(r: RegisteredResource, base: LinkBase, version: Microversion): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f of parsed) {
    if (f.sinceV && compareVersions(version, f.sinceV) < 0) continue;
    if (f.untilV && compareVersions(version, f.untilV) > 0) continue;
    out[f.name] = f.from ? f.from(r) : (r.attributes[f.name] ?? f.fallback ?? null);
  }
  out.links = selfAndBookmark(base, sharePath(base, r.id));
  return out;
}
