/**
 * Fills the role graph from the stores. Everything is read first and applied in one synchronous
 * step, so a decision running meanwhile sees the old graph or the new one, never a half of each.
 */
import type { RoleGraph } from '../engine/role-graph.js';
import type { Stores } from '../store/stores.js';

export async function loadRoleGraph(graph: RoleGraph, stores: Stores): Promise<void> {
  const [roles, inferences, grants, memberships, projects] = await Promise.all([
    stores.roles.list(),
    stores.inferences.list(),
    stores.grants.list(),
    stores.directory.memberships.all(),
    stores.directory.projects.list(),
  ]);
  graph.clear();
  for (const r of roles) graph.putRole({ id: r.id, name: r.name, domainId: r.domainId });
  for (const p of projects) graph.putProject({ id: p.id, domainId: p.domainId, parentId: p.parentId });
  for (const m of memberships) graph.addMember(m.groupId, m.userId);
  for (const g of grants) graph.addGrant(g);
  for (const i of inferences) {
    // A store written by another tool may hold a cycle; skip the closing edge rather than fail.
    if (!graph.wouldCycle(i.priorRoleId, i.impliedRoleId)) graph.addImplication(i.priorRoleId, i.impliedRoleId);
  }
}
