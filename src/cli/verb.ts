/**
 * What every `portcullis` verb shares: its I/O (injected, so tests run verbs in process), exit
 * codes, and the shape the dispatcher reads help and options from.
 */
import type { ParseArgsConfig } from 'node:util';

/** Exit codes, the same for every verb (README "The portcullis command"). */
export const EXIT = {
  ok: 0,
  /** Something failed that is not the input's fault: server unreachable, I/O error. */
  failed: 1,
  /** Bad usage: unknown verb or option, missing argument, unreadable test suite. */
  usage: 2,
  /** The policy (or a draft of it) does not load. */
  invalidPolicy: 3,
  /** A policy test failed. */
  testFailed: 4,
} as const;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Reads all of standard input (import reads a document from `-`). */
  stdin(): Promise<string>;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: readonly string[];
}

export interface Verb {
  /** As typed: `policy check`, `token`. */
  readonly name: string;
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  readonly options: Options;
  readonly maxPositionals: number;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Thrown by a verb for bad usage; the dispatcher prints it with a pointer to --help (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const str = (args: ParsedArgs, name: string): string | undefined => {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
};
