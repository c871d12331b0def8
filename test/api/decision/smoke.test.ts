import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('owner decision through the real app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('allows the owner and denies a stranger, each with an explanation', async () => {
    const put = await t.request('PUT', '/v1/resources/vm/320', { body: { owner: 'jdoe', project_id: 'p1' } });
    expect(put.status).toBe(201);
    const ask = (id: string) =>
      t.request('POST', '/access/v1/evaluation', {
        body: { subject: { type: 'user', id }, action: { name: 'update' }, resource: { type: 'vm', id: '320' } },
      });
    const owner = await ask('jdoe');
    expect(owner.body.decision).toBe(true);
    expect(owner.body.context.policy.source).toMatch(/^policies\/resources\.csv:\d+$/);
    expect(owner.body.context.relations).toEqual(['owner']);
    const stranger = await ask('eve');
    expect(stranger.body.decision).toBe(false);
    expect(stranger.body.context.reason).toMatch(/no policy allows update/);
  });
});
