/**
 * Reads README.md as the README examples test runs it (conventions: docs/contributing.md, "README
 * examples are tests"): its sections, their shell blocks, what each block is marked, the output
 * each block shows (a ```json block right after it), and the comments that document a request's
 * status or body (`# 201 {...}`, `# 400`, `# exit 3`).
 */

export interface DocComment {
  /** README line of the comment (its first line, for a run of comment lines). */
  readonly line: number;
  /** The HTTP status it shows (`# 204`, `# 400 {...}`), if any. */
  readonly status?: number;
  /** The exit status it shows (`# exit 3`), if any. */
  readonly exit?: number;
  /** The JSON body it shows, if any (after the `...` conventions). */
  readonly body?: unknown;
  /** Why a body that looks like JSON could not be read. */
  readonly bodyError?: string;
}

export interface ShownOutput {
  readonly line: number;
  /** The JSON values shown, in order (the last values the block printed). */
  readonly values: readonly unknown[];
  readonly error?: string;
}

export interface Block {
  /** README line of the opening fence. */
  readonly line: number;
  /** README line of the closing fence. */
  readonly endLine: number;
  readonly section: string;
  /** Code lines, `code[i]` being README line `line + 1 + i`. */
  readonly code: readonly string[];
  /** `<!-- readme-test: skip (reason) -->`: why it is not run. */
  readonly skip?: string;
  /** `<!-- readme-test: server -->`: the block that starts the server (the test starts it the same way). */
  readonly server: boolean;
  readonly shown?: ShownOutput;
  readonly comments: readonly DocComment[];
}

export interface Section {
  readonly title: string;
  readonly line: number;
  readonly blocks: readonly Block[];
}

/** Fence languages that are shell commands to run. */
const SHELL = new Set(['sh', 'bash', 'shell']);
const MARKER = /^<!--\s*readme-test:\s*(skip|server)\b\s*(?:\((.*)\))?\s*-->\s*$/;

export function readSections(text: string): Section[] {
  const lines = text.split('\n');
  const sections: { title: string; line: number; blocks: Block[] }[] = [{ title: '(top)', line: 1, blocks: [] }];
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]!);
    if (heading) {
      sections.push({ title: heading[1]!.trim(), line: i + 1, blocks: [] });
      continue;
    }
    // A fence may be indented (a block inside a list item); its lines lose that indentation.
    const fence = /^( *)```(\S*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const end = closingFence(lines, i);
    const [, indent, lang] = fence as unknown as [string, string, string];
    if (SHELL.has(lang)) {
      const before = (lines[i - 1] ?? '').trim();
      const marker = MARKER.exec(before);
      if (before.includes('readme-test') && !marker) {
        throw new Error(`README line ${i}: unreadable readme-test marker ${JSON.stringify(before)}`);
      }
      if (marker?.[1] === 'skip' && !marker[2]?.trim()) throw new Error(`README line ${i}: a skip marker must say why: <!-- readme-test: skip (reason) -->`);
      const code = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      let shown: ShownOutput | undefined;
      if (lines[end + 1]?.trim() === '```json') {
        const close = closingFence(lines, end + 1);
        shown = readShown(end + 2, lines.slice(end + 2, close).join('\n'));
      }
      sections.at(-1)!.blocks.push({
        line: i + 1,
        endLine: end + 1,
        section: sections.at(-1)!.title,
        code,
        ...(marker?.[1] === 'skip' ? { skip: marker[2]!.trim() } : {}),
        server: marker?.[1] === 'server',
        ...(shown ? { shown } : {}),
        comments: readComments(code, i + 2),
      });
    }
    i = end;
  }
  return sections.filter((s) => s.blocks.length > 0);
}

