/**
 * zod schemas for `cdn_locks` requests. Type errors read like upstream's Go decoder
 * (`json: cannot unmarshal number into Go struct field CDNLock.cdn of type string`), since that is
 * the text Traffic Ops clients already know; JSON null leaves a field unset, as in Go.
 */
import { z } from 'zod';

function goType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

const unmarshalInto = (struct: string) => (field: string, type: string) => (issue: { input?: unknown }) =>
  `json: cannot unmarshal ${goType(issue.input)} into Go struct field ${struct}.${field} of type ${type}`;
const unmarshal = unmarshalInto('CDNLock');
const wholeBody = (type: string) => (issue: { input?: unknown }) => `json: cannot unmarshal ${goType(issue.input)} into Go value of type ${type}`;

export const cdnLockBodySchema = z.object(
  {
    cdn: z.string({ error: unmarshal('cdn', 'string') }).nullish(),
    message: z.string({ error: unmarshal('message', 'string') }).nullish(),
    soft: z.boolean({ error: unmarshal('soft', 'bool') }).nullish(),
    sharedUserNames: z
      .array(z.string({ error: unmarshal('sharedUserNames', 'string') }).nullable(), {
        error: unmarshal('sharedUserNames', '[]string'),
      })
      .nullish(),
  },
  { error: wholeBody('tc.CDNLock') },
);

/** POST /user/login: upstream's auth.PasswordForm, `u` and `p` (a missing one is checked after decoding). */
const passwordForm = unmarshalInto('PasswordForm');
export const loginBodySchema = z.object(
  {
    u: z.string({ error: passwordForm('u', 'string') }).nullish(),
    p: z.string({ error: passwordForm('p', 'string') }).nullish(),
  },
  { error: wholeBody('auth.PasswordForm') },
);

/** GET query: filters, then the common TO sort and paging parameters (docs/compatibility.md §3.3). */
export const cdnLockQuerySchema = z.object({
  cdn: z.string().optional(),
  username: z.string().optional(),
  orderby: z.string().optional(),
  sortOrder: z.string().optional(),
  limit: z.string().optional(),
  offset: z.string().optional(),
  page: z.string().optional(),
});

export const cdnLockSchema = z.object({
  userName: z.string(),
  cdn: z.string(),
  message: z.string().nullable(),
  soft: z.boolean(),
  sharedUserNames: z.array(z.string()).nullable(),
  lastUpdated: z.string(),
});
