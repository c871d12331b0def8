/** `portcullis policy check [DIR] [--model FILE]`: does the policy load, as a reload would? */
import { shown } from './paths.js';
import { loadPolicy, reportProblems } from './policy-load.js';
import { EXIT, str, type Verb } from './verb.js';

export const policyCheck: Verb = {
  name: 'policy check',
  summary: 'check that a policy directory loads, as the server would load it',
  help: `Usage: portcullis policy check [DIR] [--model FILE]

Loads the model and every policy file (*.csv) in DIR with the server's own code (row shapes,
effects, every condition compiled, every section probed against the model) and prints each
problem as "file:line: message". Nothing is loaded anywhere.

  DIR            policy directory (default: $PORTCULLIS_POLICY_DIR, else ./policies)
  --model FILE   Casbin model (default: $PORTCULLIS_MODEL, else ./model.conf, else the one
                 shipped with Portcullis)

Exit status: 0 the policy loads, 3 it does not, 2 bad usage.
`,
  options: { model: { type: 'string' } },
  maxPositionals: 1,
  async run(args, io) {
    const loaded = await loadPolicy(io, args.positionals[0], str(args, 'model'));
    if (reportProblems(io, loaded)) return EXIT.invalidPolicy;
    const { files, rules } = loaded.check;
    io.out(`ok: ${files.length} files, ${rules.length} rules in ${shown(io, loaded.dir)} (model ${shown(io, loaded.model)})\n`);
    return EXIT.ok;
  },
};
