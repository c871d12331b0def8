/**
 * The export document (`portcullis export` / `import`, GET /v1/export, POST /v1/import): the
 * directory, roles and implied roles, grants, registered resources, the three lock families and
 * the rules stored at run time, as one JSON document with the stores' own records and ids.
 * Credentials (password hashes, issued tokens) are not part of it. The schema checks every
 * record before anything is written, so a bad document is refused whole.
 */
import { z } from 'zod';
import { validateRule } from '../../engine/policy-rule.js';

export const EXPORT_FORMAT = 'portcullis-export';
export const EXPORT_VERSION = 1;

const id = z.string().min(1).max(1024);
const text = z.string().max(65_536);
const when = z.string().max(64);
const attrs = z.record(z.string(), z.unknown());

const domain = z.object({ id, name: id, description: text, enabled: z.boolean() });
const project = z.object({ id, name: id, domainId: id, parentId: id.nullable(), description: text, enabled: z.boolean() });
const user = z.object({
  id,
  name: id,
  domainId: id,
  enabled: z.boolean(),
  email: text.nullable().optional(),
  description: text.nullable().optional(),
});
const group = z.object({ id, name: id, domainId: id, description: text });
const membership = z.object({ groupId: id, userId: id });
const role = z.object({
  id,
  name: id,
  domainId: id.nullable(),
  description: text.nullable(),
  options: z.object({ immutable: z.boolean().optional() }),
  extra: attrs,
});
const inference = z.object({ priorRoleId: id, impliedRoleId: id });
const grant = z.object({
  actorType: z.enum(['user', 'group']),
  actorId: id,
  targetType: z.enum(['project', 'domain', 'system']),
  targetId: id,
  roleId: id,
  inherited: z.boolean(),
});
const resource = z.object({
  type: id,
  id,
  projectId: id.nullable(),
  domainId: id.nullable(),
  owner: id.nullable(),
  group: id.nullable(),
  status: text.nullable(),
  attributes: attrs,
  createdAt: when,
  updatedAt: when,
});
const manilaLock = z.object({
  id,
  userId: id,
  projectId: id,
  lockContext: z.enum(['user', 'admin', 'service']),
  resourceType: id,
  resourceId: id,
  resourceAction: id,
  lockReason: text.nullable(),
  createdAt: when,
  updatedAt: when.nullable(),
});
const cdnLock = z.object({
  cdn: id,
  userId: id,
  userName: id,
  message: text.nullable(),
  soft: z.boolean(),
  sharedUserIds: z.array(id),
  sharedUserNames: z.array(id),
  lastUpdated: when,
});
const routeLock = z.object({ route: id, resourceId: id, userId: id, createdAt: when, updatedAt: when });
// A row's shape is checked here, so a document with a row no reload could read is refused as a
// whole, on every path (through a server, or straight on MongoDB with no engine to ask).
const rule = z
  .object({ ptype: z.enum(['p', 'p2', 'p3']), values: z.array(z.string().min(1).max(2048)).min(1).max(8) })
  .superRefine((r, ctx) => {
    try {
      validateRule(r.ptype, r.values, 'rule');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

const section = <T extends z.ZodType>(item: T) => z.array(item).default([]);

/** Every section may be missing (a partial document: one chunk of an import). */
export const exportDocumentSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exported_at: when.optional(),
  domains: section(domain),
  projects: section(project),
  users: section(user),
  groups: section(group),
  memberships: section(membership),
  roles: section(role),
  implied_roles: section(inference),
  grants: section(grant),
  resources: section(resource),
  manila_locks: section(manilaLock),
  cdn_locks: section(cdnLock),
  route_locks: section(routeLock),
  rules: section(rule),
});

export type ExportDocument = z.output<typeof exportDocumentSchema>;

/** The sections in the order an import writes them (what a record refers to comes first). */
export const SECTIONS = [
  'domains',
  'projects',
  'users',
  'groups',
  'memberships',
  'roles',
  'implied_roles',
  'grants',
  'resources',
  'manila_locks',
  'cdn_locks',
  'route_locks',
  'rules',
] as const satisfies readonly (keyof ExportDocument)[];

export type Section = (typeof SECTIONS)[number];

/** A document with no records. */
export function emptyDocument(): ExportDocument {
  const doc = { format: EXPORT_FORMAT, version: EXPORT_VERSION } as Record<string, unknown>;
  for (const s of SECTIONS) doc[s] = [];
  return doc as ExportDocument;
}
