/**
 * Follows the shared change log (src/store/mongo/mongo-change-feed.ts) and applies every other
 * replica's writes to this replica's read model as deltas (docs/architecture.md, "Several
 * replicas on one MongoDB").
 *
 * A poll reads the entries after the last one seen, in order. Done entries are applied, in
 * sequence order, one batch in one synchronous step; pending ones (writes still running) are
 * watched until done. Writes to one record are ordered by the feed, so applying after-images in
 * sequence order leaves every record as the database holds it. An entry pending for longer than
 * the pending timeout is presumed dead and marked abandoned; an abandoned entry, a `reload`
 * entry, or entries lost to the log's retention make the replica reload: it builds a new read
 * model off to the side from a snapshot, catches it up from the log, and swaps it in at once.
 *
 * Polling is the path everywhere (FerretDB v1 and standalone MongoDB have no change streams).
 * A write through this replica polls at once after it is recorded, so this replica's next
 * decision reflects it; `catchUp()` does the same for a caller asking for a fully consistent
 * decision. Staleness for other replicas' writes: one poll interval plus one poll.
 *
 * While polls fail (database unreachable), decisions keep being served from memory until the
 * last successful poll is older than `maxStalenessMs`; `fence()` then refuses them.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Engine } from '../engine/engine.js';
import { RoleGraph } from '../engine/role-graph.js';
import type { ChangeConsumer, ChangeLog, ChangeRecord } from '../store/change-feed.js';
import type { ChangeOp } from '../store/change-ops.js';
import { StoreUnavailableError } from '../store/store-errors.js';
import type { Stores } from '../store/stores.js';
import type { Logger } from '../telemetry/logger.js';
import { emptyMirrors, loadSnapshot, ReadModel } from './read-model.js';

export interface ReplicaSyncStatus {
  readonly mode: 'poll' | 'off';
  readonly intervalMs: number;
  /** Every change up to this one has been applied (or is watched while its write runs). */
  readonly appliedSeq: number;
  /** Changes seen pending (their writes still running), applied once done. */
  readonly pendingSeqs: readonly number[];
  /** Milliseconds since the last successful poll started: how stale decisions may be now. */
  readonly lagMs: number;
  readonly changesApplied: number;
  readonly reloads: number;
  readonly lastReloadAt: string | null;
  readonly lastReloadMs: number | null;
  /** Decisions are refused once lagMs exceeds this (the database unreachable for that long). */
  readonly maxStalenessMs: number;
  readonly servingDecisions: boolean;
  /** The last poll failed (store unreachable); cleared by the next success. */
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

export interface ReplicaSyncDeps {
  readonly stores: Stores;
  readonly changeLog: ChangeLog;
  readonly model: ReadModel;
  readonly engine: Engine;
  readonly log: Logger;
  readonly registry: Registry;
  readonly intervalMs: number;
  readonly pendingTimeoutMs: number;
  readonly maxStalenessMs: number;
}

/** Where a model stands in the log. */
interface Position {
  applied: number;
  /** seq → when this replica first saw it pending (its own clock). */
  readonly watch: Map<number, number>;
}

const BATCH = 1000;

export class ReplicaSync implements ChangeConsumer {
  private position: Position = { applied: 0, watch: new Map() };
  private lastGoodPollStart = Date.now();
  private changesApplied = 0;
  private reloads = 0;
  private lastReloadAt: string | null = null;
  private lastReloadMs: number | null = null;
  private lastError: ReplicaSyncStatus['lastError'] = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly metrics;

  constructor(private readonly deps: ReplicaSyncDeps) {
    const registers = [deps.registry];
    this.metrics = {
      applied: new Counter({ name: 'portcullis_replica_changes_applied_total', help: 'Change-log entries applied to this replica', registers }),
      reloads: new Counter({ name: 'portcullis_replica_reloads_total', help: 'Full reloads of the read model (start included)', registers }),
      errors: new Counter({ name: 'portcullis_replica_sync_errors_total', help: 'Failed polls of the change log', registers }),
      delay: new Histogram({
        name: 'portcullis_replica_apply_delay_seconds',
        help: "From a change's write finishing (writer's clock) to this replica applying it",
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers,
      }),
    };
    const sync = this;
    new Gauge({
      name: 'portcullis_replica_lag_seconds',
      help: 'Seconds since the last successful poll of the change log started (how stale decisions may be)',
      registers,
      collect() {
        this.set(sync.lagMs() / 1000);
      },
    });
    new Gauge({
      name: 'portcullis_replica_applied_sequence',
      help: 'Change-log sequence number this replica has applied up to',
      registers,
      collect() {
        this.set(sync.position.applied);
      },
    });
    new Gauge({
      name: 'portcullis_replica_pending_changes',
      help: 'Changes seen pending (writes still running elsewhere), applied once done',
      registers,
      collect() {
        this.set(sync.position.watch.size);
      },
    });
  }

