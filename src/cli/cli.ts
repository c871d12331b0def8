/**
 * The `portcullis` command: finds the verb (one or two words), parses its options strictly, and
 * maps errors to exit codes. Every verb and every verb group answers `--help`.
 */
import { parseArgs } from 'node:util';
import { exportVerb, importVerb } from './backup.js';
import { policyCheck } from './policy-check.js';
import { policyImpact } from './policy-impact.js';
import { policyTest } from './policy-test.js';
import { token } from './token.js';
import { EXIT, UsageError, type CliIo, type Verb } from './verb.js';

const VERBS: readonly Verb[] = [policyCheck, policyTest, policyImpact, token, exportVerb, importVerb];

function overview(prefix = ''): string {
  const verbs = VERBS.filter((v) => v.name.startsWith(prefix));
  const width = Math.max(...verbs.map((v) => v.name.length));
  return `Usage: portcullis ${prefix ? `${prefix.trim()} ` : ''}<command> [options]   (portcullis <command> --help for more)

${verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`).join('\n')}

Exit status: 0 ok, 1 failed (server unreachable, I/O), 2 bad usage, 3 invalid policy, 4 a policy test failed.
`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const verb = VERBS.find((v) => {
    const words = v.name.split(' ');
    return words.every((w, i) => argv[i] === w);
  });
  if (!verb) {
    const group = argv[0] && VERBS.some((v) => v.name.startsWith(`${argv[0]} `)) ? `${argv[0]} ` : '';
    if (wantsHelp || argv.length === 0 || argv[0] === 'help' || (group && argv.length === 1)) {
      io.out(overview(group));
      return argv.length === 0 || (group && argv.length === 1 && !wantsHelp) ? EXIT.usage : EXIT.ok;
    }
    io.err(`portcullis: unknown command "${argv.slice(0, group ? 2 : 1).join(' ')}"\n\n${overview(group)}`);
    return EXIT.usage;
  }
  if (wantsHelp) {
    io.out(verb.help);
    return EXIT.ok;
  }
  const rest = argv.slice(verb.name.split(' ').length);
  try {
    const parsed = parseArgs({ args: [...rest], options: verb.options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > verb.maxPositionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[verb.maxPositionals]}"`);
    }
    return await verb.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (err) {
    const usage = err instanceof UsageError || String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
    io.err(`portcullis ${verb.name}: ${(err as Error).message}\n`);
    if (usage) {
      io.err(`(portcullis ${verb.name} --help shows the usage)\n`);
      return EXIT.usage;
    }
    return EXIT.failed;
  }
}
