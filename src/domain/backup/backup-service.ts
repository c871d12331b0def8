/**
 * Export and import through a running server (GET /v1/export, POST /v1/import), on whatever
 * store it runs. An import's writes go through the change feed, so this server's role graph and
 * policy follow at once, and other replicas as they follow the change log.
 */
import type { Stores } from '../../store/stores.js';
import { applyImport, exportStores, type ImportReport } from './backup.js';
import type { ExportDocument } from './document.js';

export class BackupService {
  constructor(private readonly stores: Stores) {}

  export(): Promise<ExportDocument> {
    return exportStores(this.stores);
  }

  /** Writes what the stores lack (ids as given: the CLI plans the document against this server's export first). */
  import(doc: ExportDocument): Promise<ImportReport> {
    return applyImport(this.stores, doc);
  }
}
