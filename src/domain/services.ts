/** The service layer, composed once. API families receive the services they need from here. */
import type { Engine } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import type { Stores } from '../store/stores.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { LoginThrottle, type LoginThrottleOptions } from './auth/login-throttle.js';
import { argon2idHasher } from './auth/password-hasher.js';
import { PasswordService } from './auth/password-service.js';
import { TokenService } from './auth/token-service.js';
import { Authorizer } from './authorizer.js';
import { CallerProfileService } from './caller-profile.js';
import { DecisionJournal } from './decision-journal.js';
import type { ShadowDecider } from './shadow-policy.js';
import { DecisionService } from './decision-service.js';
import { DecisionLogService } from './decision-log-service.js';
import { ImpactService } from './impact-service.js';
import { PolicyFileService } from './policy-file-service.js';
import { BackupService } from './backup/backup-service.js';
import { PolicyService } from './policy-service.js';
import { RegistryService } from './registry-service.js';
import { SearchService } from './search-service.js';
import { directoryLookup, Subjects, type SubjectSettings, type UserLookup } from './subjects.js';
import { RouteLockService } from './adminlocks/route-lock-service.js';
import { LockOverviewService } from './lock-overview.js';
import { ManilaLockService } from './manila/lock-service.js';
import { CdnLockService } from './trafficops/cdn-lock-service.js';

export interface Services {
  readonly authorizer: Authorizer;
  readonly decisions: DecisionService;
  readonly decisionLog: DecisionLogService;
  readonly impact: ImpactService;
  /** The policy files as text, and applying an edit of one (GET/PUT /v1/policy/files). */
  readonly policyFiles: PolicyFileService;
  readonly backup: BackupService;
  readonly subjects: Subjects;
  readonly search: SearchService;
  readonly registry: RegistryService;
  readonly policy: PolicyService;
  /** Fully consistent reads: applies every change finished anywhere before the call (no-op on one replica). */
  readonly consistency: { catchUp(): Promise<void> };
  readonly manilaLocks: ManilaLockService;
  readonly cdnLocks: CdnLockService;
  readonly routeLocks: RouteLockService;
  /** The three lock families in one list (GET /v1/locks). */
  readonly lockOverview: LockOverviewService;
  /** Who a caller is and which permissions it holds (GET /v1/me). */
  readonly callerProfile: CallerProfileService;
  /** Users' passwords: verify a login, set or remove a password (auth/password-service.ts). */
  readonly passwords: PasswordService;
  /** Tokens Portcullis issues, validates and revokes (auth/token-service.ts). */
  readonly tokens: TokenService;
}

/** What logins and tokens are configured with (see Config.tokens, Config.login). */
export interface AuthSettings {
  /** The token signing key (auth/token-service.ts `tokenKey`). */
  readonly tokenKey: Uint8Array;
  readonly tokenTtlSeconds: number;
  readonly login: LoginThrottleOptions;
}

export interface ServiceDeps {
  readonly stores: Stores;
  /**
   * What decisions and searches read: on MongoDB, the in-memory mirrors (decision-view.ts);
   * otherwise the stores themselves.
   */
  readonly decisionStores?: Stores;
  /** Applies every change other replicas finished before the call (MongoDB's replica sync). */
  readonly catchUp?: () => Promise<void>;
  readonly graph: RoleGraph;
  readonly engine: Engine;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly auth: AuthSettings;
  /** Which subject types name users, and the domain names are looked up in (Config.subjects). */
  readonly subjectSettings: SubjectSettings;
  /** Serves subject lookups; the directory store by default. */
  readonly userLookup?: UserLookup;
  /** The live policy directory (drafts replace files of it). */
  readonly policyDir: string;
  /** The shadow policy (PORTCULLIS_SHADOW_POLICY_DIR), when configured. */
  readonly shadow?: ShadowDecider;
}

export function createServices(deps: ServiceDeps): Services {
  const read = deps.decisionStores ?? deps.stores;
  // The decision log is the store's own (shared by replicas on MongoDB), never a read mirror.
  const journal = new DecisionJournal({ store: deps.stores.decisionLog, graph: deps.graph, metrics: deps.metrics, log: deps.log, ...(deps.shadow ? { shadow: deps.shadow } : {}) });
  const decisions = new DecisionService(read, deps.engine, deps.metrics, journal);
  const authorizer = new Authorizer(deps.engine, deps.metrics, journal);
  // Subjects are resolved on the decision path: from the mirrors on MongoDB, like resources.
  const subjects = new Subjects(deps.userLookup ?? directoryLookup(read.directory), deps.subjectSettings);
  const manilaLocks = new ManilaLockService({ stores: deps.stores, authorizer });
  const cdnLocks = new CdnLockService(deps.stores, authorizer);
  const routeLocks = new RouteLockService(deps.stores, authorizer);
  return {
    authorizer,
    decisions,
    subjects,
    decisionLog: new DecisionLogService(deps.stores.decisionLog),
    backup: new BackupService(deps.stores, deps.engine),
    impact: new ImpactService({ live: deps.engine, graph: deps.graph, stores: deps.stores, policyDir: deps.policyDir }),
    policyFiles: new PolicyFileService({ engine: deps.engine, stores: deps.stores, policyDir: deps.policyDir }),
    search: new SearchService(read, deps.graph, deps.engine, decisions, subjects),
    registry: new RegistryService(deps.stores),
    policy: new PolicyService(deps.engine, deps.stores, deps.shadow),
    consistency: { catchUp: deps.catchUp ?? (async () => {}) },
    manilaLocks,
    cdnLocks,
    routeLocks,
    lockOverview: new LockOverviewService({ stores: deps.stores, manila: manilaLocks, cdn: cdnLocks, route: routeLocks }),
    callerProfile: new CallerProfileService(deps.stores, deps.graph, authorizer),
    passwords: new PasswordService({
      directory: deps.stores.directory,
      passwords: deps.stores.passwords,
      tokens: deps.stores.tokens,
      hasher: argon2idHasher,
      throttle: new LoginThrottle(deps.auth.login),
      log: deps.log,
      tokenTtlMs: deps.auth.tokenTtlSeconds * 1000,
    }),
    tokens: new TokenService({
      directory: deps.stores.directory,
      tokens: deps.stores.tokens,
      key: deps.auth.tokenKey,
      ttlSeconds: deps.auth.tokenTtlSeconds,
    }),
  };
}
