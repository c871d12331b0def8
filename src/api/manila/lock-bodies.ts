/**
 * Request bodies of POST and PUT /resource-locks (docs/compatibility.md §2.3), as zod schemas whose errors carry
 * Manila's messages: the controller's wording where docs/compatibility.md quotes it, otherwise upstream's
 * jsonschema wording (`Invalid input for field/attribute <f>. Value: <v>. <reason>`). Which
 * types and actions are valid is the domain's call (it knows the lockable set).
 */
import { z } from 'zod';
import { badRequest } from '../../errors.js';
import * as msg from '../../domain/manila/messages.js';

const UUID_LIKE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

/** oslo's is_uuid_like: dashed or 32-hex (Keystone ids qualify). */
export const isUuidLike = (v: string): boolean => UUID_LIKE.test(v);

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const fieldError = (field: string) => (iss: { input?: unknown; message?: string }) =>
  `Invalid input for field/attribute ${field}. Value: ${show(iss.input)}. ${
    iss.input === undefined ? `'${field}' is a required property` : `${show(iss.input)} is not valid`
  }`;

const lockReason = z
  .string({ error: fieldError('lock_reason') })
  .max(1023, { error: msg.LOCK_REASON_TOO_LONG })
  .nullable()
  .optional();
const optionalName = (field: string) => z.string({ error: fieldError(field) }).nullable().optional();

const unexpected = (keys: readonly string[]) =>
  `Additional properties are not allowed (${keys.map((k) => `'${k}'`).join(', ')} ${keys.length > 1 ? 'were' : 'was'} unexpected)`;

export const createLockBody = z.looseObject(
  {
    resource_lock: z.strictObject(
      {
        lock_reason: lockReason,
        resource_type: optionalName('resource_type'),
        resource_action: optionalName('resource_action'),
        resource_id: z.string({ error: msg.RESOURCE_ID_REQUIRED }).regex(UUID_LIKE, { error: msg.RESOURCE_ID_REQUIRED }),
      },
      {
        error: (iss) =>
          iss.code === 'unrecognized_keys'
            ? `Invalid input for field/attribute resource_lock. Value: ${show(iss.input)}. ${unexpected(iss.keys)}`
            : msg.MALFORMED_BODY,
      },
    ),
  },
  { error: msg.MALFORMED_BODY },
);

export const updateLockBody = z.looseObject(
  {
    resource_lock: z.strictObject(
      { resource_action: optionalName('resource_action'), lock_reason: lockReason },
      { error: (iss) => (iss.code === 'unrecognized_keys' ? msg.ONLY_ACTION_AND_REASON : msg.MALFORMED_BODY) },
    ),
  },
  { error: msg.MALFORMED_BODY },
);

/** Parses with Manila's message for the first problem (unexpected keys first, as upstream's schema). */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  throw badRequest(first?.message ?? msg.MALFORMED_BODY);
}
