/**
 * Configuration: read once from the environment into a frozen, typed object. Nothing else in the
 * code reads process.env.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { packageRoot } from './package-root.js';
import { DEFAULT_DECISION_LOG_SIZE } from '../store/decision-log-store.js';

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGODB_URI: z.string().optional(),
  MONGODB_DB: z.string().default('portcullis'),
  PORTCULLIS_ADMIN_TOKEN: z.string().min(16).optional(),
  PORTCULLIS_JWT_SECRET: z.string().min(16).optional(),
  PORTCULLIS_JWT_PUBLIC_KEY: z.string().optional(),
  PORTCULLIS_JWKS_URL: z.url().optional(),
  PORTCULLIS_JWT_ISSUER: z.string().optional(),
  PORTCULLIS_JWT_AUDIENCE: z.string().optional(),
  PORTCULLIS_POLICY_DIR: z.string().optional(),
  PORTCULLIS_MODEL: z.string().optional(),
  PORTCULLIS_POLICY_WATCH: z.enum(['true', 'false']).default('true'),
  PORTCULLIS_PUBLIC_URL: z.string().optional(),
  PORTCULLIS_SYNC_INTERVAL_MS: z.coerce.number().int().min(10).default(100),
  PORTCULLIS_MAX_STALENESS_MS: z.coerce.number().int().min(0).default(30000),
  PORTCULLIS_FEED_RETENTION: z.coerce.number().int().min(100).default(5000),
  PORTCULLIS_FEED_PENDING_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),
  PORTCULLIS_SUBJECT_TYPES: z.string().default('user,identity'),
  PORTCULLIS_SUBJECT_DOMAIN: z.string().min(1).default('*'),
  PORTCULLIS_DECISION_LOG_SIZE: z.coerce.number().int().min(0).max(10_000_000).default(DEFAULT_DECISION_LOG_SIZE),
  PORTCULLIS_SHADOW_POLICY_DIR: z.string().optional(),
  PORTCULLIS_TOKEN_SECRET: z.string().min(32).optional(),
  PORTCULLIS_TOKEN_TTL: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(3600),
  PORTCULLIS_REGION: z.string().min(1).default('RegionOne'),
  PORTCULLIS_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  PORTCULLIS_LOGIN_MAX_FAILURES_PER_SOURCE: z.coerce.number().int().min(1).default(50),
  PORTCULLIS_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  PORTCULLIS_CONSOLE_DIR: z.string().optional(),
});

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  /** Unset: the embedded in-memory store (ephemeral, not for production). */
  readonly mongoUri: string | undefined;
  readonly mongoDb: string;
  readonly adminToken: string;
  /** True when the admin token was generated at start (it is printed once). */
  readonly adminTokenGenerated: boolean;
  readonly jwt: {
    readonly secret: string | undefined;
    readonly publicKey: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
  };
  readonly policyDir: string;
  readonly modelPath: string;
  readonly watchPolicies: boolean;
  /** Base URL used in links (Keystone self links, Manila hrefs); defaults to the request's origin. */
  readonly publicUrl: string | undefined;
  /** How often a replica polls the shared change log (MongoDB only). */
  readonly syncIntervalMs: number;
  /** While the database is unreachable, decisions are served from memory for this long, then refused (503). */
  readonly maxStalenessMs: number;
  /** Change-log entries kept behind the latest; a replica further behind reloads. */
  readonly feedRetention: number;
  /** A change pending this long is presumed dead (its writer crashed mid-write). */
  readonly feedPendingTimeoutMs: number;
  readonly subjects: {
    /** AuthZEN subject types that name directory users (others are refused). */
    readonly types: readonly string[];
    /** Domain id whose user names subjects are looked up by, or `*` for every domain. */
    readonly domain: string;
  };
  /** How many decisions the decision log keeps (0: none). */
  readonly decisionLogSize: number;
  /** A second policy directory that decides everything too, without affecting answers. */
  readonly shadowPolicyDir: string | undefined;
  /** Tokens Portcullis issues (POST /v3/auth/tokens and the other families' logins). */
  readonly tokens: {
    /** HS256 key; unset: a key generated once and shared by every replica through the store. */
    readonly secret: string | undefined;
    readonly ttlSeconds: number;
    /** The region the service catalog names. */
    readonly region: string;
  };
  /** Failed-password throttling: at most `maxFailures` per (user, source) and `maxFailuresPerSource` per source, per window. */
  readonly login: {
    readonly maxFailures: number;
    readonly maxFailuresPerSource: number;
    readonly windowSeconds: number;
  };
  /** The built admin console served at /console (scripts/build-console.mjs writes it). */
  readonly consoleDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  // Hex, not base64url: a token starting with '-' would be read as an option by `portcullis --token $X`.
  const adminToken = e.PORTCULLIS_ADMIN_TOKEN ?? randomBytes(24).toString('hex');
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    mongoUri: e.MONGODB_URI || undefined,
    mongoDb: e.MONGODB_DB,
    adminToken,
    adminTokenGenerated: e.PORTCULLIS_ADMIN_TOKEN === undefined,
    jwt: Object.freeze({
      secret: e.PORTCULLIS_JWT_SECRET,
      publicKey: e.PORTCULLIS_JWT_PUBLIC_KEY,
      jwksUrl: e.PORTCULLIS_JWKS_URL,
      issuer: e.PORTCULLIS_JWT_ISSUER,
      audience: e.PORTCULLIS_JWT_AUDIENCE,
    }),
    policyDir: path.resolve(cwd, e.PORTCULLIS_POLICY_DIR ?? 'policies'),
    modelPath: path.resolve(cwd, e.PORTCULLIS_MODEL ?? 'model.conf'),
    watchPolicies: e.PORTCULLIS_POLICY_WATCH === 'true',
    publicUrl: e.PORTCULLIS_PUBLIC_URL?.replace(/\/+$/, ''),
    syncIntervalMs: e.PORTCULLIS_SYNC_INTERVAL_MS,
    maxStalenessMs: e.PORTCULLIS_MAX_STALENESS_MS,
    feedRetention: e.PORTCULLIS_FEED_RETENTION,
    feedPendingTimeoutMs: e.PORTCULLIS_FEED_PENDING_TIMEOUT_MS,
    subjects: Object.freeze({
      types: Object.freeze(e.PORTCULLIS_SUBJECT_TYPES.split(',').map((t) => t.trim()).filter(Boolean)),
      domain: e.PORTCULLIS_SUBJECT_DOMAIN,
    }),
    decisionLogSize: e.PORTCULLIS_DECISION_LOG_SIZE,
    shadowPolicyDir: e.PORTCULLIS_SHADOW_POLICY_DIR ? path.resolve(cwd, e.PORTCULLIS_SHADOW_POLICY_DIR) : undefined,
    tokens: Object.freeze({
      secret: e.PORTCULLIS_TOKEN_SECRET,
      ttlSeconds: e.PORTCULLIS_TOKEN_TTL,
      region: e.PORTCULLIS_REGION,
    }),
    login: Object.freeze({
      maxFailures: e.PORTCULLIS_LOGIN_MAX_FAILURES,
      maxFailuresPerSource: e.PORTCULLIS_LOGIN_MAX_FAILURES_PER_SOURCE,
      windowSeconds: e.PORTCULLIS_LOGIN_WINDOW_SECONDS,
    }),
    consoleDir: e.PORTCULLIS_CONSOLE_DIR ? path.resolve(cwd, e.PORTCULLIS_CONSOLE_DIR) : path.join(packageRoot(), 'dist', 'console'),
  });
}
