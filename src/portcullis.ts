/**
 * Composition root: builds stores, role graph, engine, services and the Koa app from a Config.
 * Only this module (and tests through it) wires concrete instances together.
 */
import { readFile } from 'node:fs/promises';
import type Koa from 'koa';
import type { AppContext } from './app-context.js';
import { createApp } from './app.js';
import { ApiDocs } from './api/shared/openapi.js';
import type { ApiFamily } from './api/shared/family.js';
import { createAuthenticator } from './auth/authenticator.js';
import { resolvingTokenSubjects } from './auth/token-subjects.js';
import type { Config } from './config/config.js';
import { bootstrapIfEmpty } from './domain/bootstrap.js';
import { decisionView } from './domain/decision-view.js';
import { emptyMirrors, loadSnapshot, ReadModel } from './domain/read-model.js';
import { ReplicaSync } from './domain/replica-sync.js';
import { filesAndStore } from './domain/policy-source.js';
import { createServices } from './domain/services.js';
import { ShadowPolicy } from './domain/shadow-policy.js';
import { tokenKey } from './domain/auth/token-service.js';
import { Engine } from './engine/engine.js';
import { watchPolicyDir, type PolicyWatcher } from './engine/policy-watcher.js';
import { RoleGraph } from './engine/role-graph.js';
import { createMemoryStores } from './store/memory/memory-stores.js';
import type { Stores } from './store/stores.js';
import { createLogger, type Logger } from './telemetry/logger.js';
import { createMetrics } from './telemetry/metrics.js';

export interface Portcullis {
  readonly app: Koa;
  readonly context: AppContext;
  close(): Promise<void>;
}

export interface PortcullisOptions {
  readonly log?: Logger;
  /** Use these stores instead of the ones the config names (tests). */
  readonly stores?: Stores;
  /** Collect Node process metrics (off in tests, which build many apps). */
  readonly defaultMetrics?: boolean;
  /** Families served besides the built-in ones (the benchmark's no-op endpoint). */
  readonly extraFamilies?: (context: AppContext) => ApiFamily[];
}

export async function createPortcullis(config: Config, options: PortcullisOptions = {}): Promise<Portcullis> {
  const log = options.log ?? createLogger(config.logLevel);
  const stores = options.stores ?? (await openStores(config, log));
  await bootstrapIfEmpty(stores);
  const graph = new RoleGraph();
  // What decisions read, in memory: the role graph, and on a shared store mirrors of the rest.
  const model = new ReadModel(graph, stores.changeLog ? emptyMirrors() : undefined);
  const modelText = await readFile(config.modelPath, 'utf8');
  const engine = new Engine(graph, modelText, filesAndStore(config.policyDir, stores.policyRules));
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  // Only a shared store has other replicas to follow; the memory store is one process.
  const sync = stores.changeLog
    ? new ReplicaSync({
        stores,
        changeLog: stores.changeLog,
        model,
        engine,
        log,
        registry: metrics.registry,
        intervalMs: config.syncIntervalMs,
        pendingTimeoutMs: config.feedPendingTimeoutMs,
        maxStalenessMs: config.maxStalenessMs,
      })
    : undefined;
  if (sync) {
    stores.changes.attach(sync);
    await sync.start(); // snapshot, caught up from the change log, engine loaded
  } else {
    await loadSnapshot(stores, model);
    stores.changes.attach(model);
    await engine.reload();
  }
  const auth = {
    tokenKey: await tokenKey(config.tokens.secret, stores.tokens),
    tokenTtlSeconds: config.tokens.ttlSeconds,
    login: config.login,
  };
  const shadow = config.shadowPolicyDir ? new ShadowPolicy(config.shadowPolicyDir, { graph, modelText, stores, log }) : undefined;
  await shadow?.start(engine, config.watchPolicies);
  const decisionStores = sync ? decisionView(stores, model, () => sync.fence()) : stores;
  const services = createServices({
    stores,
    decisionStores,
    graph,
    engine,
    metrics,
    log,
    auth,
    subjectSettings: config.subjects,
    ...(sync ? { catchUp: () => sync.catchUp() } : {}),
    policyDir: config.policyDir,
    ...(shadow ? { shadow } : {}),
  });
  const authenticator = resolvingTokenSubjects(await createAuthenticator(config, services.tokens), services.subjects);
  const context: AppContext = {
    config,
    log,
    metrics,
    stores,
    graph,
    engine,
    authenticator,
    services,
    docs: new ApiDocs(),
    lifecycle: { draining: false },
    ...(sync ? { sync } : {}),
  };
  const app = createApp(context, options.extraFamilies?.(context) ?? []);
  let watcher: PolicyWatcher | undefined;
  if (config.watchPolicies) {
    watcher = watchPolicyDir(
      config.policyDir,
      async () => {
        const status = await engine.reload();
        log.info({ version: status.version, rules: status.rules }, 'policy reloaded');
      },
      (err) => log.error({ err: (err as Error).message }, 'policy reload failed; previous policy stays in force'),
    );
  }
  return {
    app,
    context,
    async close() {
      context.lifecycle.draining = true;
      watcher?.close();
      shadow?.close();
      await sync?.stop();
      await stores.close();
    },
  };
}

/**
 * The memory store, or MongoDB when MONGODB_URI is set (fails fast when it cannot be reached).
 * The MongoDB modules are loaded only then: the driver and typeorm (the Casbin adapter's) add
 * ~60 MB of RSS to a process that does not use them.
 */
async function openStores(config: Config, log: Logger): Promise<Stores> {
  if (!config.mongoUri) return createMemoryStores({ decisionLogSize: config.decisionLogSize });
  const { openMongoStores, redact } = await import('./store/mongo/mongo-stores.js');
  log.info({ uri: redact(config.mongoUri), db: config.mongoDb }, 'connecting to MongoDB');
  return openMongoStores({
    uri: config.mongoUri,
    dbName: config.mongoDb,
    feed: { retention: config.feedRetention, pendingTimeoutMs: config.feedPendingTimeoutMs },
    decisionLogSize: config.decisionLogSize,
  });
}
