/**
 * The store bundle: one small interface per aggregate, composed with readiness and shutdown.
 * `memory` and `mongodb` implement it and pass the same contract suite (test/store/contract).
 */
import type { ChangeFeed, ChangeLog } from './change-feed.js';
import type { PasswordStore, TokenStore } from './credential-store.js';
import type { DecisionLogStore } from './decision-log-store.js';
import type { DirectoryStore } from './directory-store.js';
import type { CdnLockStore, ManilaLockStore, RouteLockStore } from './lock-stores.js';
import type { PolicyRuleStore } from './policy-rule-store.js';
import type { ResourceStore } from './resource-store.js';
import type { GrantStore, InferenceStore, RoleStore } from './role-store.js';

export interface Stores {
  readonly kind: 'memory' | 'mongodb';
  readonly directory: DirectoryStore;
  readonly roles: RoleStore;
  readonly inferences: InferenceStore;
  readonly grants: GrantStore;
  readonly resources: ResourceStore;
  readonly manilaLocks: ManilaLockStore;
  readonly cdnLocks: CdnLockStore;
  readonly routeLocks: RouteLockStore;
  readonly policyRules: PolicyRuleStore;
  /** Every write above goes through it (see change-feed.ts and publishing-stores.ts). */
  readonly changes: ChangeFeed;
  /** The shared change log other replicas' writes arrive through (MongoDB only). */
  readonly changeLog?: ChangeLog;
  /** The last N decisions (memory ring; capped collection on MongoDB). */
  readonly decisionLog: DecisionLogStore;
  readonly passwords: PasswordStore;
  readonly tokens: TokenStore;
  /** True when the backing database answers. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
