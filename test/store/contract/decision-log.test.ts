import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { NO_FACTS, OWNER, OWNER_AND_GROUP, OWNER_GROUP } from '../../../src/engine/engine.js';
import type { DecisionCore } from '../../../src/engine/explanation.js';
import type { RoleProof } from '../../../src/engine/role-graph.js';
import { newRequestId } from '../../../src/request-id.js';
import { newDecisionId } from '../../../src/store/decision-id.js';
import { appendRecord, decidedAt, type DecisionRecord, type PermissionDecisionRecord, type ResourceDecisionRecord } from '../../../src/store/decision-log-store.js';
import { createMemoryStores } from '../../../src/store/memory/memory-stores.js';
import { openMongoStores } from '../../../src/store/mongo/mongo-stores.js';
import type { RegisteredResource } from '../../../src/store/resource-store.js';
import { dropDatabase, freshDbName, MONGODB_URI } from '../../helpers/mongo-env.js';
import { forEachStore } from './store-kinds.js';

const proof: RoleProof = {
  grant: { actorType: 'group', actorId: 'ops', targetType: 'project', targetId: 'p1', roleId: 'r-admin', inherited: true },
  chain: ['r-admin', 'r-member'],
};

/** What a record keeps of an answer (no explanation: explainRecord rebuilds it on reading). */
function answer(allowed: boolean, source = 'policies/resources.csv:8'): DecisionCore {
  return {
    allowed,
    ...(allowed ? { policy: { source, rule: ['p', 'role:member', '*', 'update', 'allow'] } } : {}),
    facts: [],
    blockingLocks: [],
  };
}

let n = 0;
function record(over: { subject?: string; action?: string; type?: string; allowed?: boolean; shadow?: boolean; kind?: 'permission' } = {}): DecisionRecord {
  const id = newDecisionId();
  const subject = over.subject ?? 'alice';
  const action = over.action ?? 'update';
  const base = {
    id,
    requestId: `req-${++n}`,
    roles: new Map([['member', proof]]),
    groups: new Set(['ops']),
    decision: answer(over.allowed ?? true),
    ...(over.shadow === undefined ? {} : { shadow: answer(over.shadow) }),
  };
  if (over.kind === 'permission') {
    return { ...base, kind: 'permission', question: { userId: subject, scope: 'system', facts: ['ctx:admin'], attrs: { system: 'all' }, permission: action, target: { a: 1 } } };
  }
  const resource = { type: over.type ?? 'document', id: String(n) };
  return {
    ...base,
    kind: 'resource',
    registered: true,
    sent: { 'dotted.key': 1 },
    question: {
      subjectId: subject,
      // Keys FerretDB v1 refuses in documents ('.', '$', nested arrays) must survive.
      subject: { type: 'user', id: subject, properties: { 'dotted.key': 1, $dollar: [[1, 2]] } },
      action,
      actionProperties: { why: 'fix' },
      resource: { ...resource, scope: 'project:p1', owner: 'bob', group: null, properties: { 'dotted.key': 1 }, status: null, registered: true },
      context: { ip: '10.0.0.1' },
      locks: [{ id: 'l1', kind: 'cdn:hard', holder: 'bob', shared: ['carol'] }],
    },
  };
}

