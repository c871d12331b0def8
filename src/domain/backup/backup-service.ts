/**
 * Export and import through a running server (GET /v1/export, POST /v1/import), on whatever
 * store it runs. An import's writes go through the change feed, so this server's role graph
 * follows at once, and other replicas as they follow the change log; imported policy rows are
 * checked and loaded here as the policy API checks and loads stored rows (refused with 400
 * before anything is written when one would not load; a reload after).
 */
import type { Engine } from '../../engine/engine.js';
import type { Stores } from '../../store/stores.js';
import { loadableRules } from '../policy-service.js';
import { applyImport, exportStores, type ImportReport } from './backup.js';
import type { ExportDocument } from './document.js';

export class BackupService {
  constructor(
    private readonly stores: Stores,
    private readonly engine: Engine,
  ) {}

  export(): Promise<ExportDocument> {
    return exportStores(this.stores);
  }

  /** Writes what the stores lack (ids as given: the CLI plans the document against this server's export first). */
  async import(doc: ExportDocument): Promise<ImportReport> {
    if (doc.rules.length) await loadableRules(this.engine, doc.rules, 'import'); // 400 before any write
    const report = await applyImport(this.stores, doc);
    if (report.sections.rules.created) await this.engine.reload();
    return report;
  }
}
