/**
 * Runs a section of a README's shell blocks in one bash session and says what each block did
 * wrong (conventions: docs/contributing.md, "README examples are tests"). The script's line N is
 * the README's line N, so bash's own messages, the requests and the failures recorded by
 * prelude.sh all carry README line numbers.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdMap, mismatches } from './json-match.js';
import { jsonValues, type Block } from './readme-doc.js';

const PRELUDE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'prelude.sh');
/** The address the README writes; the test's server listens elsewhere, and what it prints is written back as this. */
export const README_ORIGIN = '127.0.0.1:8080';

interface Call {
  readonly line: number;
  readonly rc: number;
  readonly status?: number;
  readonly body: string;
}

export interface SectionRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: readonly Call[];
  readonly errors: readonly { line: number; rc: number }[];
  /** Shown ids ↔ printed ids, across the section: its shown outputs come from one real run. */
  readonly ids: IdMap;
}

export interface RunOptions {
  /** The README's text (for the line count). */
  readonly text: string;
  readonly blocks: readonly Block[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** host:port of the server the README's 127.0.0.1:8080 stands for. */
  readonly origin: string;
  /**
   * The port of the section's own server, when one of its blocks is a server block: its `npm
   * start` line starts that server (in the background, on this port), and the section's
   * 127.0.0.1:8080 stands for it.
   */
  readonly serverPort?: number;
  readonly timeoutMs: number;
}

/** The section's server block's `npm start` line, rewritten to start it in the background (prelude.sh). */
export function backgroundStart(line: string, port: number): string {
  const m = /^(\s*(?:[A-Z_][A-Z0-9_]*=\S+\s+)*)npm start\b.*$/.exec(line);
  if (!m) return line;
  return `PORT=${port} ${m[1]}setsid npm start > "$READMETEST_DIR/server.log" 2>&1 & __readmetest_await_server $!`;
}

/** Runs the blocks (of one section, in order) in one bash. */
export async function runSection(o: RunOptions): Promise<SectionRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'readme-section-'));
  const origin = o.serverPort ? `127.0.0.1:${o.serverPort}` : o.origin;
  try {
    const lines = o.text.split('\n').map(() => '');
    lines[0] = `. ${JSON.stringify(PRELUDE)}`;
    for (const b of o.blocks) {
      if (b.line === 1) throw new Error('a README cannot open with a code block');
      lines[b.line - 1] = `printf '\\n@@block ${b.line}@@\\n'`;
      b.code.forEach((c, i) => {
        const line = c.replace(/(?:127\.0\.0\.1|localhost):8080/g, origin);
        lines[b.line + i] = b.server && o.serverPort ? backgroundStart(line, o.serverPort) : line;
      });
      lines[b.endLine - 1] = `printf '\\n@@end ${b.line}@@\\n'`;
    }
    const script = path.join(dir, 'section.sh');
    writeFileSync(script, lines.join('\n'));
    writeFileSync(path.join(dir, 'calls'), '');
    writeFileSync(path.join(dir, 'errors'), '');
    const result = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', [script], { cwd: o.cwd, env: { ...o.env, READMETEST_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        stderr += `\n(killed: the section did not finish within ${o.timeoutMs} ms)\n`;
        child.kill('SIGKILL');
      }, o.timeoutMs);
      child.once('close', () => {
        clearTimeout(timer);
        resolve({ stdout, stderr });
      });
    });
    // bash names the script in its messages: the script's line N is README line N.
    const asShown = (s: string) => s.replaceAll(origin, README_ORIGIN).replaceAll(script, 'README.md');
    const calls = readRows(path.join(dir, 'calls')).map(([line, rc, file]) => {
      const head = existsSync(`${file}.head`) ? readFileSync(`${file}.head`, 'utf8') : '';
      const statuses = [...head.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)];
      const status = statuses.length > 0 ? Number(statuses.at(-1)![1]) : undefined;
      const body = existsSync(`${file}.body`) ? readFileSync(`${file}.body`, 'utf8') : '';
      return { line: Number(line), rc: Number(rc), ...(status ? { status } : {}), body: asShown(body) };
    });
    const errors = readRows(path.join(dir, 'errors')).map(([line, rc]) => ({ line: Number(line), rc: Number(rc) }));
    return { stdout: asShown(result.stdout), stderr: asShown(result.stderr), calls, errors, ids: new IdMap() };
  } finally {
    stopSectionServer(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Kills the section's own server, if it started one (its whole process group: npm and node). */
function stopSectionServer(dir: string): void {
  const pidFile = path.join(dir, 'server.pid');
  if (!existsSync(pidFile)) return;
  try {
    process.kill(-Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
  } catch {
    // already gone
  }
}

function readRows(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

const clip = (s: string, n = 400) => JSON.stringify(s.length > n ? `${s.slice(0, n)}...` : s);

/** What block `b` did wrong in its section's run (empty: it ran as the README says). */
export function problemsOf(b: Block, run: SectionRun): string[] {
  const startMark = `\n@@block ${b.line}@@\n`;
  const start = run.stdout.indexOf(startMark);
  const stderr = run.stderr.trim() ? `\nstderr of the section:\n${run.stderr.trim().split('\n').slice(-30).join('\n')}` : '';
  if (start < 0) return [`README line ${b.line}: never ran (the section stopped before it)${stderr}`];
  const end = run.stdout.indexOf(`\n@@end ${b.line}@@\n`, start);
  if (end < 0) return [`README line ${b.line}: did not finish${stderr}`];
  const printed = run.stdout.slice(start + startMark.length, end);
  const inBlock = (line: number) => line > b.line && line < b.endLine;
  // A request or a failure belongs to the first comment at or after its line.
  const owner = (line: number) => b.comments.find((c) => c.line >= line);
  const calls = run.calls.filter((c) => inBlock(c.line));
  const seen = new Set<string>();
  const errors = run.errors.filter((e) => inBlock(e.line) && !seen.has(`${e.line}:${e.rc}`) && seen.add(`${e.line}:${e.rc}`));
  const ids = run.ids;
  const problems: string[] = [];

  for (const c of calls) if (c.rc !== 0) problems.push(`README line ${c.line}: curl failed (exit ${c.rc}); printed ${clip(c.body)}`);
  const documented = new Set<Call>();
  for (const comment of b.comments) {
    const shown = calls.filter((c) => owner(c.line) === comment).at(-1);
    if (comment.bodyError) problems.push(`README line ${comment.line}: the output shown is not readable JSON: ${comment.bodyError}`);
    if (comment.status === undefined && comment.body === undefined) {
      if (comment.exit !== undefined && !errors.some((e) => owner(e.line) === comment && e.rc === comment.exit)) {
        problems.push(`README line ${comment.line}: shows exit ${comment.exit}, but no command before it exited so`);
      }
      continue;
    }
    if (!shown) {
      problems.push(`README line ${comment.line}: shows a response, but no request came before it`);
      continue;
    }
    if (comment.status !== undefined) {
      documented.add(shown);
      if (shown.status !== comment.status) {
        problems.push(`README line ${shown.line}: answered ${shown.status}, the README shows ${comment.status} (line ${comment.line}); printed ${clip(shown.body)}`);
      }
    }
    if (comment.body !== undefined) {
      const diff = mismatches(comment.body, jsonValues(shown.body)[0], ids);
      if (diff.length > 0) problems.push(`README line ${comment.line} shows another body than line ${shown.line} printed (${clip(shown.body, 800)}):\n  ${diff.join('\n  ')}`);
    }
  }
  for (const c of calls) {
    if (!documented.has(c) && c.status !== undefined && c.status >= 400) {
      problems.push(`README line ${c.line}: answered ${c.status}, and no comment after it shows that status: ${clip(c.body)}`);
    }
  }
  for (const e of errors) {
    if (owner(e.line)?.exit === e.rc) continue;
    if (calls.some((c) => c.line === e.line && c.rc !== 0)) continue; // reported above
    problems.push(`README line ${e.line}: a command failed (exit ${e.rc})${stderr}`);
  }
  if (b.shown) {
    if (b.shown.error) problems.push(`README line ${b.shown.line}: the output shown is not readable JSON: ${b.shown.error}`);
    else {
      const values = jsonValues(printed);
      const expected = b.shown.values;
      if (values.length < expected.length) problems.push(`README line ${b.shown.line} shows ${expected.length} JSON values; the block printed ${values.length}: ${clip(printed, 800)}`);
      else {
        const actual = values.slice(values.length - expected.length);
        expected.forEach((v, k) => {
          const diff = mismatches(v, actual[k], ids);
          if (diff.length > 0) problems.push(`README line ${b.shown!.line} (value ${k + 1}) differs from what the block printed (${JSON.stringify(actual[k])}):\n  ${diff.join('\n  ')}`);
        });
      }
    }
  }
  return problems;
}
