/**
 * Reads `policies/*.csv` (admin-edited) into rules that remember their file and line. Format, one
 * row per line: `ptype, v0, v1, v2, v3` (`p` rows may add a condition as v4); `#` starts a comment line; a value containing a comma is
 * double-quoted (conditions usually are). Files are read in name order.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { PolicyValidationError, validateRule, type PolicyRule } from './policy-rule.js';

export async function readPolicyDir(dir: string): Promise<{ rules: PolicyRule[]; files: string[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.csv')).sort();
  } catch (err) {
    throw new PolicyValidationError(`cannot read policy directory ${dir}: ${(err as Error).message}`);
  }
  const rules: PolicyRule[] = [];
  for (const name of names) {
    const text = await readFile(path.join(dir, name), 'utf8');
    rules.push(...parsePolicyText(text, `policies/${name}`));
  }
  return { rules, files: names };
}

export function parsePolicyText(text: string, file: string): PolicyRule[] {
  const rules: PolicyRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const source = `${file}:${index + 1}`;
    let fields: string[];
    try {
      const rows = parse(line, { trim: true, relax_quotes: false }) as string[][];
      fields = rows[0] ?? [];
    } catch (err) {
      throw new PolicyValidationError(`cannot parse row: ${(err as Error).message}`, source);
    }
    const [ptype = '', ...values] = fields;
    rules.push(validateRule(ptype, values, source));
  });
  return rules;
}
