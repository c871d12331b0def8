/**
 * The admin console at `/console/`: the static files `npm run build` writes to dist/console
 * (scripts/build-console.mjs builds them from src/console), served from memory by this process.
 * The console is a client like any other: it calls the public APIs with the signed-in user's
 * credential, so nothing here authenticates or decides anything.
 *
 * index.html is revalidated on every load (`no-cache`, ETag); the hashed assets are immutable.
 * Every response carries a strict Content-Security-Policy: scripts, styles and connections only
 * from this origin, no inline script, no framing.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context, Middleware } from 'koa';

export const CONSOLE_PREFIX = '/console';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

interface Loaded {
  /** index.html's modification time when loaded: a rebuild replaces the set. */
  readonly stamp: number;
  /** Keyed by path below /console/ ('' is index.html). */
  readonly files: ReadonlyMap<string, StaticFile>;
}

export const isConsolePath = (p: string): boolean => p === CONSOLE_PREFIX || p.startsWith(`${CONSOLE_PREFIX}/`);

export function createConsoleMiddleware(dir: string): Middleware {
  let loaded: Loaded | undefined;

  /** The files of the current build, re-read when index.html changed; undefined when not built. */
  async function current(): Promise<Loaded | undefined> {
    const stamp = await stat(path.join(dir, 'index.html')).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
    if (stamp === undefined) return undefined;
    if (loaded?.stamp !== stamp) loaded = { stamp, files: await load(dir) };
    return loaded;
  }

  return async (ctx, next) => {
    if (!isConsolePath(ctx.path)) return next();
    ctx.state.family = 'console';
    security(ctx);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      return text(ctx, 405, 'Method Not Allowed');
    }
    if (ctx.path === CONSOLE_PREFIX) {
      // Relative asset URLs in index.html resolve against /console/.
      ctx.status = 308;
      ctx.redirect(`${CONSOLE_PREFIX}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }
    const build = await current();
    if (!build) return text(ctx, 503, `The console is not built (no ${path.join(dir, 'index.html')}): run npm run build.`);
    const name = ctx.path.slice(CONSOLE_PREFIX.length + 1);
    const file = build.files.get(name);
    if (!file) return text(ctx, 404, 'Not found');
    ctx.state.route = name === '' ? `${CONSOLE_PREFIX}/` : `${CONSOLE_PREFIX}/assets/:file`;
    ctx.set('Cache-Control', name === '' ? 'no-cache' : 'public, max-age=31536000, immutable');
    ctx.etag = file.etag;
    ctx.type = file.type;
    ctx.status = 200; // ctx.fresh compares validators only on a 2xx
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = file.body;
  };
}

async function load(dir: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  const add = async (key: string, file: string) => {
    const body = await readFile(file);
    files.set(key, { body, type: path.extname(file), etag: createHash('sha256').update(body).digest('base64url').slice(0, 22) });
  };
  await add('', path.join(dir, 'index.html'));
  const assets = await readdir(path.join(dir, 'assets')).catch(() => [] as string[]);
  for (const name of assets) await add(`assets/${name}`, path.join(dir, 'assets', name));
  return files;
}

function security(ctx: Context): void {
  ctx.set('Content-Security-Policy', CSP);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Frame-Options', 'DENY');
}

function text(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.type = 'text/plain';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `${message}\n`;
}
