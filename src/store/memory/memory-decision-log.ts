/**
 * The decision log in memory: a ring of the newest `capacity` records, kept by reference (a
 * record is never changed after it is made). Appending is one array write; a query walks the
 * ring newest first. Ids grow with insertion order in one process, so a page resumes after an id.
 */
import { queryFilter, type DecisionLogStore, type DecisionQuery, type DecisionRecord } from '../decision-log-store.js';
import type { Page, PageRequest } from '../page.js';

export class MemoryDecisionLog implements DecisionLogStore {
  private readonly ring: (DecisionRecord | undefined)[];
  /** Where the next record goes. */
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<DecisionRecord | undefined>(capacity);
  }

  append(record: DecisionRecord): void {
    if (this.capacity === 0) return;
    this.ring[this.head] = record;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.size < this.capacity) this.size++;
  }

  async query(q: DecisionQuery, page: PageRequest): Promise<Page<DecisionRecord>> {
    const items: DecisionRecord[] = [];
    const matches = queryFilter(q);
    for (let i = 1; i <= this.size; i++) {
      const r = this.ring[(this.head - i + this.capacity) % this.capacity]!;
      if (page.after !== undefined && r.id >= page.after) continue;
      if (!matches(r)) continue;
      if (items.length === page.limit) return { items, next: items[items.length - 1]!.id };
      items.push(r);
    }
    return { items };
  }

  async flush(): Promise<void> {}
}