function closingFence(lines: readonly string[], open: number): number {
  for (let j = open + 1; j < lines.length; j++) if (/^ *```\s*$/.test(lines[j]!)) return j;
  throw new Error(`README line ${open + 1}: code block never closed`);
}

function readShown(line: number, text: string): ShownOutput {
  try {
    const values = jsonValues(loosen(text), { strict: true });
    if (values.length === 0) return { line, values, error: 'no JSON value in it' };
    return { line, values };
  } catch (err) {
    return { line, values: [], error: (err as Error).message };
  }
}

/**
 * The comments of a block that document what a command before them answers: a run of comment
 * lines, or a comment at the end of a code line. `firstLine` is the README line of `code[0]`.
 */
export function readComments(code: readonly string[], firstLine: number): DocComment[] {
  const comments: DocComment[] = [];
  for (let k = 0; k < code.length; k++) {
    const own = /^\s*#(.*)$/.exec(code[k]!);
    let texts: string[];
    const line = firstLine + k;
    if (own) {
      texts = [own[1]!];
      while (k + 1 < code.length && /^\s*#/.test(code[k + 1]!)) texts.push(/^\s*#(.*)$/.exec(code[++k]!)![1]!);
    } else {
      const trailing = trailingComment(code[k]!);
      if (trailing === undefined) continue;
      texts = [trailing];
    }
    comments.push({ line, ...documented(texts) });
  }
  return comments;
}

/** The text of a `# ...` comment ending a code line (outside quotes), if any. */
function trailingComment(codeLine: string): string | undefined {
  let quote: string | undefined;
  for (let j = 0; j < codeLine.length; j++) {
    const c = codeLine[j]!;
    if (quote) {
      if (c === '\\' && quote === '"') j++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') j++;
    else if (c === '#' && j > 0 && /\s/.test(codeLine[j - 1]!)) return codeLine.slice(j + 1);
  }
  return undefined;
}

/** What a comment shows: `NNN` (HTTP status) or `exit N` first, then optionally a JSON body. */
function documented(texts: readonly string[]): Omit<DocComment, 'line'> {
  const first = texts[0]!.trim();
  const status = /^([1-5]\d\d)\b[,:]?\s*(.*)$/.exec(first);
  const exit = /^exit (\d+)\b[,:]?\s*(.*)$/.exec(first);
  const rest = status?.[2] ?? exit?.[2] ?? first;
  const out: { status?: number; exit?: number; body?: unknown; bodyError?: string } = {};
  if (status) out.status = Number(status[1]);
  if (exit) out.exit = Number(exit[1]);
  // A body starts right after the status, or at the start of one of the comment's lines.
  const starts = [rest, ...texts.slice(1).map((t) => t.trim())];
  const at = starts.findIndex((t) => /^[{[]/.test(t));
  if (at >= 0) {
    const text = [starts[at], ...texts.slice(at === 0 ? 1 : at + 1).map((t) => t.trim())].join(' ');
    try {
      const [body] = jsonValues(loosen(text), { strict: true, first: true });
      out.body = body;
    } catch (err) {
      out.bodyError = (err as Error).message;
    }
  }
  return out;
}

/**
 * The elisions a reader writes, in JSON the parser reads: `{...}` / `{…}` (any object), `[...]`
 * (any array), `, ...}` (more keys), `, ...]` (more items), `…` inside a string (`...`).
 */
export function loosen(text: string): string {
  return text
    .replace(/\{\s*(?:…|\.\.\.)\s*\}/g, '"..."')
    .replace(/\[\s*(?:…|\.\.\.)\s*\]/g, '"..."')
    .replace(/,\s*(?:…|\.\.\.)\s*\}/g, ',"...":"..."}')
    .replace(/,\s*(?:…|\.\.\.)\s*\]/g, ',"..."]')
    .replace(/…/g, '...');
}

/**
 * The JSON values in text, in order (curl -s prints one after another with no newline; headers
 * and prose between them are skipped). `strict`: a `{`/`[` that does not start valid JSON is an
 * error rather than skipped; `first`: stop after one value and ignore what follows (prose).
 */
export function jsonValues(text: string, opts: { strict?: boolean; first?: boolean } = {}): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    const rel = text.slice(i).search(/[{[]/);
    if (rel < 0) break;
    const start = i + rel;
    const end = balancedEnd(text, start);
    if (end < 0) {
      if (opts.strict) throw new Error(`unbalanced JSON from ${JSON.stringify(text.slice(start, start + 60))}`);
      i = start + 1;
      continue;
    }
    try {
      values.push(JSON.parse(text.slice(start, end + 1)));
      i = end + 1;
      if (opts.first) break;
    } catch (err) {
      if (opts.strict) throw new Error(`not JSON: ${(err as Error).message} in ${JSON.stringify(text.slice(start, Math.min(end + 1, start + 120)))}`);
      i = start + 1;
    }
  }
  return values;
}

/** Index of the bracket closing the one at `start`, honouring strings; -1 if none. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let j = start; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth === 0) return j;
    }
  }
  return -1;
}

/** `VAR=value ... npm start` in the server block: the environment it starts the server with. */
export function serverEnv(block: Block): Record<string, string> {
  for (const line of block.code) {
    const m = /^\s*((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)npm start\b/.exec(line);
    if (m) return Object.fromEntries([...m[1]!.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((a) => [a[1]!, a[2]!.replace(/^(['"])(.*)\1$/, '$2')]));
  }
  throw new Error(`README line ${block.line}: the server block has no \`npm start\` line`);
}
