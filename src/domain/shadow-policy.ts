/**
 * The shadow policy (PORTCULLIS_SHADOW_POLICY_DIR): a second Engine over another policy
 * directory (plus the rules stored at run time), on the same model and the same role graph,
 * watched and reloaded like the live one and reloaded whenever the live one is (stored rules
 * change both). The decision journal asks it every question the live engine answers and records
 * its answer beside the live one; it never changes an answer. Its rows cite `shadow/<file>:<line>`.
 * A shadow that fails to load is logged and shown in GET /v1/policy; the last one that loaded
 * keeps deciding (none at all until one loads).
 */
import { Engine, type PolicyStatus } from '../engine/engine.js';
import { watchPolicyDir, type PolicyWatcher } from '../engine/policy-watcher.js';
import type { RoleGraph } from '../engine/role-graph.js';
import type { Stores } from '../store/stores.js';
import type { Logger } from '../telemetry/logger.js';
import { filesAndStore } from './policy-source.js';

export interface ShadowStatus extends PolicyStatus {
  readonly dir: string;
}

/** What the rest of Portcullis sees of a shadow policy. */
export interface ShadowDecider {
  /** The shadow engine, when it is loaded; undefined while it is not (no shadow answer then). */
  current(): Engine | undefined;
  status(): ShadowStatus;
}

export class ShadowPolicy implements ShadowDecider {
  private readonly engine: Engine;
  private readonly log: Logger;
  private watcher: PolicyWatcher | undefined;

  constructor(
    private readonly dir: string,
    deps: { readonly graph: RoleGraph; readonly modelText: string; readonly stores: Stores; readonly log: Logger },
  ) {
    this.engine = new Engine(deps.graph, deps.modelText, filesAndStore(dir, deps.stores.policyRules, 'shadow'));
    this.log = deps.log;
  }

  /** Loads the shadow, follows the live engine's reloads, and (when asked) watches the directory. */
  async start(live: Engine, watch: boolean): Promise<void> {
    await this.reload();
    live.onReload(() => void this.reload());
    if (watch) this.watcher = watchPolicyDir(this.dir, () => this.reload(), (err) => this.failed(err));
  }

  current(): Engine | undefined {
    return this.engine.ready ? this.engine : undefined;
  }

  status(): ShadowStatus {
    return { dir: this.dir, ...this.engine.status() };
  }

  /** Never rejects: a failure is logged and kept in status(). */
  async reload(): Promise<void> {
    try {
      const status = await this.engine.reload();
      this.log.info({ version: status.version, rules: status.rules, dir: this.dir }, 'shadow policy loaded');
    } catch (err) {
      this.failed(err);
    }
  }

  close(): void {
    this.watcher?.close();
  }

  private failed(err: unknown): void {
    this.log.error({ err: (err as Error).message, dir: this.dir }, 'shadow policy failed to load; the previous shadow (if any) keeps deciding');
  }
}
