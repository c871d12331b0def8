/**
 * /console/ serving: the files scripts/build-console.mjs builds (here into a temporary directory),
 * from memory, with a strict CSP; index.html revalidated, hashed assets immutable; a clear 503
 * when the console was never built.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, type WrittenFile } from '../../../scripts/build-console.mjs';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('the console at /console/', () => {
  let t: TestApp;
  let unbuilt: TestApp;
  let dir: string;
  let written: WrittenFile[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portcullis-console-'));
    written = await buildConsole({ outDir: path.join(dir, 'console') });
    t = await startTestApp({ PORTCULLIS_CONSOLE_DIR: path.join(dir, 'console') });
    unbuilt = await startTestApp({ PORTCULLIS_CONSOLE_DIR: path.join(dir, 'nothing-here') });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await unbuilt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds one script, one stylesheet and an icon, named by content hash, small', () => {
    const files = written.map((w) => w.file);
    expect(files).toContain('index.html');
    expect(files.filter((f) => /^assets\/app-\w+\.js$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => /^assets\/app-\w+\.css$/.test(f))).toHaveLength(1);
    const gzipped = written.reduce((s, w) => s + w.gzipBytes, 0);
    expect(gzipped).toBeLessThan(60 * 1024);
  });

  it('redirects /console to /console/ and serves index.html there, revalidated, with a strict CSP', async () => {
    const redirect = await fetch(`${t.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/console/');
    const res = await fetch(`${t.url}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const d of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    for (const w of written.filter((f) => f.file.startsWith('assets/'))) expect(html).toContain(w.file);
    // (fetch would add Cache-Control: no-cache to a conditional request, as browsers do on a hard reload)
    const again = await fetch(`${t.url}/console/`, { headers: { 'If-None-Match': res.headers.get('etag')!, 'Cache-Control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });

  it('serves the hashed assets as immutable, with their types; anything else is 404', async () => {
    const script = written.find((w) => w.file.endsWith('.js'))!.file;
    const res = await fetch(`${t.url}/console/${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await res.arrayBuffer()).byteLength).toBe(written.find((w) => w.file === script)!.bytes);
    const css = written.find((w) => w.file.endsWith('.css'))!.file;
    expect((await fetch(`${t.url}/console/${css}`)).headers.get('content-type')).toContain('text/css');
    for (const p of ['/console/assets/nope.js', '/console/../package.json', '/console/index.html/x', '/console/%2e%2e/package.json']) {
      expect((await fetch(`${t.url}${p}`)).status, p).toBe(404);
    }
  });

  it('answers other methods with 405 and Allow', async () => {
    const res = await fetch(`${t.url}/console/`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says how to build it when it was never built', async () => {
    const res = await fetch(`${unbuilt.url}/console/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });

  it('is listed in the root index', async () => {
    expect((await t.request('GET', '/', { token: null })).body.console).toBe(`${t.url}/console/`);
  });
});
