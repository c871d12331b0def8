/**
 * Keeps this replica's role graph and policy in step with writes made by other replicas on the
 * same database (docs/architecture.md "Several replicas on one MongoDB"). Every `intervalMs` it reads the shared version counter;
 * when the counter moved past what this replica last applied, it re-reads the role graph from the
 * store (`loadRoleGraph`, applied in one synchronous step) and reloads the engine.
 *
 * Polling is the path everywhere: FerretDB v1 and standalone MongoDB have no change streams.
 * Staleness bound: a write acknowledged by one replica is in every other replica's decisions at
 * most `intervalMs` + one rebuild later. Locks, resources and ownership are read from the store per
 * decision, so they are never stale.
 *
 * The version is read before the snapshot, so a write that lands during a rebuild bumps the
 * counter past the applied value and triggers another rebuild on the next tick (never lost).
 * This replica's own writes also move the counter and cause one rebuild (cheap: tens of ms), and
 * a local write racing a rebuild may be missing from this replica's graph until the next tick.
 */
import type { Engine } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import type { Stores } from '../store/stores.js';
import type { Logger } from '../telemetry/logger.js';
import { loadRoleGraph } from './graph-loader.js';

export interface ReplicaSyncStatus {
  readonly mode: 'poll' | 'off';
  readonly intervalMs: number;
  /** Shared version this replica's graph and policy reflect. */
  readonly appliedVersion: number;
  readonly rebuilds: number;
  readonly lastCheckAt: string | null;
  readonly lastRebuildAt: string | null;
  readonly lastRebuildMs: number | null;
  /** The last check failed (store unreachable, reload error); cleared by the next success. */
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

export interface ReplicaSyncDeps {
  readonly stores: Stores;
  readonly graph: RoleGraph;
  readonly engine: Engine;
  readonly log: Logger;
  readonly intervalMs: number;
}

export class ReplicaSync {
  private applied = 0;
  private rebuilds = 0;
  private lastCheckAt: string | null = null;
  private lastRebuildAt: string | null = null;
  private lastRebuildMs: number | null = null;
  private lastError: ReplicaSyncStatus['lastError'] = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: ReplicaSyncDeps) {}

  /** Starts polling; `startVersion` is the version the graph was loaded at. */
  start(startVersion: number): void {
    this.applied = startVersion;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.running = this.check().finally(() => {
          this.running = undefined;
          if (this.timer) tick();
        });
      }, this.deps.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** One check: rebuild when the shared version moved. Never throws; errors land in status(). */
  async check(): Promise<void> {
    try {
      const version = await this.deps.stores.version.current();
      this.lastCheckAt = new Date().toISOString();
      if (version > this.applied) {
        const started = performance.now();
        await loadRoleGraph(this.deps.graph, this.deps.stores);
        await this.deps.engine.reload();
        this.applied = version;
        this.rebuilds++;
        this.lastRebuildMs = Math.round(performance.now() - started);
        this.lastRebuildAt = new Date().toISOString();
        this.deps.log.debug({ version, ms: this.lastRebuildMs }, 'replica sync: rebuilt from the store');
      }
      if (this.lastError) this.deps.log.info('replica sync: store reachable again');
      this.lastError = null;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!this.lastError) this.deps.log.warn({ err: message }, 'replica sync failed; retrying');
      this.lastError = { message, at: new Date().toISOString() };
    }
  }

  status(): ReplicaSyncStatus {
    return {
      mode: this.timer ? 'poll' : 'off',
      intervalMs: this.deps.intervalMs,
      appliedVersion: this.applied,
      rebuilds: this.rebuilds,
      lastCheckAt: this.lastCheckAt,
      lastRebuildAt: this.lastRebuildAt,
      lastRebuildMs: this.lastRebuildMs,
      lastError: this.lastError,
    };
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
