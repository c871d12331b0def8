/**
 * Unit tests of what the decision log and its replays rest on: the journal keeps each decision
 * with the role facts it was made on and compares the shadow's answer (counted, logged); a replay
 * over RecordedRoleFacts decides on those recorded facts, not on the live role graph.
 * (HTTP: test/api/decision/{decision-log,impact,shadow}.test.ts; CLI: test/cli.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecisionJournal } from '../../src/domain/decision-journal.js';
import { fixedRules } from '../../src/domain/policy-source.js';
import { Engine } from '../../src/engine/engine.js';
import { parsePolicyText } from '../../src/engine/policy-files.js';
import { RecordedRoleFacts } from '../../src/engine/recorded-role-facts.js';
import { RoleGraph, type GraphGrant } from '../../src/engine/role-graph.js';
import type { DecisionRecord } from '../../src/store/decision-log-store.js';
import { MemoryDecisionLog } from '../../src/store/memory/memory-decision-log.js';
import type { Logger } from '../../src/telemetry/logger.js';
import { createMetrics } from '../../src/telemetry/metrics.js';

const MODEL = readFileSync(new URL('../../model.conf', import.meta.url), 'utf8');
const LIVE = ['p, role:member, *, update, allow', 'p, owner, *, update, allow'].join('\n');
const DRAFT = ['p, owner, *, update, allow'].join('\n');
const BOB_MEMBER: GraphGrant = { actorType: 'user', actorId: 'bob', targetType: 'project', targetId: 'p1', roleId: 'member', inherited: false };
const bobUpdates = { subjectId: 'bob', action: 'update', resource: { type: 'doc', id: 'd1', scope: 'project:p1' as const, owner: 'erin' } };

function graphWithBob(): RoleGraph {
  const graph = new RoleGraph();
  graph.putRole({ id: 'member', name: 'member', domainId: null });
  graph.addGrant(BOB_MEMBER);
  return graph;
}

async function engine(facts: ConstructorParameters<typeof Engine>[0], text: string, label: string): Promise<Engine> {
  const e = new Engine(facts, MODEL, fixedRules(parsePolicyText(text, `${label}/t.csv`), ['t.csv']));
  await e.reload();
  return e;
}

/** A logger that keeps what it was given. */
function recordingLogger(): Logger & { lines: { level: string; obj: Record<string, unknown>; msg: string }[] } {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, obj, msg });
  return { lines, isLevelEnabled: () => true, on: () => undefined, info: at('info'), debug: at('debug'), warn: at('warn'), error: at('error') } as unknown as Logger & {
    lines: typeof lines;
  };
}

describe('DecisionJournal', () => {
  it('keeps a decision with the roles it was made on, and the shadow answer beside it, counted and logged when they disagree', async () => {
    const graph = graphWithBob();
    const live = await engine(graph, LIVE, 'policies');
    const shadow = await engine(graph, DRAFT, 'shadow');
    const store = new MemoryDecisionLog(10);
    const metrics = createMetrics({ defaultMetrics: false });
    const log = recordingLogger();
    const journal = new DecisionJournal({ store, graph, metrics, log, shadow: { current: () => shadow, status: () => ({ dir: 'x', ...shadow.status() }) } });

    const answer = live.decideResource(bobUpdates);
    const id = journal.resource(bobUpdates, answer, { requestId: 'req-1', registered: true });

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [record] = (await store.query({}, { limit: 10 })).items;
    expect(record).toMatchObject({ id, kind: 'resource', requestId: 'req-1', decision: { allowed: true }, shadow: { allowed: false } });
    expect([...record!.roles.keys()]).toEqual(['member']);
    expect((await metrics.registry.getSingleMetric('portcullis_shadow_decisions_total')!.get()).values).toEqual([
      { value: 1, labels: { kind: 'resource', outcome: 'disagree' } },
    ]);
    const disagreement = log.lines.find((l) => l.msg === 'shadow policy disagrees');
    expect(disagreement?.obj).toMatchObject({
      decisionId: id,
      live: { decision: 'allow', rule: 'policies/t.csv:1' },
      shadow: { decision: 'deny', reason: 'no policy allows update on doc for this subject' },
    });
    expect(log.lines.find((l) => l.msg === 'decision')?.obj).toMatchObject({ decisionId: id, requestId: 'req-1', decision: 'allow' });
  });

  it('keeps nothing with a log of size 0 and no shadow, and still gives every decision its own id', async () => {
    const graph = graphWithBob();
    const live = await engine(graph, LIVE, 'policies');
    const store = new MemoryDecisionLog(0);
    const journal = new DecisionJournal({ store, graph, metrics: createMetrics({ defaultMetrics: false }), log: recordingLogger() });
    const ids = [1, 2].map(() => journal.resource(bobUpdates, live.decideResource(bobUpdates), { requestId: undefined, registered: true }));
    expect(ids[0]).not.toBe(ids[1]);
    expect((await store.query({}, { limit: 10 })).items).toEqual([]);
  });
});

describe('RecordedRoleFacts (replaying a record)', () => {
  it('decides on the roles the record holds, not on the live graph, with the same explanation', async () => {
    const graph = graphWithBob();
    const live = await engine(graph, LIVE, 'policies');
    const store = new MemoryDecisionLog(10);
    const journal = new DecisionJournal({ store, graph, metrics: createMetrics({ defaultMetrics: false }), log: recordingLogger() });
    const first = live.decideResource(bobUpdates);
    journal.resource(bobUpdates, first, { requestId: undefined, registered: true });
    const [record] = (await store.query({}, { limit: 1 })).items as [DecisionRecord & { kind: 'resource' }];

    graph.removeGrant(BOB_MEMBER); // the data moves on: bob is no longer a member
    expect(live.decideResource(bobUpdates).allowed).toBe(false);

    const facts = new RecordedRoleFacts(graph);
    const replay = await engine(facts, LIVE, 'policies');
    facts.use(record);
    const again = replay.decideResource(record.question);
    expect(again).toMatchObject({ allowed: true, reason: first.reason, rolePath: first.rolePath });
    facts.use({ roles: new Map(), groups: new Set() });
    expect(replay.decideResource(record.question).allowed).toBe(false);
  });
});
