/**
 * Reads `policies/*.csv` (admin-edited) into rules that remember their file and line. Format, one
 * row per line: `ptype, v0, v1, v2, v3` (`p` rows may add a condition as v4); `#` starts a comment line; a value containing a comma is
 * double-quoted (conditions usually are). Files are read in name order.
 *
 * Every problem is reported, not only the first: the server logs them all on a failed reload and
 * `portcullis policy check` prints one `file:line: message` line each.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { collectProblems, PolicyValidationError, validateRule, type PolicyProblem, type PolicyRule } from './policy-rule.js';

/** A policy file's name (`resources.csv`): no directories, so a draft cannot name a path elsewhere. */
export const POLICY_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.csv$/;

/** The policy files' texts by file name, in name order. */
export type PolicyTexts = ReadonlyMap<string, string>;

export async function readPolicyTexts(dir: string): Promise<PolicyTexts> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => POLICY_FILE_NAME.test(n)).sort();
  } catch (err) {
    throw new PolicyValidationError(`cannot read policy directory ${dir}: ${(err as Error).message}`);
  }
  const texts = new Map<string, string>();
  for (const name of names) texts.set(name, await readFile(path.join(dir, name), 'utf8'));
  return texts;
}

/**
 * Parses every file; rows cite `<label>/<file>:<line>` (the server's label is `policies`; an empty
 * label cites `<file>:<line>`). Bad rows
 * are left out and reported in `problems`, every one of them.
 */
export function parsePolicyTexts(
  texts: PolicyTexts,
  label = 'policies',
): { rules: PolicyRule[]; files: string[]; problems: PolicyProblem[] } {
  const rules: PolicyRule[] = [];
  const problems: PolicyProblem[] = [];
  const files = [...texts.keys()].sort();
  for (const name of files) {
    const parsed = parsePolicyLines(texts.get(name)!, label ? `${label}/${name}` : name);
    rules.push(...parsed.rules);
    problems.push(...parsed.problems);
  }
  return { rules, files, problems };
}

/** Every row of the directory's files; throws one PolicyValidationError listing every bad row. */
export async function readPolicyDir(dir: string, label = 'policies'): Promise<{ rules: PolicyRule[]; files: string[] }> {
  const { rules, files, problems } = parsePolicyTexts(await readPolicyTexts(dir), label);
  if (problems.length) throw new PolicyValidationError(problems);
  return { rules, files };
}

/** One file's rows; throws a PolicyValidationError listing every bad row. */
export function parsePolicyText(text: string, file: string): PolicyRule[] {
  const { rules, problems } = parsePolicyLines(text, file);
  if (problems.length) throw new PolicyValidationError(problems);
  return rules;
}

function parsePolicyLines(text: string, file: string): { rules: PolicyRule[]; problems: PolicyProblem[] } {
  const rules: PolicyRule[] = [];
  const problems: PolicyProblem[] = [];
  const rows: { line: string; number: number }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line && !line.startsWith('#')) rows.push({ line, number: index + 1 });
  });
  const parsed = parseAtOnce(rows.map((r) => r.line));
  rows.forEach(({ line, number }, i) => {
    const source = `${file}:${number}`;
    const rule = collectProblems(problems, () => {
      const [ptype = '', ...values] = parsed?.[i] ?? parseRow(line, source);
      return validateRule(ptype, values, source);
    });
    if (rule) rules.push(rule);
  });
  return { rules, problems };
}

const CSV = { trim: true, relax_quotes: false } as const;

/**
 * The rows' fields in one csv-parse call, or undefined when a row does not parse alone (each is
 * then parsed on its own, so every bad row is reported with its line). One call per row cost
 * ~0.2 ms each (csv-parse sets up its options and state per call): ~50 ms for the shipped
 * files on every load and reload. A row per line, or it is not taken: a quote left open would
 * run a row on into the next line's.
 */
function parseAtOnce(lines: readonly string[]): string[][] | undefined {
  try {
    const fields = parse(lines.join('\n'), { ...CSV, relax_column_count: true }) as string[][];
    return fields.length === lines.length ? fields : undefined;
  } catch {
    return undefined;
  }
}

function parseRow(line: string, source: string): string[] {
  try {
    return (parse(line, CSV) as string[][])[0] ?? [];
  } catch (err) {
    throw new PolicyValidationError(`cannot parse row: ${(err as Error).message}`, source);
  }
}
