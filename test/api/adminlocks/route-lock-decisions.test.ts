import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../../helpers/directory-fixtures.js';
import { reply, startAlFixture, type AlFixture } from './al-fixture.js';

describe('route locks in AuthZEN decisions (docs/compatibility.md §4.6, §8.2)', () => {
  let f: AlFixture;
  const ask = async (subject: string, action: string, id = '1234') => {
    const res = await f.t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'user', id: subject }, action: { name: action }, resource: { type: 'volume', id } },
    });
    expect(res.status).toBe(200);
    return res.body as { decision: boolean; context: { reason: string; locks: { id: string; kind: string; holder: string }[] } };
  };

  beforeAll(async () => {
    f = await startAlFixture();
    await register(f.t, 'volume', '1234');
    await register(f.t, 'volume', '99');
  });
  afterAll(async () => f.t.close());

  it('a route lock blocks mutating actions by anyone but its holder, never reads', async () => {
    expect((await ask('bob', 'update')).decision).toBe(true);
    expect((await f.as('alice', 'POST', '/admin/lock', { route: 'volume', id: '1234' })).body).toEqual(reply('Success', 200));
    const bob = await ask('bob', 'update');
    expect(bob.decision).toBe(false);
    expect(bob.context.reason).toBe('update is locked by route:volume:1234');
    expect(bob.context.locks).toEqual([expect.objectContaining({ id: 'route:volume:1234', kind: 'route', holder: 'alice' })]);
    expect((await ask('bob', 'delete')).decision).toBe(false);
    expect((await ask('admin', 'update')).decision).toBe(false);
    expect((await ask('bob', 'read')).decision).toBe(true);
    expect((await ask('alice', 'update')).decision).toBe(true);
  });

  it('releasing restores the decision', async () => {
    expect((await f.as('alice', 'DELETE', '/admin/remove-lock', { route: 'volume', id: '1234' })).body).toEqual(reply('Success', 200));
    expect((await ask('bob', 'update')).decision).toBe(true);
  });

  it('deleting the registered resource deletes its route lock', async () => {
    expect((await f.as('alice', 'POST', '/admin/lock', { route: 'volume', id: '99' })).status).toBe(200);
    expect((await f.t.request('DELETE', '/v1/resources/volume/99')).status).toBe(204);
    expect((await f.as('bob', 'POST', '/admin/lock', { route: 'volume', id: '99' })).body).toEqual(reply('Success', 200));
  });
});
