/** Types of scripts/build-console.mjs, for the tests that build the console themselves. */
export interface WrittenFile {
  /** Relative to the output directory, e.g. `assets/app-3F2A1B4C.js`. */
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}
export function buildConsole(options?: { outDir?: string }): Promise<WrittenFile[]>;
