/**
 * The bench family's no-op serves the real answer to the question a request names, and
 * nothing until it has some (bench-family.ts says why the no-op writes what decisions write).
 * Nothing is timed here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBenchFamily } from '../../src/bench/bench-family.js';
import { ServerTimings } from '../../src/bench/server-timings.js';
import { addProject, addUser, grantRole } from '../helpers/seed.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const evaluation = (subject: string, action: string, id: string) => ({
  subject: { type: 'user', id: subject },
  action: { name: action },
  resource: { type: 'doc', id },
});

/** An answer without its decision id, which differs from one decision to the next. */
const withoutId = (answer: { decision: boolean; context: Record<string, unknown> }) => {
  const { decision_id: _id, ...context } = answer.context;
  return { decision: answer.decision, context };
};

describe('bench family: the no-op', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { extraFamilies: (context) => [createBenchFamily(context, new ServerTimings())] });
    await addProject(t, 'p1');
    await addUser(t, 'bob');
    await grantRole(t, { user: 'bob' }, 'member', { project: 'p1' });
    await t.request('PUT', '/v1/resources/doc/d1', { body: { project_id: 'p1', owner: 'erin' } });
  });
  afterAll(async () => t.close());

  it('answers 409 until it has been given answers', async () => {
    const r = await t.request('POST', '/bench/noop', { body: evaluation('bob', 'read', 'd1') });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/PUT \/bench\/noop first/);
  });

  it('rejects a PUT without evaluations', async () => {
    expect((await t.request('PUT', '/bench/noop', { body: { evaluations: [] } })).status).toBe(400);
    expect((await t.request('PUT', '/bench/noop', { body: {} })).status).toBe(400);
  });

  it('serves the real answer to the question its X-Bench-Question names, whatever body it is sent', async () => {
    const questions = [evaluation('bob', 'read', 'd1'), evaluation('bob', 'purge', 'd1')];
    const put = await t.request('PUT', '/bench/noop', { body: { evaluations: questions } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ answers: 2 });
    const real = [];
    for (const q of questions) real.push(withoutId((await t.request('POST', '/access/v1/evaluation', { body: q })).body));
    expect(real[0]!.decision).toBe(true);
    expect(real[0]!.context.role_path).toBe('bob → member ⇒ reader on project p1');
    expect(real[1]!.decision).toBe(false);
    const served = [];
    for (const i of ['1', '0', '1']) {
      served.push(withoutId((await t.request('POST', '/bench/noop', { body: evaluation('nobody', 'x', 'y'), headers: { 'X-Bench-Question': i } })).body));
    }
    expect(served).toEqual([real[1], real[0], real[1]]);
  });

  it('answers 400 when the header names no question it was given', async () => {
    for (const headers of [{} as Record<string, string>, { 'X-Bench-Question': '' }, { 'X-Bench-Question': '2' }, { 'X-Bench-Question': '-1' }, { 'X-Bench-Question': 'one' }]) {
      const r = await t.request('POST', '/bench/noop', { body: evaluation('bob', 'read', 'd1'), headers });
      expect(r.status, JSON.stringify(headers)).toBe(400);
      expect(r.body.error.message).toMatch(/x-bench-question must name a question PUT \/bench\/noop was given: 0 to 1/);
    }
  });

  it('gives the server CPU used so far, alone, and never less than before', async () => {
    const first = await t.request('GET', '/bench/cpu');
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['cpuSystemMs', 'cpuUserMs']);
    await t.request('POST', '/bench/noop', { body: evaluation('bob', 'read', 'd1'), headers: { 'X-Bench-Question': '0' } });
    const second = await t.request('GET', '/bench/cpu');
    expect(second.body.cpuUserMs + second.body.cpuSystemMs).toBeGreaterThanOrEqual(first.body.cpuUserMs + first.body.cpuSystemMs);
  });
});
