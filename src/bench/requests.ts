/**
 * The request mix (docs/benchmarks.md "Requests"): evaluations with Zipf-distributed subjects and resources
 * (cache-friendly) or uniform ones (cache-hostile), subjects drawn so that roughly half hold some
 * grant near the resource, plus the planted cases. Each carries the oracle's expected answer.
 */
import type { Dataset, DsResource } from './dataset-types.js';
import type { Oracle } from './oracle.js';
import { Rng, Zipf } from './rng.js';

export interface Question {
  readonly subject: string;
  readonly action: string;
  readonly type: string;
  readonly id: string;
  readonly expected: boolean;
}

const ACTIONS = [
  ['read', 35], ['list', 5], ['update', 20], ['delete', 15], ['create', 5],
  ['snapshot', 5], ['soft_delete', 5], ['queue_update', 5], ['transfer', 5],
] as const;

export type Distribution = 'zipf' | 'uniform';

export function makeQuestions(ds: Dataset, oracle: Oracle, count: number, dist: Distribution, seed: number): Question[] {
  const rng = new Rng(seed);
  const usersNear = indexActors(ds);
  const members = new Map<string, string[]>();
  for (const m of ds.memberships) (members.get(m.groupId) ?? members.set(m.groupId, []).get(m.groupId)!).push(m.userId);
  // Zipf over a seeded permutation, so the hot items are spread over the id space.
  const resourceOrder = shuffle(rng, ds.resources.map((_, i) => i));
  const userOrder = shuffle(rng, ds.users.map((_, i) => i));
  const zr = dist === 'zipf' ? new Zipf(ds.resources.length, 1.0) : undefined;
  const zu = dist === 'zipf' ? new Zipf(ds.users.length, 1.0) : undefined;
  const pickResource = (): DsResource => ds.resources[resourceOrder[zr ? zr.sample(rng) : rng.int(ds.resources.length)]!]!;
  const pickUser = (): string => ds.users[userOrder[zu ? zu.sample(rng) : rng.int(ds.users.length)]!]!.id;
  const out: Question[] = ds.featured.map((f) => ({ subject: f.subject, action: f.action, type: f.type, id: f.id, expected: f.expected }));
  while (out.length < count) {
    const r = pickResource();
    const action = rng.weighted(ACTIONS);
    let subject: string;
    const roll = rng.next();
    const near = usersNear.get(r.projectId) ?? [];
    if (roll < 0.55 && near.length) {
      const actor = rng.pick(near);
      subject = actor.startsWith('g-') ? rng.pick(members.get(actor) ?? [pickUser()]) : actor;
    } else if (roll < 0.7 && r.owner) subject = r.owner;
    else subject = pickUser();
    out.push({ subject, action, type: r.type, id: r.id, expected: oracle.decide(subject, action, r.type, r.id) });
  }
  return out;
}

/** project → actors with a grant on it, an ancestor or its domain (where most allows come from). */
function indexActors(ds: Dataset): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const g of ds.grants) {
    if (g.targetType === 'system') continue;
    (byTarget.get(g.targetId) ?? byTarget.set(g.targetId, []).get(g.targetId)!).push(g.actorId);
  }
  const parent = new Map(ds.projects.map((p) => [p.id, p] as const));
  const out = new Map<string, string[]>();
  for (const p of ds.projects) {
    const actors = [...(byTarget.get(p.id) ?? []), ...(byTarget.get(p.domainId) ?? [])];
    for (let a = p.parentId; a; a = parent.get(a)?.parentId ?? null) actors.push(...(byTarget.get(a) ?? []));
    out.set(p.id, actors);
  }
  return out;
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The AuthZEN evaluation body for a question. */
export function evaluationBody(q: Question) {
  return { subject: { type: 'user', id: q.subject }, action: { name: q.action }, resource: { type: q.type, id: q.id } };
}
