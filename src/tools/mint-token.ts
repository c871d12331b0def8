/**
 * `npm run token -- --sub <user-id> [--project <id> | --domain <id> | --system] [--ttl 3600]`
 * Mints an HS256 development token with PORTCULLIS_JWT_SECRET and prints it.
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    project: { type: 'string' },
    domain: { type: 'string' },
    system: { type: 'boolean', default: false },
    ttl: { type: 'string', default: '3600' },
  },
});

const secret = process.env.PORTCULLIS_JWT_SECRET;
if (!values.sub || !secret) {
  process.stderr.write(
    'usage: PORTCULLIS_JWT_SECRET=<secret, 16+ chars> npm run token -- --sub <user-id> [--project <id> | --domain <id> | --system] [--ttl seconds]\n',
  );
  process.exit(2);
}
const claims: Record<string, string> = {};
if (values.project) claims.project_id = values.project;
else if (values.domain) claims.domain_id = values.domain;
else if (values.system) claims.system = 'all';
const ttl = Number.parseInt(values.ttl!, 10);
const token = await new SignJWT(claims)
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(values.sub)
  .setIssuedAt()
  .setExpirationTime(Math.floor(Date.now() / 1000) + (Number.isFinite(ttl) ? ttl : 3600))
  .sign(new TextEncoder().encode(secret));
process.stdout.write(`${token}\n`);
