/** `portcullis policy impact DIR --server URL`: what the policy in DIR would change on a running server. */
import { readPolicyTexts } from '../engine/policy-files.js';
import { shown } from './paths.js';
import { existingPolicyDir } from './policy-load.js';
import { SERVER_HELP, SERVER_OPTIONS, ServerError, serverClient } from './server-client.js';
import { EXIT, UsageError, type Verb } from './verb.js';

interface Answer {
  decision: string;
  reason: string;
}

interface ImpactAnswer {
  replayed: number;
  changed: {
    decision_id: string;
    at: string;
    kind: string;
    subject: { id: string };
    action: { name: string };
    resource: { type: string; id: string };
    before: Answer;
    after: Answer;
  }[];
  draft: { files: string[]; rules: number };
}

export const policyImpact: Verb = {
  name: 'policy impact',
  summary: "replay a server's decision log against the policy in DIR (what would change)",
  help: `Usage: portcullis policy impact DIR --server URL [--token TOKEN]

Sends every *.csv in DIR to the server as a draft of its policy (POST /v1/policy/impact; files
the server has and DIR lacks are sent empty, i.e. deleted in the draft). The server checks the
draft like a reload, then decides every decision in its decision log again, with the policy in
force and with the draft, on the facts recorded with each decision, and this prints the
decisions that would flip. Nothing is loaded; the policy in force does not change.

${SERVER_HELP}
The token needs policy:read and decisions:replay (admins by default).

Exit status: 0 replayed (whether or not anything would change), 3 the draft does not load (each
problem printed as file:line: message), 2 bad usage, 1 the server could not be asked.
`,
  options: { ...SERVER_OPTIONS },
  maxPositionals: 1,
  async run(args, io) {
    if (!args.positionals[0]) throw new UsageError('name the draft policy directory: portcullis policy impact DIR --server URL');
    const dir = existingPolicyDir(io, args.positionals[0]);
    const server = serverClient(args, io);
    const texts = await readPolicyTexts(dir);
    const inForce = await server.request<{ policy: { files: string[] } }>('GET', '/v1/policy');
    const files: Record<string, string> = {};
    for (const name of inForce.policy.files) files[name] = '';
    for (const [name, text] of texts) files[name] = text;
    let result: ImpactAnswer;
    try {
      result = await server.request<ImpactAnswer>('POST', '/v1/policy/impact', { files });
    } catch (err) {
      const problems = (err as ServerError).body as { error?: { problems?: string[] } } | undefined;
      if (err instanceof ServerError && err.status === 400 && problems?.error?.problems) {
        for (const p of problems.error.problems) io.out(`${p}\n`);
        io.err(`the draft in ${shown(io, dir)} does not load (${problems.error.problems.length} problems); nothing was replayed\n`);
        return EXIT.invalidPolicy;
      }
      throw err;
    }
    const deleted = inForce.policy.files.filter((f) => !texts.has(f));
    io.out(
      `draft: ${result.draft.files.length} files, ${result.draft.rules} rules from ${shown(io, dir)}` +
        `${deleted.length ? ` (deleting ${deleted.join(', ')})` : ''}\n` +
        `replayed ${result.replayed} recorded decisions on ${server.url}: ${result.changed.length} would change\n`,
    );
    for (const c of result.changed) {
      io.out(
        `  ${c.before.decision} -> ${c.after.decision}  ${c.subject.id} ${c.action.name} ${c.resource.type}/${c.resource.id}  (${c.kind}, decision ${c.decision_id}, ${c.at})\n` +
          `      before: ${c.before.reason}\n      after:  ${c.after.reason}\n`,
      );
    }
    return EXIT.ok;
  },
};
