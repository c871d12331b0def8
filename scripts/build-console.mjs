#!/usr/bin/env node
/**
 * Builds the admin console (src/console/, served at /console) into dist/console/: one JavaScript
 * bundle and one stylesheet with content hashes in their names, under assets/, and an index.html
 * naming them. esbuild bundles preact and the pages; nothing is fetched at run time. `npm run
 * build` runs it after tsc (so does `npm start`'s prestart, through build-if-stale.mjs).
 *
 * The output is written to a temporary directory beside the target and swapped in, so a server
 * reading the console never sees half a build.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'src', 'console');

/**
 * Builds the console into `outDir` (default dist/console) and returns what it wrote:
 * `[{file, bytes, gzipBytes}]`, paths relative to outDir.
 */
export async function buildConsole({ outDir = path.join(root, 'dist', 'console') } = {}) {
  mkdirSync(path.dirname(outDir), { recursive: true });
  const staging = mkdtempSync(path.join(path.dirname(outDir), '.console-build-'));
  try {
    const result = await esbuild.build({
      entryPoints: [path.join(source, 'main.tsx')],
      bundle: true,
      minify: true,
      format: 'esm',
      // Browsers from 2022 on: module scripts, optional chaining, top-level await not used.
      target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
      jsx: 'automatic',
      jsxImportSource: 'preact',
      outdir: path.join(staging, 'assets'),
      entryNames: 'app-[hash]',
      assetNames: '[name]-[hash]',
      loader: { '.svg': 'file' },
      metafile: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
    const outputs = Object.keys(result.metafile.outputs).map((f) => path.relative(path.join(staging, 'assets'), path.resolve(root, f)));
    const script = outputs.find((f) => f.endsWith('.js'));
    const style = outputs.find((f) => f.endsWith('.css'));
    if (!script || !style) throw new Error(`console build produced ${outputs.join(', ')}: expected one .js and one .css`);
    const icon = copyHashed(path.join(source, 'icon.svg'), path.join(staging, 'assets'));
    const html = readFileSync(path.join(source, 'index.html'), 'utf8')
      .replace('%SCRIPT%', `assets/${script}`)
      .replace('%STYLE%', `assets/${style}`)
      .replace('%ICON%', `assets/${icon}`);
    writeFileSync(path.join(staging, 'index.html'), html);
    const written = ['index.html', ...[script, style, icon].map((f) => `assets/${f}`)].map((file) => {
      const body = readFileSync(path.join(staging, file));
      return { file, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    });
    rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
    return written;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Copies a file into `dir` as `<name>-<hash><ext>`; returns the new name. */
function copyHashed(file, dir) {
  const body = readFileSync(file);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 8).toUpperCase();
  const { name, ext } = path.parse(file);
  const out = `${name}-${hash}${ext}`;
  writeFileSync(path.join(dir, out), body);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await buildConsole();
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
  const total = written.reduce((s, w) => s + w.gzipBytes, 0);
  process.stdout.write(
    `console built into dist/console (${kb(total)} gzipped):\n` +
      written.map((w) => `  ${w.file.padEnd(32)} ${kb(w.bytes).padStart(9)}  ${kb(w.gzipBytes).padStart(8)} gzipped\n`).join(''),
  );
}
