/**
 * Everything the HTTP layer may use, built once by `createPortcullis` (or a test) and passed
 * explicitly: no module-level singletons.
 */
import type { Authenticator } from './auth/authenticator.js';
import type { Config } from './config/config.js';
import type { Engine } from './engine/engine.js';
import type { RoleGraph } from './engine/role-graph.js';
import type { Services } from './domain/services.js';
import type { ReplicaSync } from './domain/replica-sync.js';
import type { ApiDocs } from './api/shared/openapi.js';
import type { Stores } from './store/stores.js';
import type { Logger } from './telemetry/logger.js';
import type { Metrics } from './telemetry/metrics.js';

/** Where the process is in its life; the HTTP server flips `draining` when it starts to stop. */
export interface Lifecycle {
  draining: boolean;
}

export interface AppContext {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly stores: Stores;
  readonly graph: RoleGraph;
  readonly engine: Engine;
  readonly authenticator: Authenticator;
  readonly services: Services;
  /** Families register their routes' schemas here; served at /openapi.json. */
  readonly docs: ApiDocs;
  readonly lifecycle: Lifecycle;
  /** Follows other replicas' writes (MongoDB store only); its state is shown by /readyz. */
  readonly sync?: ReplicaSync;
}
