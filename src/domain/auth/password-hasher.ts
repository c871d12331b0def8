/**
 * Password hashing with argon2id (@node-rs/argon2: the Rust argon2 crate behind N-API, shipped as
 * prebuilt per-platform packages, so `npm ci` runs no compiler and no install script; hashing runs
 * off the event loop). Parameters are the library's defaults, which are OWASP's argon2id minimum
 * (19 MiB, 2 passes, 1 lane). Hashes are PHC strings, so a later change of parameters still
 * verifies old hashes.
 */

/**
 * The library, loaded on first use: a server whose callers present tokens never hashes a
 * password, and loading the native module costs ~35 ms of CPU at startup.
 */
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const library = () => (argon2 ??= import('@node-rs/argon2'));

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or a malformed hash; never throws for either. */
  verify(hashed: string, password: string): Promise<boolean>;
}

export const argon2idHasher: PasswordHasher = {
  hash: async (password) => (await library()).hash(password),
  async verify(hashed, password) {
    const { verify } = await library();
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  },
};
