/** What every Keystone route module receives: the identity services and a link builder. */
import type { Context } from 'koa';
import type { IdentityServices } from '../../domain/identity/identity-services.js';
import { Links } from './links.js';

export interface KeystoneEnv {
  readonly identity: IdentityServices;
  links(ctx: Context): Links;
}

export function createEnv(identity: IdentityServices, publicUrl: string | undefined): KeystoneEnv {
  return { identity, links: (ctx) => new Links(ctx, publicUrl) };
}

/** A single query value (the first when repeated), or undefined when absent. */
export function queryValue(ctx: Context, key: string): string | undefined {
  const v = ctx.query[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Keystone's boolean query flags (docs/compatibility.md §1.1): present means true unless the value is exactly `0`. */
export function queryFlag(ctx: Context, key: string): boolean {
  if (!(key in ctx.query)) return false;
  return queryValue(ctx, key) !== '0';
}

/** The object without its undefined-valued keys (optional fields left out of a service input). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Keystone's boolean filter (`attr_as_boolean`): absent is undefined; `0 f false n no off` are false; anything else true. */
export function queryBoolean(ctx: Context, key: string): boolean | undefined {
  if (!(key in ctx.query)) return undefined;
  return !/^(0|f|false|n|no|off)$/i.test(queryValue(ctx, key) ?? '');
}

/** A comma-separated query value as a list, or undefined when absent. */
export function queryList(ctx: Context, key: string): string[] | undefined {
  const v = queryValue(ctx, key);
  return v === undefined ? undefined : v.split(',').filter((s) => s !== '');
}

/** Extra attributes of a body entity: keys outside `known`, with `:` and `-` normalised to `_` (docs/compatibility.md §1.3). */
export function extraAttributes(entity: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    const normalised = key.replace(/[:-]/g, '_');
    if (!known.has(key) && !known.has(normalised)) extra[normalised] = value;
  }
  return extra;
}
