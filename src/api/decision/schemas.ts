/** zod schemas for the Portcullis family: AuthZEN 1.0 requests, registry and policy bodies. */
import { z } from 'zod';
import { parseWith } from '../shared/validation.js';

const properties = z.record(z.string(), z.unknown());
const entityType = z.string().min(1).max(255);
/** A string; a number (the search interop sends `"id": 101`) is read as its decimal string. */
const entityId = z.union([z.string().min(1).max(1024), z.number()]);

/**
 * Subjects and resources. Fields beside type, id and properties (where pre-1.0 drafts of the
 * interop put attributes, e.g. `resource.ownerID`) are read as properties.
 */
export const entitySchema = z.looseObject({ type: entityType, id: entityId, properties: properties.optional() });
export const actionSchema = z.looseObject({ name: z.string().min(1).max(255), properties: properties.optional() });

export const evaluationSchema = z.object({
  subject: entitySchema,
  action: actionSchema,
  resource: entitySchema,
  context: properties.optional(),
});

export type EvaluationBody = z.output<typeof evaluationSchema>;

/**
 * evaluationSchema's parse, answered without zod for the body nearly every client sends: plain
 * JSON objects with exactly `subject: {type, id}`, `action: {name}` and `resource: {type, id}`,
 * every value a string within the schema's lengths. For that body zod's output is the body's own
 * structure, so the body is returned as it is; anything else (properties, context, a numeric id,
 * one more field, a wrong value) is parsed by zod, which gives the output or the 400's message.
 * Why: zod's parse cost ~5-7k instructions and ~140 first-level instruction-cache misses a single
 * evaluation (callgrind at M), a fifth to a quarter of what an evaluation added to the no-op, V8's
 * compiler and collector left out. That the shortcut accepts nothing zod would not, and returns
 * what zod would, is a property test (test/api/decision/evaluation-body.property.test.ts).
 */
export function parseEvaluation(input: unknown): EvaluationBody {
  return plainEvaluation(input) ?? parseWith(evaluationSchema, input);
}

/** The plain body parseEvaluation answers without zod: every entity exactly its string fields. */
export interface PlainEvaluationBody {
  readonly subject: { readonly type: string; readonly id: string };
  readonly action: { readonly name: string };
  readonly resource: { readonly type: string; readonly id: string };
}

/** The body as it is when it has that plain shape (zod's output for it), else undefined. */
export function plainEvaluation(input: unknown): (EvaluationBody & PlainEvaluationBody) | undefined {
  if (!isPlainObject(input) || !hasOnly(input, 3, 'subject', 'action', 'resource')) return undefined;
  const { subject, action, resource } = input;
  return plainEntity(subject) && plainEntity(resource) && isPlainObject(action) && hasOnly(action, 1, 'name') && within(action.name, 255)
    ? (input as unknown as EvaluationBody & PlainEvaluationBody)
    : undefined;
}

function plainEntity(e: unknown): boolean {
  return isPlainObject(e) && hasOnly(e, 2, 'type', 'id') && within(e.type, 255) && within(e.id, 1024);
}

/**
 * An object zod's object schemas take as it is. Bodies are parsed JSON, whose objects are plain or
 * arrays; an array has index keys, which `hasOnly` refuses, but it is ruled out here first.
 * Not Object.getPrototypeOf: over the four shapes of an evaluation's objects its call site turns
 * megamorphic, and V8 then asks its runtime, ~90 instructions a call (callgrind).
 */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Are o's enumerable keys exactly `count` of a, b, c (all present, none else)? */
function hasOnly(o: object, count: number, a: string, b?: string, c?: string): boolean {
  let n = 0;
  for (const k in o) {
    if (k !== a && k !== b && k !== c) return false;
    n++;
  }
  return n === count;
}

function within(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= max;
}

export const SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;

/** In a batch, an entity may leave out type or id: the top-level one's fill in (AuthZEN 1.0 §7.1). */
const partialEntity = entitySchema.partial({ type: true, id: true });
const partialAction = actionSchema.partial({ name: true });

export const evaluationsSchema = z.object({
  subject: partialEntity.optional(),
  action: partialAction.optional(),
  resource: partialEntity.optional(),
  context: properties.optional(),
  evaluations: z
    .array(
      z.object({
        subject: partialEntity.optional(),
        action: partialAction.optional(),
        resource: partialEntity.optional(),
        context: properties.optional(),
      }),
    )
    .max(1000)
    .optional(),
  options: z
    .looseObject({
      evaluations_semantic: z.enum(SEMANTICS).optional(),
      /** Portcullis: put the explanation in each item's context (off: items carry the decision only). */
      explain: z.boolean().optional(),
    })
    .optional(),
});

