/**
 * jose (JWT signing and verification), loaded on first use: a server whose callers present the
 * admin token, or no token at all, never reads a JWT, and loading jose's ~45 modules is part of
 * every start otherwise. Both JWT readers (the authenticator's external keys, the token service's
 * own tokens) share the one load.
 */
let jose: Promise<typeof import('jose')> | undefined;

export const loadJose = (): Promise<typeof import('jose')> => (jose ??= import('jose'));
