/**
 * The README's examples run as written, from a fresh start: `npm start` (compiled, in-memory
 * store, with the walkthrough's PORTCULLIS_JWT_SECRET), then every ```sh block in README order in
 * one bash session (variables carry over), each compared with the ```json block right after it,
 * if any. Conventions (docs/contributing.md): `<!-- readme-test: skip (reason) -->` on the line
 * before a block leaves it out; `...` inside a JSON string matches anything; objects in a JSON
 * block list the keys that must be there (more may be); the last JSON value a block prints is the
 * one compared. The README's `http://127.0.0.1:8080` is pointed at the test server's port.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStart, REPO_ROOT, type StartedServer } from '../process/npm-start.js';

const SECRET = 'dev-secret-change-me-0123';
const ADMIN = 'readme-admin-token-0123456789';

interface Block {
  readonly line: number;
  readonly code: string;
  readonly expected?: unknown;
  readonly skip?: string;
}

/** The ```sh blocks of the README, each with the ```json block that follows it. */
export function readmeBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```sh') continue;
    const end = lines.indexOf('```', i + 1);
    const code = lines.slice(i + 1, end).join('\n');
    const marker = /<!--\s*readme-test:\s*skip\b\s*(.*?)\s*-->/.exec(lines[i - 1] ?? '');
    let expected: unknown;
    if (lines[end + 1] === '```json') {
      const close = lines.indexOf('```', end + 2);
      // A JSON block may show several values (one per command); the last is compared.
      expected = jsonValues(lines.slice(end + 2, close).join('\n')).at(-1);
    }
    blocks.push({ line: i + 1, code, ...(expected !== undefined ? { expected } : {}), ...(marker ? { skip: marker[1] || 'marked' } : {}) });
    i = end;
  }
  return blocks;
}

/** Every JSON value in text printed back to back (curl -s adds no newline). */
function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.slice(i).search(/[{[]/);
    if (start < 0) break;
    let depth = 0;
    let inString = false;
    let j = i + start;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) break;
    }
    try {
      values.push(JSON.parse(text.slice(i + start, j + 1)));
    } catch {
      // not JSON after all
    }
    i = j + 1;
  }
  return values;
}

/** Where actual differs from expected (see the module comment for the matching rules). */
function mismatches(expected: unknown, actual: unknown, at = '$'): string[] {
  if (typeof expected === 'string' && expected.includes('...')) {
    const pattern = new RegExp(`^${expected.split('...').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    return typeof actual === 'string' && pattern.test(actual) ? [] : [`${at}: ${JSON.stringify(actual)} does not match ${JSON.stringify(expected)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: expected ${expected.length} items, got ${JSON.stringify(actual)}`];
    return expected.flatMap((e, k) => mismatches(e, actual[k], `${at}[${k}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) =>
      k in actual ? mismatches(v, (actual as Record<string, unknown>)[k], `${at}.${k}`) : [`${at}: no key ${k}`],
    );
  }
  return Object.is(expected, actual) ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

describe('README examples', () => {
  const blocks = readmeBlocks(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));
  let s: StartedServer;
  let outputs: Map<number, string>;

  beforeAll(async () => {
    s = await npmStart({ PORTCULLIS_JWT_SECRET: SECRET, PORTCULLIS_ADMIN_TOKEN: ADMIN });
    const runnable = blocks.filter((b) => !b.skip);
    const script = runnable
      .map((b) => `printf '\\n@@block ${b.line}@@\\n'\n${b.code.replaceAll('http://127.0.0.1:8080', s.url)}`)
      .join('\n');
    const run = spawnSync('bash', ['-c', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ADMIN, PORTCULLIS_JWT_SECRET: SECRET },
      encoding: 'utf8',
      timeout: 240_000,
    });
    outputs = new Map();
    const parts = (run.stdout ?? '').split(/\n@@block (\d+)@@\n/);
    for (let k = 1; k < parts.length; k += 2) outputs.set(Number(parts[k]), parts[k + 1] ?? '');
    if (run.stderr) console.log(`stderr of the README examples:\n${run.stderr}`);
  }, 300_000);
  afterAll(() => s?.kill());

  it('finds the examples, and says which it leaves out', () => {
    expect(blocks.filter((b) => !b.skip).length).toBeGreaterThan(5);
    for (const b of blocks.filter((x) => x.skip)) console.log(`README line ${b.line}: skipped (${b.skip})`);
  });

  it.each(blocks.filter((b) => !b.skip && b.expected !== undefined).map((b) => [b.line, b] as const))(
    'README line %i prints what the README shows',
    (_line, b) => {
      const printed = outputs.get(b.line);
      expect(printed, 'the block ran').toBeDefined();
      const values = jsonValues(printed!);
      expect(values.length, `JSON printed by the block at line ${b.line}:\n${printed}`).toBeGreaterThan(0);
      expect(mismatches(b.expected, values[values.length - 1])).toEqual([]);
    },
  );
});
