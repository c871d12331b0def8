/**
 * The bench family's no-op serves the real answers it was given questions for, in turn, and
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

  it('serves the real answers to the questions it was given, in turn, whatever it is asked', async () => {
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
    for (let i = 0; i < 3; i++) served.push(withoutId((await t.request('POST', '/bench/noop', { body: evaluation('nobody', 'x', 'y') })).body));
    expect(served).toEqual([real[0], real[1], real[0]]);
  });
});
