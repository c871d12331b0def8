/**
 * Export and import through a running server (GET /v1/export, POST /v1/import), on whatever
 * store it runs: what an import writes also goes into this server's role graph at once (other
 * replicas follow the version bump), and stored rules reload the policy.
 */
import type { Engine } from '../../engine/engine.js';
import type { RoleGraph } from '../../engine/role-graph.js';
import type { Stores } from '../../store/stores.js';
import { applyImport, exportStores, type ImportReport } from './backup.js';
import type { ExportDocument } from './document.js';

export class BackupService {
  constructor(private readonly deps: { readonly stores: Stores; readonly graph: RoleGraph; readonly engine: Engine }) {}

  export(): Promise<ExportDocument> {
    return exportStores(this.deps.stores);
  }

  /** Writes what the stores lack (ids as given: the CLI plans the document against this server's export first). */
  async import(doc: ExportDocument): Promise<ImportReport> {
    const report = await applyImport(this.deps.stores, doc);
    const { graph } = this.deps;
    const c = report.created;
    for (const r of c.roles) graph.putRole({ id: r.id, name: r.name, domainId: r.domainId });
    for (const p of c.projects) graph.putProject({ id: p.id, domainId: p.domainId, parentId: p.parentId });
    for (const m of c.memberships) graph.addMember(m.groupId, m.userId);
    for (const g of c.grants) graph.addGrant(g);
    for (const i of c.implied_roles) if (!graph.wouldCycle(i.priorRoleId, i.impliedRoleId)) graph.addImplication(i.priorRoleId, i.impliedRoleId);
    if (c.rules.length) await this.deps.engine.reload();
    return report;
  }
}
