/**
 * The oracle: a tiny, independent re-implementation of Portcullis' resource decision for a bench
 * dataset, used to check every answer before anything is timed. It does not import src/engine or
 * src/domain; it reads the policy CSV files itself and applies the rules as docs/architecture.md states them:
 *   roles in scope = grants of the user and of each of their groups that apply to the resource's
 *   scope (direct on the project; inherited on an ancestor project or the project's domain;
 *   system), closed over implied roles, global roles only;
 *   facts = owner (subject owns the resource), owner_group (subject is in the resource's group);
 *   p rows: allow if some row matches (action, type, subject) with allow and none with deny;
 *   p3 rows: a lock blocks when a deny row matches (kind, holder|shared|other, action).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Dataset, DsGrant, DsResource } from './dataset-types.js';

type Row = readonly string[];

/** p and p3 rows of every policies/*.csv file (values after the ptype). */
export function readPolicyRows(policyDir: string): { p: Row[]; p3: Row[] } {
  const out = { p: [] as Row[], p3: [] as Row[] };
  for (const file of readdirSync(policyDir).filter((f) => f.endsWith('.csv')).sort()) {
    for (const line of readFileSync(path.join(policyDir, file), 'utf8').split('\n')) {
      const cells = splitCsv(line.trim());
      if (cells[0] === 'p') out.p.push(cells.slice(1));
      if (cells[0] === 'p3') out.p3.push(cells.slice(1));
    }
  }
  return out;
}

function splitCsv(line: string): string[] {
  if (!line || line.startsWith('#')) return [];
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) cells.push(cur.trim()), (cur = '');
    else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

/** Casbin's keyMatch: a `*` in the pattern matches any suffix. */
function match(value: string, pattern: string): boolean {
  const star = pattern.indexOf('*');
  return star < 0 ? value === pattern : value.slice(0, star) === pattern.slice(0, star);
}

export class Oracle {
  private readonly resources = new Map<string, DsResource>();
  private readonly grantsOf = new Map<string, DsGrant[]>();
  private readonly groupsOf = new Map<string, Set<string>>();
  private readonly parent = new Map<string, { parentId: string | null; domainId: string }>();
  private readonly implied = new Map<string, string[]>();
  private readonly globalName = new Map<string, string>();
  private readonly manila = new Map<string, { type: string; action: string; holder: string }[]>();
  private readonly route = new Map<string, string>();
  private readonly cdn = new Map<string, { holder: string; shared: readonly string[]; soft: boolean }>();

  constructor(ds: Dataset, private readonly rows: { p: Row[]; p3: Row[] }) {
    for (const r of ds.resources) this.resources.set(`${r.type}/${r.id}`, r);
    for (const g of ds.grants) push(this.grantsOf, `${g.actorType}:${g.actorId}`, g);
    for (const m of ds.memberships) {
      if (!this.groupsOf.has(m.userId)) this.groupsOf.set(m.userId, new Set());
      this.groupsOf.get(m.userId)!.add(m.groupId);
    }
    for (const p of ds.projects) this.parent.set(p.id, { parentId: p.parentId, domainId: p.domainId });
    for (const i of ds.implications) push(this.implied, i.prior, i.implied);
    for (const r of ds.roles) if (r.domainId === null) this.globalName.set(r.id, r.name);
    for (const l of ds.manilaLocks) push(this.manila, l.resourceId, { type: l.resourceType, action: l.resourceAction, holder: l.userId });
    for (const l of ds.routeLocks) this.route.set(`${l.route}/${l.resourceId}`, l.userId);
    for (const l of ds.cdnLocks) this.cdn.set(l.cdn, { holder: l.userId, shared: l.shared, soft: l.soft });
  }

  /** Registers or replaces a resource, as the registry PUT does (the mixed workload's write). */
  putResource(r: DsResource): void {
    this.resources.set(`${r.type}/${r.id}`, r);
  }

  resource(type: string, id: string): DsResource | undefined {
    return this.resources.get(`${type}/${id}`);
  }

  decide(subject: string, action: string, type: string, id: string): boolean {
    const r = this.resources.get(`${type}/${id}`);
    const roles = this.rolesIn(subject, r?.projectId ?? null);
    const groups = this.groupsOf.get(subject) ?? new Set<string>();
    const holds = (who: string): boolean => {
      if (who === '*') return true;
      if (who.startsWith('role:')) return roles.has(who.slice(5));
      if (who.startsWith('user:')) return who.slice(5) === subject;
      if (who.startsWith('group:')) return groups.has(who.slice(6));
      if (who === 'owner') return !!r?.owner && r.owner === subject;
      if (who === 'owner_group') return !!r?.group && groups.has(r.group);
      return false;
    };
    let allow = false;
    for (const [who, obj, act, eft] of this.rows.p) {
      if (!match(action, act!) || !match(type, obj!) || !holds(who!)) continue;
      if (eft === 'deny') return false;
      allow = true;
    }
    return allow && !this.locks(subject, type, id, r).some((l) => this.blocks(l.kind, l.rel, action));
  }

  private locks(subject: string, type: string, id: string, r: DsResource | undefined) {
    const rel = (holder: string, shared: readonly string[] = []) =>
      holder === subject ? 'holder' : shared.includes(subject) ? 'shared' : 'other';
    const out: { kind: string; rel: string }[] = [];
    for (const l of this.manila.get(id) ?? []) if (l.type === type) out.push({ kind: `manila:${l.action}`, rel: rel(l.holder) });
    const routeHolder = this.route.get(`${type}/${id}`);
    if (routeHolder) out.push({ kind: 'route', rel: rel(routeHolder) });
    const cdnName = type === 'cdn' ? id : r?.cdn;
    const cdn = cdnName ? this.cdn.get(cdnName) : undefined;
    if (cdn) out.push({ kind: cdn.soft ? 'cdn:soft' : 'cdn:hard', rel: rel(cdn.holder, cdn.shared) });
    return out;
  }

  private blocks(kind: string, rel: string, action: string): boolean {
    return this.rows.p3.some(([k, r, a, eft]) => eft === 'deny' && match(kind, k!) && match(rel, r!) && match(action, a!));
  }

  /** Names of the global roles the user holds on the project (or on the system when null). */
  private rolesIn(userId: string, projectId: string | null): Set<string> {
    const ancestors = new Set<string>();
    const project = projectId ? this.parent.get(projectId) : undefined;
    for (let p = project?.parentId ?? null; p; p = this.parent.get(p)?.parentId ?? null) ancestors.add(p);
    const applies = (g: DsGrant) =>
      g.targetType === 'system' ||
      (project !== undefined &&
        ((g.targetType === 'project' && (g.inherited ? ancestors.has(g.targetId) : g.targetId === projectId)) ||
          (g.targetType === 'domain' && g.inherited && g.targetId === project.domainId)));
    const actors = [`user:${userId}`, ...[...(this.groupsOf.get(userId) ?? [])].map((g) => `group:${g}`)];
    const held = new Set<string>();
    const seen = new Set<string>();
    const walk = (roleId: string) => {
      if (seen.has(roleId)) return;
      seen.add(roleId);
      const name = this.globalName.get(roleId);
      if (name) held.add(name);
      for (const next of this.implied.get(roleId) ?? []) walk(next);
    };
    for (const a of actors) for (const g of this.grantsOf.get(a) ?? []) if (applies(g)) walk(g.roleId);
    return held;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
