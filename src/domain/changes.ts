/**
 * Publishing changes to other replicas. Every service that writes something the engine caches
 * (roles, implied roles, grants, memberships, projects, stored policy rules) applies it to its own
 * role graph at once and then calls `published()`, which bumps the shared version document.
 * Replicas watching that version rebuild (see the MongoDB store's sync); the memory store has a
 * single replica, so there the bump is only counted.
 */
import type { Stores } from '../store/stores.js';

export class Changes {
  private lastOwn = 0;

  constructor(private readonly stores: Stores) {}

  async published(): Promise<void> {
    this.lastOwn = await this.stores.version.bump();
  }

  /** The version this replica itself last wrote (a watcher skips reloading for its own writes). */
  get ownVersion(): number {
    return this.lastOwn;
  }
}
