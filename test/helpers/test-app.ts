/**
 * Starts the real Portcullis Koa app on a loopback port for a test file, with the memory store
 * (or the stores given), a known admin token and a JWT secret, and gives a small JSON client.
 * With MONGODB_URI set, each app gets a fresh MongoDB database (dropped on close), so every HTTP
 * test runs against the MongoDB store too.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import { loadConfig } from '../../src/config/config.js';
import { createPortcullis, type Portcullis, type PortcullisOptions } from '../../src/portcullis.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { dropDatabase, freshDbName } from './mongo-env.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdef';

export interface TestResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined for an empty body. */
  body: any;
  text: string;
}

export interface RequestOptions {
  token?: string | null;
  headers?: Record<string, string>;
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
}

export interface TestApp {
  readonly portcullis: Portcullis;
  readonly url: string;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** A JWT for the user, optionally scoped: { project } | { domain } | { system: true }. */
  token(sub: string, scope?: { project?: string; domain?: string; system?: boolean }, ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: PortcullisOptions = {},
): Promise<TestApp> {
  const mongoUri = options.stores ? undefined : (env.MONGODB_URI ?? process.env.MONGODB_URI) || undefined;
  const mongoDb = mongoUri ? (env.MONGODB_DB ?? freshDbName('http')) : undefined;
  const config = loadConfig({
    PORTCULLIS_ADMIN_TOKEN: ADMIN_TOKEN,
    PORTCULLIS_JWT_SECRET: JWT_SECRET,
    PORTCULLIS_POLICY_WATCH: 'false',
    LOG_LEVEL: 'silent',
    ...(mongoUri ? { MONGODB_URI: mongoUri, MONGODB_DB: mongoDb } : {}),
    ...env,
  });
  const portcullis = await createPortcullis(config, {
    log: createLogger(config.logLevel),
    defaultMetrics: false,
    ...options,
  });
  const server: Server = portcullis.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    portcullis,
    url,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
      if (token !== null && !Object.keys(headers).some((h) => /^(authorization|x-auth-token|cookie)$/i.test(h))) {
        headers.Authorization = `Bearer ${token}`;
      }
      let body: string | undefined;
      if (opts.raw !== undefined) body = opts.raw;
      else if (opts.body !== undefined) body = JSON.stringify(opts.body);
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    token: mintToken,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await portcullis.close();
      // A database the caller named is theirs to keep; a fresh one is dropped.
      if (mongoUri && mongoDb && env.MONGODB_DB === undefined) await dropDatabase(mongoUri, mongoDb);
    },
  };
}

/** A JWT signed with the test secret for `sub`, optionally scoped: { project } | { domain } | { system: true }. */
export async function mintToken(
  sub: string,
  scope: { project?: string; domain?: string; system?: boolean } = {},
  ttlSeconds = 3600,
): Promise<string> {
  const claims: Record<string, string> = {};
  if (scope.project) claims.project_id = scope.project;
  else if (scope.domain) claims.domain_id = scope.domain;
  else if (scope.system) claims.system = 'all';
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(JWT_SECRET));
}
