/**
 * Manila API microversions (docs/compatibility.md §2.1, §7 M-9). Reads `X-OpenStack-Manila-API-Version` (or
 * `OpenStack-API-Version: share <v>`), echoes the version in force with `Vary`, and refuses a
 * malformed version (400) or one outside [MIN, MAX] (406, as upstream's InvalidGlobalAPIVersion
 * does). Without a header the version is the minimum, 2.0. Routes that need a newer version answer
 * 404 as if they did not exist (`requireVersion`).
 */
import type { Context, Next } from 'koa';
import { badRequest, notFound } from '../../errors.js';
import { manilaEnvelope } from './fault-envelope.js';

export const MIN_VERSION = '2.0';
export const MAX_VERSION = '2.81';
export const VERSION_HEADER = 'X-OpenStack-Manila-API-Version';
const GENERIC_HEADER = 'OpenStack-API-Version';

export interface Microversion {
  readonly major: number;
  readonly minor: number;
}

export function parseVersion(text: string): Microversion | undefined {
  const m = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

const MIN = parseVersion(MIN_VERSION)!;
const MAX = parseVersion(MAX_VERSION)!;

export function compareVersions(a: Microversion, b: Microversion): number {
  return a.major - b.major || a.minor - b.minor;
}

const show = (v: Microversion) => `${v.major}.${v.minor}`;

/** Parses and checks the requested version, echoes it, stores it in ctx.state.manilaVersion. */
export async function negotiateVersion(ctx: Context, next: Next): Promise<void> {
  const requested = requestedVersion(ctx);
  let version = MIN;
  if (requested !== undefined) {
    const parsed = parseVersion(requested.trim());
    if (!parsed) {
      throw badRequest(`API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`);
    }
    if (compareVersions(parsed, MIN) < 0 || compareVersions(parsed, MAX) > 0) {
      // No AppError kind maps to 406, so the fault is written here, in the family's envelope.
      const message = `Version ${show(parsed)} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${MAX_VERSION}.`;
      manilaEnvelope.render(ctx, 406, message);
      return;
    }
    version = parsed;
  }
  ctx.state.manilaVersion = version;
  ctx.set(VERSION_HEADER, show(version));
  ctx.set('Vary', VERSION_HEADER);
  await next();
}

/** Middleware: 404 (as if the route did not exist) below the given microversion. */
export function requireVersion(min: string) {
  const needed = parseVersion(min)!;
  return async (ctx: Context, next: Next) => {
    const version = ctx.state.manilaVersion as Microversion | undefined;
    if (!version || compareVersions(version, needed) < 0) throw notFound('The resource could not be found.');
    await next();
  };
}

function requestedVersion(ctx: Context): string | undefined {
  const specific = ctx.get(VERSION_HEADER);
  if (specific) return specific;
  // OpenStack-API-Version: "share 2.81" (several services may be listed, comma-separated).
  for (const part of ctx.get(GENERIC_HEADER).split(',')) {
    const [service, value] = part.trim().split(/\s+/);
    if (service?.toLowerCase() === 'share' && value) return value;
  }
  return undefined;
}