  /** Loads the read model from a snapshot, catches it up, then follows the log every interval. */
  async start(): Promise<void> {
    await this.reload('start');
    const tick = () => {
      this.timer = setTimeout(() => {
        this.poll().then(
          () => undefined,
          () => undefined,
        ).finally(() => {
          if (this.timer) tick();
        });
      }, this.deps.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** ChangeConsumer: a shared feed delivers nothing synchronously. */
  apply(_ops: readonly ChangeOp[]): void {}

  /** After this replica's own write `seq`: apply the log up to it before the write returns. */
  caughtUp(_seq: number): Promise<void> {
    return this.poll();
  }

  /** A fully consistent read: applies every change finished before this call. */
  catchUp(): Promise<void> {
    return this.poll();
  }

  /** Throws StoreUnavailableError when decisions would be staler than allowed. */
  fence(): void {
    const lag = this.lagMs();
    if (lag > this.deps.maxStalenessMs) {
      throw new StoreUnavailableError(
        `decision data is ${Math.round(lag / 1000)} s old (MongoDB unreachable); decisions are refused past ${this.deps.maxStalenessMs} ms`,
      );
    }
  }

  status(): ReplicaSyncStatus {
    const lagMs = this.lagMs();
    return {
      mode: this.timer ? 'poll' : 'off',
      intervalMs: this.deps.intervalMs,
      appliedSeq: this.position.applied,
      pendingSeqs: [...this.position.watch.keys()],
      lagMs,
      changesApplied: this.changesApplied,
      reloads: this.reloads,
      lastReloadAt: this.lastReloadAt,
      lastReloadMs: this.lastReloadMs,
      maxStalenessMs: this.deps.maxStalenessMs,
      servingDecisions: lagMs <= this.deps.maxStalenessMs,
      lastError: this.lastError,
    };
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([this.running, this.queued]);
  }

  private lagMs(): number {
    return Math.max(0, Date.now() - this.lastGoodPollStart);
  }

  /** A poll that starts after this call; concurrent callers share the next one. */
  private poll(): Promise<void> {
    if (this.queued) return this.queued;
    const after = this.running ?? Promise.resolve();
    const next = after
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        const run = this.pollNow().finally(() => {
          if (this.running === run) this.running = undefined;
        });
        this.running = run;
        return run;
      });
    this.queued = next;
    return next;
  }

  private async pollNow(): Promise<void> {
    const started = Date.now();
    try {
      const outcome = await this.follow(this.deps.model, this.position);
      if (outcome !== 'ok') await this.reload(outcome);
      this.lastGoodPollStart = started;
      if (this.lastError) this.deps.log.info('replica sync: change log reachable again');
      this.lastError = null;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!this.lastError) this.deps.log.warn({ err: message }, 'replica sync failed; retrying');
      this.lastError = { message, at: new Date().toISOString() };
      this.metrics.errors.inc();
      throw err;
    }
  }

