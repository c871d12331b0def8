/**
 * A JWT's `sub` in the app's ids: the user it names is looked up as an AuthZEN subject is (by
 * directory id, else by user name in the default domain; see domain/subjects.ts), so roles
 * granted to that user count for the token. A `sub` the directory does not know stays as it is
 * (a user with no roles); one that names users in two domains is not a valid credential.
 */
import type { Authenticator } from './authenticator.js';

export interface TokenSubjects {
  /** The directory user id, the sub itself when unknown, undefined when ambiguous. */
  userIdForToken(sub: string): Promise<string | undefined>;
}

export function resolvingTokenSubjects(inner: Authenticator, subjects: TokenSubjects): Authenticator {
  return {
    async verify(credential) {
      const identity = await inner.verify(credential);
      if (!identity || identity.via !== 'jwt') return identity;
      const userId = await subjects.userIdForToken(identity.userId);
      return userId === undefined ? undefined : { ...identity, userId };
    },
  };
}