export const pageSchema = z
  .object({ token: z.string().max(4096).optional(), limit: z.number().int().min(1).max(1000).optional() })
  .optional();

export const subjectSearchSchema = z.object({
  subject: z.looseObject({ type: entityType, properties: properties.optional() }),
  action: actionSchema,
  resource: entitySchema,
  context: properties.optional(),
  page: pageSchema,
});

export const resourceSearchSchema = z.object({
  subject: entitySchema,
  action: actionSchema,
  resource: z.looseObject({ type: entityType, properties: properties.optional() }),
  context: properties.optional(),
  page: pageSchema,
});

export const actionSearchSchema = z.object({
  subject: entitySchema,
  resource: entitySchema,
  context: properties.optional(),
  page: pageSchema,
});

export const decisionSchema = z.object({ decision: z.boolean(), context: properties.optional() });
export const evaluationsResponseSchema = z.object({ evaluations: z.array(decisionSchema) });
const searchPage = z.object({ next_token: z.string(), count: z.number().optional() }).optional();
export const subjectSearchResponseSchema = z.object({
  results: z.array(z.object({ type: z.string(), id: z.string() })),
  page: searchPage,
});
export const actionSearchResponseSchema = z.object({ results: z.array(z.object({ name: z.string() })), page: searchPage });

const id = z.string().min(1).max(255);
export const resourceBodySchema = z.strictObject({
  project_id: id.nullable().optional(),
  domain_id: id.nullable().optional(),
  owner: id.nullable().optional(),
  group: id.nullable().optional(),
  status: z.string().max(255).nullable().optional(),
  attributes: properties.optional(),
});

export const resourceListQuerySchema = z.object({
  type: z.string().optional(),
  project_id: z.string().optional(),
  domain_id: z.string().optional(),
  owner: z.string().optional(),
  group: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  page_token: z.string().optional(),
});

/** Four values; a `p` row may add its condition as a fifth (checked when the row is loaded). */
export const ruleBodySchema = z.strictObject({
  ptype: z.enum(['p', 'p2', 'p3']),
  values: z.array(z.string().min(1).max(2048)).min(4).max(5),
});

const permissionName = z.string().regex(/^[\w.:*-]{1,128}$/, 'a permission name, e.g. policy:write');
/** GET /v1/me: the permissions to answer for (repeat the parameter for several). */
export const meQuerySchema = z.strictObject({
  permission: z.union([permissionName, z.array(permissionName).max(50)]).optional().describe('a permission to check, e.g. policy:write; repeat for several (at most 50)'),
});

export const meSchema = z.object({
  user: z.object({ id: z.string(), name: z.string().nullable(), domain_id: z.string().nullable() }),
  scope: z.object({
    type: z.enum(['system', 'domain', 'project', 'unscoped']),
    id: z.string().optional(),
    name: z.string().optional(),
    domain_id: z.string().optional(),
  }),
  via: z.enum(['admin-token', 'jwt', 'token', 'password']),
  roles: z.array(z.string()).describe('global roles held in the scope, implied ones included'),
  permissions: z.record(z.string(), z.boolean()).describe('each permission asked for: held within the caller\'s own scope'),
});

/** GET /v1/locks: exact filters. */
export const lockListQuerySchema = z.strictObject({
  family: z.enum(['manila', 'cdn', 'route']).optional().describe('manila: Manila resource locks; cdn: Traffic Ops cdn_locks; route: /admin/lock'),
  resource_type: z.string().min(1).max(255).optional(),
  resource_id: z.string().min(1).max(255).optional(),
  holder: z.string().min(1).max(255).optional().describe('the holder\'s user id'),
});