  /**
   * Applies to `model` every done entry after `pos`, watching pending ones. Returns 'ok', or why
   * the model must be reloaded instead. `settled(seq)`: the entry was finished before the model's
   * snapshot was read, so a reload it asks for is already in the snapshot.
   */
  private async follow(model: ReadModel, pos: Position, settled: (seq: number) => boolean = () => false): Promise<'ok' | string> {
    const { changeLog } = this.deps;
    for (;;) {
      const fresh = await changeLog.from(pos.applied + 1, BATCH);
      let expected = pos.applied + 1;
      for (const r of fresh) {
        if (r.seq !== expected) return `change ${expected} is no longer in the log (retention); reloading`;
        expected++;
      }
      const now = Date.now();
      for (const r of fresh) if (r.state === 'pending') pos.watch.set(r.seq, now);
      // Read watched entries after the new ones: a later write to the same record finished after
      // the earlier one, so if the later is done here, the earlier is seen done too.
      const watched = pos.watch.size ? await changeLog.get([...pos.watch.keys()]) : [];
      const ready: ChangeRecord[] = fresh.filter((r) => r.state === 'done');
      const found = new Set(watched.map((r) => r.seq));
      for (const seq of pos.watch.keys()) if (!found.has(seq)) return `pending change ${seq} left the log; reloading`;
      for (const r of watched) {
        if (r.state === 'done') {
          ready.push(r);
          pos.watch.delete(r.seq);
        } else if (now - pos.watch.get(r.seq)! > this.deps.pendingTimeoutMs) {
          await changeLog.abandon(r.seq);
          return `change ${r.seq} stayed pending over ${this.deps.pendingTimeoutMs} ms (its writer presumably died); reloading`;
        }
      }
      ready.sort((a, b) => a.seq - b.seq);
      const { policyChanged } = model.apply(ready.flatMap((r) => r.ops));
      if (fresh.length) pos.applied = fresh[fresh.length - 1]!.seq;
      const reloadAt = ready.find((r) => !settled(r.seq) && r.ops.some((o) => o.kind === 'reload'));
      if (reloadAt) return `change ${reloadAt.seq} asked every replica to reload (a bulk load, or a write whose outcome is unknown)`;
      if (model === this.deps.model) {
        this.changesApplied += ready.length;
        this.metrics.applied.inc(ready.length);
        for (const r of ready) if (r.doneAt) this.metrics.delay.observe(Math.max(0, Date.now() - r.doneAt) / 1000);
        if (policyChanged) await this.deps.engine.reload();
      }
      if (fresh.length < BATCH) return 'ok';
    }
  }

  /**
   * Builds a new read model from a snapshot, off to the side, catches it up from the log, then
   * swaps it in at once. The log position is taken before the snapshot, from just before the
   * oldest write still running, so every write the snapshot may have missed is applied after it.
   */
  private async reload(reason: string): Promise<void> {
    const started = Date.now();
    const { changeLog, stores, log } = this.deps;
    log.info({ reason }, 'replica sync: loading the read model from the database');
    let built: { fresh: ReadModel; pos: Position; current: number } | undefined;
    for (let attempt = 1; !built; attempt++) {
      const [latest, pending] = await Promise.all([changeLog.latest(), changeLog.pending()]);
      const runningAtStart = new Set(pending.map((r) => r.seq));
      const settled = (seq: number) => seq <= latest && !runningAtStart.has(seq);
      const pos: Position = { applied: Math.min(latest, (pending[0]?.seq ?? latest + 1) - 1), watch: new Map() };
      const fresh = new ReadModel(new RoleGraph(), this.deps.model.mirrors ? emptyMirrors() : undefined);
      let lastLogged = 0;
      await loadSnapshot(stores, fresh, (what, count, done) => {
        if (done || count - lastLogged >= 50000) {
          lastLogged = done ? 0 : count;
          log.info({ what, count, done, ms: Date.now() - started }, `replica sync: loaded ${count} ${what}`);
        }
      });
      const current = Date.now(); // the new model holds every change finished before this
      const outcome = await this.follow(fresh, pos, settled);
      if (outcome === 'ok') built = { fresh, pos, current };
      // A change that finished while the snapshot was read asked for a reload: read it again.
      else if (attempt >= 3) throw new Error(`replica sync: every snapshot was stale before it was in place: ${outcome}`);
      else log.info({ reason: outcome }, 'replica sync: the snapshot is already stale; loading again');
    }
    const { fresh, pos, current } = built;
    this.deps.model.adopt(fresh);
    this.position = pos;
    this.lastGoodPollStart = Math.max(this.lastGoodPollStart, current);
    await this.deps.engine.reload();
    this.reloads++;
    this.metrics.reloads.inc();
    this.lastReloadMs = Date.now() - started;
    this.lastReloadAt = new Date().toISOString();
    log.info({ reason, ms: this.lastReloadMs, appliedSeq: pos.applied }, 'replica sync: read model loaded');
  }
}
