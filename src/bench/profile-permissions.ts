/**
 * Profiling aid: how the cost of one API permission check (Engine.checkPermission, p2 rows with
 * eval() conditions) and of one resource decision grows with the number of p2 rows in force, as
 * each API family adds its policy file. Run with `npx tsx src/bench/profile-permissions.ts`.
 */
import { readFile } from 'node:fs/promises';
import { filesAndStore } from '../domain/policy-source.js';
import { Engine } from '../engine/engine.js';
import type { PolicyRule } from '../engine/policy-rule.js';
import { RoleGraph } from '../engine/role-graph.js';
import { createMemoryStores } from '../store/memory/memory-stores.js';

const graph = new RoleGraph();
graph.putRole({ id: 'r-admin', name: 'admin', domainId: null });
graph.addGrant({ actorType: 'user', actorId: 'admin', targetType: 'system', targetId: 'system', roleId: 'r-admin', inherited: false });
const model = await readFile('model.conf', 'utf8');
const base = await filesAndStore('policies', createMemoryStores().policyRules).load();

function perCall(fn: () => void, n = 20_000): number {
  for (let i = 0; i < n / 4; i++) fn();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t) / 1e3 / n;
}

for (const extra of [0, 50, 150]) {
  const rules: PolicyRule[] = [...base.rules];
  // Rows shaped like the other families' (a role, a permission of another namespace, a condition).
  for (let i = 0; i < extra; i++) {
    rules.push({ ptype: 'p2', values: ['role:reader', `family${i % 10}:perm${i}`, "r2.sub.project != '' && r2.sub.project == r2.obj.project_id", 'allow'], source: `synthetic:${i}` });
  }
  const engine = new Engine(graph, model, { load: async () => ({ rules, files: [] }) });
  await engine.reload();
  const permission = perCall(() =>
    engine.checkPermission({
      userId: 'admin', scope: 'system', attrs: { project: '', domain: '', system: 'all', service: false },
      permission: 'authzen:evaluate', target: { subject_id: 'u-1' },
    }),
  );
  const decision = perCall(() => engine.decideResource({ subjectId: 'admin', action: 'read', resource: { type: 'vm', id: 'x', scope: 'system' } }));
  const p2 = rules.filter((r) => r.ptype === 'p2').length;
  process.stdout.write(`${p2} p2 rows: checkPermission ${permission.toFixed(1)} µs, decideResource ${decision.toFixed(1)} µs\n`);
}