forEachStore('decision log', (get) => {
  it('keeps records with everything a replay needs, and answers newest first', async () => {
    const log = get().decisionLog;
    const a = record();
    const b = record({ kind: 'permission', action: 'identity:list_roles' });
    appendRecord(log, a);
    appendRecord(log, b);
    const page = await log.query({}, { limit: 10 });
    expect(page.items.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(page.next).toBeUndefined();
    const [gotB, gotA] = page.items;
    expect(gotA).toEqual(a);
    expect(gotB).toEqual(b);
    expect(gotA!.roles.get('member')).toEqual(proof);
    expect(gotA!.groups.has('ops')).toBe(true);
    expect(decidedAt(gotA!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('gives back a permission check\'s target as it was given, with no entry, one or several', async () => {
    const log = get().decisionLog;
    const targets = [{}, { subject_id: 'alice' }, { n: 0 }, { off: false }, { project_id: 'p1', user_id: '' }];
    const kept = targets.map((target) => {
      const r = record({ kind: 'permission' });
      return { ...r, question: { ...r.question, target } } as DecisionRecord;
    });
    for (const r of kept) appendRecord(log, r);
    const page = await log.query({ kind: 'permission' }, { limit: 10 });
    expect(page.items.reverse()).toEqual(kept);
  });

  it('gives back a target whose one key the check named (targetKey) as the target it was', async () => {
    const log = get().decisionLog;
    const r = record({ kind: 'permission' }) as PermissionDecisionRecord;
    for (const subjectId of ['bob', '']) {
      appendRecord(log, { ...r, id: newDecisionId(), question: { ...r.question, target: { subject_id: subjectId }, targetKey: 'subject_id' } });
      const [got] = (await log.query({ kind: 'permission' }, { limit: 1 })).items;
      expect((got as PermissionDecisionRecord).question.target).toEqual({ subject_id: subjectId });
    }
  });

  it('reads back a record kept by its registry record, role pair and relation lists as the question and answer they stand for', async () => {
    const log = get().decisionLog;
    const stored: RegisteredResource = {
      type: 'document', id: 'd1', projectId: 'p1', domainId: 'default', owner: 'alice', group: 'ops', status: 'draft',
      attributes: { tier: 'gold' }, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const held = { userId: 'alice', scope: 'project:p1', roles: new Map([['member', proof]]), groups: new Set(['ops']) };
    const kept = [NO_FACTS, OWNER, OWNER_GROUP, OWNER_AND_GROUP, ['other']].map((facts): DecisionRecord => ({
      id: newDecisionId(),
      requestId: undefined,
      kind: 'resource',
      registered: true,
      stored,
      held,
      roles: held.roles,
      groups: held.groups,
      decision: { ...answer(true), facts },
      question: {
        subjectId: 'alice',
        action: 'read',
        resource: { type: 'document', id: 'd1', scope: 'project:p1', owner: 'alice', group: 'ops', properties: { tier: 'gold' }, status: 'draft', registered: true },
        locks: [],
      },
    }));
    // A permission check whose answer has the question's own facts.
    const facts = ['ctx:service'];
    const check = record({ kind: 'permission' }) as PermissionDecisionRecord;
    const checkHeld = { ...held, scope: check.question.scope };
    kept.push({ ...check, held: checkHeld, roles: checkHeld.roles, groups: checkHeld.groups, question: { ...check.question, facts }, decision: { ...answer(false), facts } });
    for (const r of kept) appendRecord(log, r);
    const page = await log.query({}, { limit: 10 });
    // What a store may keep instead of the parts (stored, held) is read back as the parts only.
    const parts = ({ held: _held, stored: _stored, ...r }: DecisionRecord & { stored?: RegisteredResource }) => r;
    expect(page.items.reverse()).toEqual(kept.map(parts));
  });

  it('filters by subject, action, resource, decision, kind, request id and shadow agreement', async () => {
    const log = get().decisionLog;
    const rs = [
      record({ subject: 'alice', action: 'read', type: 'document', allowed: true, shadow: true }),
      record({ subject: 'bob', action: 'update', type: 'document', allowed: false, shadow: true }),
      record({ subject: 'alice', action: 'delete', type: 'invoice', allowed: false }),
      record({ subject: 'carol', kind: 'permission', action: 'identity:get_user', allowed: true, shadow: false }),
    ];
    for (const r of rs) appendRecord(log, r);
    const ids = async (q: Parameters<typeof log.query>[0]) => (await log.query(q, { limit: 10 })).items.map((r) => r.id);
    expect(await ids({ subject: 'alice' })).toEqual([rs[2]!.id, rs[0]!.id]);
    expect(await ids({ action: 'update' })).toEqual([rs[1]!.id]);
    expect(await ids({ resourceType: 'invoice' })).toEqual([rs[2]!.id]);
    expect(await ids({ resourceId: (rs[1] as ResourceDecisionRecord).question.resource.id })).toEqual([rs[1]!.id]);
    expect(await ids({ decision: 'deny' })).toEqual([rs[2]!.id, rs[1]!.id]);
    expect(await ids({ kind: 'permission' })).toEqual([rs[3]!.id]);
    expect(await ids({ requestId: rs[0]!.requestId! })).toEqual([rs[0]!.id]);
    expect(await ids({ shadow: 'disagree' })).toEqual([rs[3]!.id, rs[1]!.id]);
    expect(await ids({ shadow: 'agree' })).toEqual([rs[0]!.id]);
    expect(await ids({ subject: 'alice', decision: 'deny' })).toEqual([rs[2]!.id]);
  });

  it('gives back request ids as they were given, the server\'s own and any other, and filters by them', async () => {
    const log = get().decisionLog;
    const own = newRequestId();
    const older = newRequestId();
    for (let i = 0; i < 64; i++) newRequestId(); // `older` is no longer among the ids the memory ring knows by their key
    const requestIds = [own, older, newRequestId(), own.toUpperCase(), `${own}0`, own.slice(0, 24) + 'ffffffffffff', 'req-7', undefined];
    const kept = requestIds.map((requestId, i) => ({ ...record({ kind: i % 2 ? 'permission' : undefined }), requestId }) as DecisionRecord);
    for (const r of kept) appendRecord(log, r);
    const page = await log.query({}, { limit: 10 });
    expect(page.items.map((r) => r.requestId).reverse()).toEqual(requestIds);
    expect(page.items.reverse()).toEqual(kept);
    expect((await log.query({ requestId: own }, { limit: 10 })).items.map((r) => r.id)).toEqual([kept[0]!.id]);
  });

  it('pages with the last id of the previous page, to the end', async () => {
    const log = get().decisionLog;
    const rs = Array.from({ length: 7 }, () => record());
    for (const r of rs) appendRecord(log, r);
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 4; i++) {
      const page = await log.query({}, { limit: 3, ...(after ? { after } : {}) });
      seen.push(...page.items.map((r) => r.id));
      after = page.next;
      if (!after) break;
    }
    expect(seen).toEqual(rs.map((r) => r.id).reverse());
    expect(after).toBeUndefined();
  });

  it('answers since from the time in the ids', async () => {
    const log = get().decisionLog;
    const old = record();
    appendRecord(log, old);
    await new Promise((r) => setTimeout(r, 5));
    const cut = Date.now();
    const fresh = record();
    appendRecord(log, fresh);
    expect((await log.query({ since: cut }, { limit: 10 })).items.map((r) => r.id)).toEqual([fresh.id]);
    expect((await log.query({ since: decidedAt(old) }, { limit: 10 })).items).toHaveLength(2);
  });
});

describe('decision log capacity', () => {
  // Declared only where MongoDB runs (like forEachStore's blocks), so a memory-only pass skips nothing.
  if (MONGODB_URI) it('keeps the newest N on MongoDB, a capped collection, even before the database trims it', async () => {
    const dbName = freshDbName('decisionlog');
    const stores = await openMongoStores({ uri: MONGODB_URI!, dbName, decisionLogSize: 3 });
    try {
      const rs = Array.from({ length: 5 }, () => record());
      for (const r of rs) appendRecord(stores.decisionLog, r);
      expect((await stores.decisionLog.query({}, { limit: 10 })).items.map((r) => r.id)).toEqual(rs.slice(2).map((r) => r.id).reverse());
      const client = new MongoClient(MONGODB_URI!);
      try {
        const [info] = await client.db(dbName).listCollections({ name: 'decision_log' }).toArray();
        expect((info as { options?: unknown }).options).toMatchObject({ capped: true, max: 3 });
      } finally {
        await client.close();
      }
    } finally {
      await stores.close();
      await dropDatabase(MONGODB_URI!, dbName);
    }
  });

  it('keeps the newest N on the memory ring; 0 keeps nothing', async () => {
    const log = createMemoryStores({ decisionLogSize: 3 }).decisionLog;
    const rs = Array.from({ length: 5 }, () => record());
    for (const r of rs) appendRecord(log, r);
    expect((await log.query({}, { limit: 10 })).items.map((r) => r.id)).toEqual(rs.slice(2).map((r) => r.id).reverse());
    const none = createMemoryStores({ decisionLogSize: 0 }).decisionLog;
    appendRecord(none, record());
    expect((await none.query({}, { limit: 10 })).items).toEqual([]);
  });
});
