import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const VERBS = [['policy', 'check'], ['policy', 'test'], ['policy', 'impact'], ['token'], ['export'], ['import']];

describe('portcullis command', () => {
  it.each(VERBS)('answers --help on %s %s', async (...verb) => {
    const r = await cli([...verb.filter(Boolean), '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Usage: (PORTCULLIS_JWT_SECRET=<secret> )?portcullis ${verb.filter(Boolean).join(' ')}`));
    expect(r.out).toMatch(/Exit status:/);
  });

  it('lists the verbs with --help, and exits 2 with the list when given no verb or an unknown one', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const v of VERBS) expect(help.out).toContain(`  ${v.filter(Boolean).join(' ')} `);
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['polcy', 'check']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "polcy"/);
    const group = await cli(['policy', '--help']);
    expect(group.code).toBe(0);
    expect(group.out).toMatch(/policy check/);
    expect((await cli(['policy', 'frobnicate'])).code).toBe(2);
  });

  it('mints a token the server accepts, scoped as asked', async () => {
    const secret = 'cli-test-secret-0123456789';
    const r = await cli(['token', '--sub', 'alice', '--project', 'p1', '--ttl', '60'], { env: { PORTCULLIS_JWT_SECRET: secret } });
    expect(r.code).toBe(0);
    const { payload } = await jwtVerify(r.out.trim(), new TextEncoder().encode(secret));
    expect(payload).toMatchObject({ sub: 'alice', project_id: 'p1' });
    expect(payload.exp! - payload.iat!).toBe(60);
    const sys = await cli(['token', '--sub', 'bob', '--system'], { env: { PORTCULLIS_JWT_SECRET: secret } });
    expect(decodeJwt(sys.out.trim())).toMatchObject({ sub: 'bob', system: 'all' });
  });

  it('refuses a token without --sub, without a secret, or with two scopes (exit 2)', async () => {
    const env = { PORTCULLIS_JWT_SECRET: 'cli-test-secret-0123456789' };
    expect((await cli(['token'], { env })).code).toBe(2);
    expect((await cli(['token', '--sub', 'a'])).err).toMatch(/PORTCULLIS_JWT_SECRET/);
    expect((await cli(['token', '--sub', 'a', '--project', 'p', '--system'], { env })).code).toBe(2);
    expect((await cli(['token', '--sub', 'a', '--ttl', 'soon'], { env })).code).toBe(2);
  });
});