export const lockListSchema = z.object({
  locks: z.array(
    z.object({
      id: z.string().describe('as decisions cite it in context.locks: the Manila lock id, cdn_lock:<cdn>, route:<route>:<id>'),
      family: z.enum(['manila', 'cdn', 'route']),
      kind: z.string().describe('manila:<resource_action>, cdn:soft, cdn:hard or route (what p3 rows name)'),
      resource: z.object({ type: z.string(), id: z.string() }),
      holder: z.object({ id: z.string(), name: z.string().nullable() }),
      reason: z.string().nullable(),
      created_at: z.string(),
      updated_at: z.string().nullable(),
      releasable: z.boolean().describe("whether the caller may release it through its family's API"),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});

const filter = z.string().min(1).max(1024).optional();
/** GET /v1/decisions: every filter is exact; unknown parameters are refused (a typo would match all). */
export const decisionListQuerySchema = z.strictObject({
  subject: filter,
  action: filter,
  resource_type: filter,
  resource_id: filter,
  decision: z.enum(['allow', 'deny']).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('ISO 8601 date-time: decisions made at or after it'),
  kind: z.enum(['resource', 'permission']).optional().describe('resource: AuthZEN decisions; permission: API permission checks'),
  request_id: filter,
  shadow: z.enum(['agree', 'disagree']).optional().describe("the shadow policy's answer was the same / different"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  page_token: z.string().max(512).optional(),
});

const entity = z.object({ type: z.string(), id: z.string(), properties: properties.optional() });
const citation = z.object({ source: z.string(), rule: z.array(z.string()) });
const answer = z.object({ decision: z.enum(['allow', 'deny']), reason: z.string(), policy: citation.nullable() });

export const decisionRecordSchema = z.object({
  id: z.string().describe('the decision id (UUIDv7), as returned in context.decision_id'),
  at: z.string(),
  request_id: z.string().nullable(),
  kind: z.enum(['resource', 'permission']),
  subject: entity,
  action: z.object({ name: z.string(), properties: properties.optional() }),
  resource: entity,
  context: properties.optional(),
  decision: z.enum(['allow', 'deny']),
  reason: z.string(),
  policy: citation.nullable(),
  role_path: z.string().optional(),
  relations: z.array(z.string()),
  locks: z.array(z.object({ id: z.string(), kind: z.string(), holder: z.string(), policy: citation })),
  scope: z.string(),
  shadow: answer.extend({ agrees: z.boolean() }).optional(),
});

export const decisionListSchema = z.object({ decisions: z.array(decisionRecordSchema), next_token: z.string().nullable() });

/** POST /v1/policy/impact: file name → its full new text ("" deletes the file in the draft). */
export const impactBodySchema = z.strictObject({
  files: z
    .record(z.string().min(1).max(255), z.string().max(1_000_000))
    .refine((files) => Object.keys(files).length > 0, { message: 'name at least one policy file' }),
});

const impactAnswer = z.object({ decision: z.enum(['allow', 'deny']), reason: z.string(), policy: citation.nullable() });
export const impactSchema = z.object({
  replayed: z.number().int().describe('decisions in the log, each decided again by the policy in force and by the draft'),
  changed: z.array(
    z.object({
      decision_id: z.string(),
      at: z.string(),
      kind: z.enum(['resource', 'permission']),
      subject: entity,
      action: z.object({ name: z.string(), properties: properties.optional() }),
      resource: entity,
      before: impactAnswer,
      after: impactAnswer,
    }),
  ),
  draft: z.object({ files: z.array(z.string()), rules: z.number().int() }),
});

/** PUT /v1/policy/files/{name}: the file's full new text, and the sha256 of the text the edit started from. */
export const policyFileBodySchema = z.strictObject({
  content: z.string().min(1).max(1_000_000),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'the hex sha256 of the text the edit started from')
    .optional()
    .describe('the sha256 GET /v1/policy/files/{name} answered (for a new file, that of the empty text); when given, a file changed since is refused with 409'),
});

const policyStatus = z.object({
  version: z.number().int(),
  loadedAt: z.string().nullable(),
  files: z.array(z.string()),
  rules: z.number().int(),
  lastError: z.object({ message: z.string(), at: z.string() }).nullable(),
});

export const policyFileListSchema = z.object({
  files: z.array(
    z.object({
      name: z.string(),
      sha256: z.string(),
      bytes: z.number().int(),
      rules: z.number().int().describe('rows of this file in force'),
      error: z.string().nullable().describe('the last reload error, when it was in this file'),
    }),
  ),
});

export const policyFileSchema = z.object({ file: z.object({ name: z.string(), sha256: z.string(), content: z.string() }) });

export const policyFileAppliedSchema = z.object({
  file: z.object({ name: z.string(), sha256: z.string(), bytes: z.number().int(), created: z.boolean() }),
  policy: policyStatus,
});

export const policyCheckSchema = z.object({
  loads: z.boolean().describe('whether the policy directory with these files replaced loads'),
  problems: z.array(z.string()).describe('every file:line: message, in file and line order'),
  files: z.array(z.string()),
  rules: z.number().int().describe('rows the draft holds, stored rules included'),
});
