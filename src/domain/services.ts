/** The service layer, composed once. API families receive the services they need from here. */
import type { Engine } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import type { Stores } from '../store/stores.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { Authorizer } from './authorizer.js';
import { Changes } from './changes.js';
import { DecisionService } from './decision-service.js';
import { PolicyService } from './policy-service.js';
import { RegistryService } from './registry-service.js';
import { SearchService } from './search-service.js';
import { directoryLookup, Subjects, type SubjectSettings, type UserLookup } from './subjects.js';
import { RouteLockService } from './adminlocks/route-lock-service.js';
import { CdnLockService } from './trafficops/cdn-lock-service.js';

export interface Services {
  readonly authorizer: Authorizer;
  readonly decisions: DecisionService;
  readonly subjects: Subjects;
  readonly search: SearchService;
  readonly registry: RegistryService;
  readonly policy: PolicyService;
  readonly changes: Changes;
  readonly cdnLocks: CdnLockService;
  readonly routeLocks: RouteLockService;
}

export interface ServiceDeps {
  readonly stores: Stores;
  readonly graph: RoleGraph;
  readonly engine: Engine;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Which subject types name users, and the domain names are looked up in (Config.subjects). */
  readonly subjectSettings: SubjectSettings;
  /** Serves subject lookups; the directory store by default. */
  readonly userLookup?: UserLookup;
}

export function createServices(deps: ServiceDeps): Services {
  const decisions = new DecisionService(deps.stores, deps.engine, deps.metrics, deps.log);
  const changes = new Changes(deps.stores);
  const authorizer = new Authorizer(deps.engine, deps.metrics);
  const subjects = new Subjects(deps.userLookup ?? directoryLookup(deps.stores.directory), deps.subjectSettings);
  return {
    authorizer,
    decisions,
    subjects,
    search: new SearchService(deps.stores, deps.graph, deps.engine, decisions, subjects),
    registry: new RegistryService(deps.stores),
    policy: new PolicyService(deps.engine, deps.stores, changes),
    changes,
    cdnLocks: new CdnLockService(deps.stores, authorizer),
    routeLocks: new RouteLockService(deps.stores, authorizer),
  };
}
