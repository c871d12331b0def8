#!/usr/bin/env node
/**
 * The build: compiles src/ to dist/, builds the console into dist/console/ and marks the
 * `portcullis` command (package.json `bin`) executable, since tsc writes it 0644 and npm only sets
 * the mode when it installs a package, not for the clone's own bin run through `npx portcullis`.
 * `npm run build` runs it with `--always`; `npm start`'s prestart runs it bare, building only when
 * any source or build setting is newer than the last build, so `npm start` always runs current
 * compiled JavaScript and a fresh clone needs only `npm install && npm start`. A no-op start costs
 * a directory walk, not a compiler run.
 * Concurrent callers (tests starting servers in parallel) wait for one build instead of writing
 * dist/ together.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');
const lock = path.join(root, 'dist', '.build-lock');
const consoleIndex = path.join(root, 'dist', 'console', 'index.html');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const always = process.argv.includes('--always');
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build-console.mjs'];

function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), s.mtimeMs);
}

const mtime = (p) => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};

const stale = () =>
  mtime(consoleIndex) < 0 || mtime(stamp) < Math.max(...inputs.map((i) => newest(path.join(root, i))));

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function withLock(fn) {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another build holds it; a lock older than 5 minutes is left over from a killed build.
      if (Date.now() - mtime(lock) > 300_000) rmSync(lock, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (always || stale()) {
  withLock(() => {
    if (!always && !stale()) return; // built while we waited
    let tsc;
    try {
      tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
    } catch {
      process.stderr.write('dist/ is missing or out of date and TypeScript is not installed: run `npm install` (with dev dependencies) first.\n');
      process.exit(1);
    }
    if (!always) process.stderr.write('Compiling src/ to dist/ (npm run build)...\n');
    const built = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
    if (built.status !== 0) process.exit(built.status ?? 1);
    const bundled = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-console.mjs')], { stdio: 'inherit', cwd: root });
    if (bundled.status !== 0) process.exit(bundled.status ?? 1);
    chmodSync(cli, 0o755);
    // tsc leaves the build info untouched when nothing changed; mark this check as done.
    const now = new Date();
    utimesSync(stamp, now, now);
  });
}
