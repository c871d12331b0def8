/** `portcullis token --sub <user>`: mints an HS256 development token with PORTCULLIS_JWT_SECRET. */
import { SignJWT } from 'jose';
import { EXIT, str, UsageError, type Verb } from './verb.js';

export const token: Verb = {
  name: 'token',
  summary: 'mint a development JWT (HS256, signed with $PORTCULLIS_JWT_SECRET)',
  help: `Usage: PORTCULLIS_JWT_SECRET=<secret> portcullis token --sub USER [--project ID | --domain ID | --system] [--ttl SECONDS]

Prints a JWT for USER, signed with the secret the server verifies user tokens with
(PORTCULLIS_JWT_SECRET, 16+ characters). The scope claim decides which of the user's roles count:
--project ID (project_id), --domain ID (domain_id), --system (system: "all"); without one the
token is system-scoped. Roles never come from the token.

  --sub USER      user id (the token's sub)
  --ttl SECONDS   lifetime (default 3600)

Exit status: 0 printed, 2 bad usage or no secret.
`,
  options: {
    sub: { type: 'string' },
    project: { type: 'string' },
    domain: { type: 'string' },
    system: { type: 'boolean' },
    ttl: { type: 'string' },
  },
  maxPositionals: 0,
  async run(args, io) {
    const sub = str(args, 'sub');
    const secret = io.env.PORTCULLIS_JWT_SECRET;
    if (!sub) throw new UsageError('--sub USER is required');
    if (!secret || secret.length < 16) throw new UsageError('set PORTCULLIS_JWT_SECRET (16+ characters) to the server\'s secret');
    const scopes = [str(args, 'project'), str(args, 'domain'), args.values.system ? 'system' : undefined].filter(Boolean);
    if (scopes.length > 1) throw new UsageError('give at most one of --project, --domain, --system');
    const ttl = Number(str(args, 'ttl') ?? '3600');
    if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError('--ttl takes a positive number of seconds');
    const claims: Record<string, string> = {};
    if (str(args, 'project')) claims.project_id = str(args, 'project')!;
    else if (str(args, 'domain')) claims.domain_id = str(args, 'domain')!;
    else if (args.values.system) claims.system = 'all';
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
      .sign(new TextEncoder().encode(secret));
    io.out(`${jwt}\n`);
    return EXIT.ok;
  },
};
