/**
 * The policy files in force as text (`GET /v1/policy/files[/{name}]`), checking a draft of some
 * (`POST /v1/policy/check`), and applying a new text of one (`PUT /v1/policy/files/{name}`): the whole directory with that file replaced is checked
 * like a reload (policy-draft.ts) and refused with every problem if it does not load; otherwise
 * the file is written (a temporary file renamed over it, so a reader or the watcher never sees
 * half of it) and the policy reloaded at once. A `sha256` of the text the edit started from makes
 * the write conditional: a file changed since is refused with 409, not overwritten.
 *
 * Files live in this server's PORTCULLIS_POLICY_DIR: other replicas see the edit only if they
 * share that directory (their watcher reloads within 2 s).
 */
import { createHash, randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Engine, PolicyStatus } from '../engine/engine.js';
import { readPolicyTexts } from '../engine/policy-files.js';
import { badRequest, conflict, notFound, unavailable } from '../errors.js';
import type { Stores } from '../store/stores.js';
import { describeProblem } from '../engine/policy-rule.js';
import { checkDraft, draftPolicy, requirePolicyFileNames } from './policy-draft.js';

export interface PolicyFileInfo {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  /** Rows of this file in force. */
  readonly rules: number;
  /** The last reload's error when it was in this file (the file in force is then the one before). */
  readonly error: string | null;
}

export interface PolicyFileDeps {
  readonly engine: Engine;
  readonly stores: Stores;
  readonly policyDir: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class PolicyFileService {
  /** Applies run one at a time: each checks the directory as the previous one left it. */
  private applying: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PolicyFileDeps) {}

  async list(): Promise<PolicyFileInfo[]> {
    const texts = await readPolicyTexts(this.deps.policyDir);
    const rules = this.deps.engine.rules();
    const lastError = this.deps.engine.status().lastError?.message ?? '';
    return [...texts].map(([name, text]) => {
      const cited = `policies/${name}:`;
      return {
        name,
        sha256: sha256(text),
        bytes: Buffer.byteLength(text),
        rules: rules.filter((r) => r.source.startsWith(cited)).length,
        error: lastError.includes(cited) ? lastError : null,
      };
    });
  }

  async get(name: string): Promise<{ name: string; sha256: string; content: string }> {
    requirePolicyFileNames([name]);
    const content = (await readPolicyTexts(this.deps.policyDir)).get(name);
    if (content === undefined) throw notFound(`no policy file ${name} in the policy directory`);
    return { name, sha256: sha256(content), content };
  }

  /** Whether the policy directory with these files replaced would load, and every problem if not. */
  async check(files: Readonly<Record<string, string>>): Promise<{ loads: boolean; problems: string[]; files: readonly string[]; rules: number }> {
    const { check } = await checkDraft(this.draftDeps(), files);
    return { loads: check.problems.length === 0, problems: check.problems.map(describeProblem), files: check.files, rules: check.rules.length };
  }

  apply(name: string, content: string, expectedSha256?: string): Promise<{ file: { name: string; sha256: string; bytes: number; created: boolean }; policy: PolicyStatus }> {
    const run = this.applying.catch(() => undefined).then(() => this.applyNow(name, content, expectedSha256));
    this.applying = run;
    return run;
  }

  private async applyNow(name: string, content: string, expectedSha256: string | undefined) {
    requirePolicyFileNames([name]);
    if (!content.trim()) throw badRequest('the new text is empty: keep at least a comment line (an empty policy file is a mistake more often than not)');
    const previous = (await readPolicyTexts(this.deps.policyDir)).get(name);
    // A file that does not exist yet has the sha256 of the empty text.
    if (expectedSha256 !== undefined && sha256(previous ?? '') !== expectedSha256) {
      throw conflict(`${name} changed since it was read (its sha256 is no longer ${expectedSha256}): read it again and redo the edit`);
    }
    await draftPolicy(this.draftDeps(), { [name]: content }, 'nothing was written');
    await this.write(name, content);
    let policy: PolicyStatus;
    try {
      policy = await this.deps.engine.reload();
    } catch (err) {
      // Checked a moment ago, so something else changed the directory meanwhile: put the file back.
      await (previous === undefined ? rm(path.join(this.deps.policyDir, name), { force: true }) : this.write(name, previous));
      await this.deps.engine.reload().catch(() => undefined);
      throw conflict(`the policy directory changed while ${name} was applied, and the reload failed; ${name} was put back: ${(err as Error).message}`);
    }
    return { file: { name, sha256: sha256(content), bytes: Buffer.byteLength(content), created: previous === undefined }, policy };
  }

  private draftDeps() {
    return { live: this.deps.engine, stores: this.deps.stores, policyDir: this.deps.policyDir };
  }

  /** Writes beside the file and renames over it: readers see the old text or the new, never half. */
  private async write(name: string, content: string): Promise<void> {
    const temporary = path.join(this.deps.policyDir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, content, 'utf8');
      await rename(temporary, path.join(this.deps.policyDir, name));
    } catch (err) {
      throw unavailable(`cannot write ${name} in the policy directory: ${(err as Error).message}`);
    } finally {
      await rm(temporary, { force: true });
    }
  }
}
