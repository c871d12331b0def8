/**
 * Request bodies of the Keystone family, as zod schemas mirroring Keystone's JSON schemas
 * (keystone/assignment/schema.py and the directory schemas): the runtime check, the type and the
 * OpenAPI entry in one place.
 */
import { z } from 'zod';

/** 1..max chars with at least one non-space character (Keystone's `[\S]+`). */
const name = (max: number) => z.string().min(1).max(max).regex(/\S/, 'must contain a non-whitespace character');
const id64 = z.string().min(1).max(64).regex(/^[a-zA-Z0-9-]+$/, 'must match ^[a-zA-Z0-9-]+$');
const roleOptions = z.object({ immutable: z.boolean().nullable().optional() }).strict();

const roleFields = {
  description: z.string().nullable().optional(),
  domain_id: id64.nullable().optional(),
  options: roleOptions.optional(),
};

/** Top-level keys other than `role` are refused (docs/compatibility.md §1.3); extra role attributes are kept. */
export const roleCreateBody = z
  .object({ role: z.object({ name: name(255), ...roleFields }).loose() })
  .strict();

export const roleUpdateBody = z
  .object({
    role: z
      .object({ id: z.string().optional(), name: name(255).optional(), ...roleFields })
      .loose()
      .refine((r) => Object.keys(r).length >= 1, 'role must have at least 1 property'),
  })
  .strict();

/** Keys of a role body that are not stored as extra attributes. */
export const ROLE_FIELDS = new Set(['id', 'name', 'description', 'domain_id', 'options', 'links']);

/** Keystone's `max_password_length` (4096); the value is hashed, never stored or returned. */
const password = z.string().max(4096);

export const userCreateBody = z
  .object({
    user: z
      .object({
        name: name(255),
        domain_id: id64.optional(),
        enabled: z.boolean().optional(),
        email: z.string().nullable().optional(),
        description: z.string().nullable().optional(),
        password: password.nullable().optional(),
        default_project_id: id64.nullable().optional(),
      })
      .loose(),
  })
  .strict();

/** Keys of a user body that are not kept as extra attributes. */
export const USER_FIELDS = new Set([
  'id',
  'name',
  'domain_id',
  'enabled',
  'email',
  'description',
  'password',
  'default_project_id',
  'options',
  'links',
  'password_expires_at',
]);

export const userUpdateBody = z
  .object({
    user: z
      .object({
        name: name(255).optional(),
        enabled: z.boolean().optional(),
        email: z.string().nullable().optional(),
        description: z.string().nullable().optional(),
        password: password.nullable().optional(),
        default_project_id: id64.nullable().optional(),
      })
      .loose(),
  })
  .strict();

/** `POST /v3/users/{user_id}/password` (keystone/identity/schema.py `password_change`). */
export const passwordChangeBody = z
  .object({ user: z.object({ password, original_password: password }).loose() })
  .strict();

export const groupCreateBody = z
  .object({
    group: z.object({ name: name(64), domain_id: id64.optional(), description: z.string().nullable().optional() }).loose(),
  })
  .strict();

export const groupUpdateBody = z
  .object({
    group: z.object({ name: name(64).optional(), description: z.string().nullable().optional() }).loose(),
  })
  .strict();

export const projectCreateBody = z
  .object({
    project: z
      .object({
        name: name(64),
        domain_id: id64.nullable().optional(),
        parent_id: z.string().min(1).max(64).nullable().optional(),
        description: z.string().nullable().optional(),
        enabled: z.boolean().optional(),
        is_domain: z.boolean().optional(),
        tags: z.array(z.string()).optional(),
      })
      .loose(),
  })
  .strict();

export const projectUpdateBody = z
  .object({
    project: z
      .object({
        name: name(64).optional(),
        domain_id: z.string().nullable().optional(),
        parent_id: z.string().nullable().optional(),
        description: z.string().nullable().optional(),
        enabled: z.boolean().optional(),
        tags: z.array(z.string()).optional(),
      })
      .loose(),
  })
  .strict();

/** `PUT /v3/projects/{id}/tags`. */
export const projectTagsBody = z.object({ tags: z.array(z.string()) }).loose();

export const domainCreateBody = z
  .object({
    domain: z
      .object({ name: name(64), description: z.string().nullable().optional(), enabled: z.boolean().optional() })
      .loose(),
  })
  .strict();

export const domainUpdateBody = z
  .object({
    domain: z
      .object({ name: name(64).optional(), description: z.string().nullable().optional(), enabled: z.boolean().optional() })
      .loose(),
  })
  .strict();
