/** JWTs verified with a PEM public key and with a JWKS endpoint (a local HTTP server). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const sign = (key: PrivateKey, alg: string, sub: string, kid?: string) =>
  new SignJWT({ system: 'all' })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setSubject(sub)
    .setExpirationTime('1h')
    .sign(key);

describe('JWT verification with public keys', () => {
  const apps: TestApp[] = [];
  let jwks: Server | undefined;
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    jwks?.close();
  });

  it.each(['ES256', 'RS256', 'EdDSA'])('accepts %s tokens signed by the configured PEM key, and no other', async (alg) => {
    const pair = await generateKeyPair(alg, { extractable: true });
    const other = await generateKeyPair(alg, { extractable: true });
    const t = await startTestApp({ PORTCULLIS_JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey) });
    apps.push(t);
    const ask = (token: string) => t.request('GET', '/v1/policy', { token });
    expect((await ask(await sign(pair.privateKey, alg, 'admin'))).status).toBe(200);
    expect((await ask(await sign(other.privateKey, alg, 'admin'))).status).toBe(401);
  });

  it('accepts tokens whose key is published at PORTCULLIS_JWKS_URL', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const t = await startTestApp({ PORTCULLIS_JWKS_URL: url });
    apps.push(t);
    const good = await t.request('GET', '/v1/policy', { token: await sign(pair.privateKey, 'ES256', 'admin', 'k1') });
    expect(good.status).toBe(200);
    const stranger = await generateKeyPair('ES256', { extractable: true });
    const bad = await t.request('GET', '/v1/policy', { token: await sign(stranger.privateKey, 'ES256', 'admin', 'k1') });
    expect(bad.status).toBe(401);
  });
});
