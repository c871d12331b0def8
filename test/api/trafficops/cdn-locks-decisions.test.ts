import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../../helpers/directory-fixtures.js';
import { startToFixture, type ToFixture } from './to-fixture.js';

const PATH = '/api/4.0/cdn_locks';

describe('CDN locks in AuthZEN decisions (docs/compatibility.md §3.4, §8.2)', () => {
  let f: ToFixture;
  const ask = async (subject: string, action: string, type = 'cdn', id = 'dec') => {
    const res = await f.t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'user', id: subject }, action: { name: action }, resource: { type, id } },
    });
    expect(res.status).toBe(200);
    return res.body as { decision: boolean; context: { reason: string; locks: { id: string; kind: string; holder: string }[] } };
  };
  const lock = async (body: Record<string, unknown>) => expect((await f.as('alice', 'POST', PATH, { body })).status).toBe(201);
  const unlock = async () => expect((await f.as('alice', 'DELETE', `${PATH}?cdn=dec`)).status).toBe(200);

  beforeAll(async () => {
    f = await startToFixture(['dec', 'gone']);
    await register(f.t, 'deliveryservice', 'ds1', { attributes: { cdn: 'dec' } });
  });
  afterAll(async () => f.t.close());

  it('without a lock, operations users may snapshot and update', async () => {
    expect((await ask('bob', 'snapshot')).decision).toBe(true);
    expect((await ask('bob', 'update')).decision).toBe(true);
  });

  it('a soft lock reserves snapshot and queue_update to the holder and shared users, not updates', async () => {
    await lock({ cdn: 'dec', sharedUserNames: ['carol'] });
    const bob = await ask('bob', 'snapshot');
    expect(bob.decision).toBe(false);
    expect(bob.context.reason).toBe('snapshot is locked by cdn_lock:dec');
    expect(bob.context.locks).toEqual([
      expect.objectContaining({ id: 'cdn_lock:dec', kind: 'cdn:soft', holder: 'alice' }),
    ]);
    expect((await ask('bob', 'queue_update')).decision).toBe(false);
    expect((await ask('admin', 'snapshot')).decision).toBe(false); // admins are not exempt
    expect((await ask('bob', 'update')).decision).toBe(true);
    expect((await ask('alice', 'snapshot')).decision).toBe(true);
    expect((await ask('carol', 'snapshot')).decision).toBe(true);
    await unlock();
  });

  it('a hard lock also blocks configuration changes by others, on the CDN and its delivery services', async () => {
    await lock({ cdn: 'dec', soft: false, sharedUserNames: ['carol'] });
    const bob = await ask('bob', 'update');
    expect(bob.decision).toBe(false);
    expect(bob.context.locks[0]).toMatchObject({ id: 'cdn_lock:dec', kind: 'cdn:hard' });
    expect((await ask('bob', 'delete', 'deliveryservice', 'ds1')).decision).toBe(false);
    expect((await ask('carol', 'update')).decision).toBe(true);
    expect((await ask('alice', 'update', 'deliveryservice', 'ds1')).decision).toBe(true);
    expect((await ask('bob', 'read')).decision).toBe(true);
    await unlock();
  });

  it('releasing the lock restores the decisions', async () => {
    expect((await ask('bob', 'snapshot')).decision).toBe(true);
    expect((await ask('bob', 'update')).decision).toBe(true);
  });

  it('deleting the cdn resource deletes its lock', async () => {
    expect((await f.as('alice', 'POST', PATH, { body: { cdn: 'gone', soft: false } })).status).toBe(201);
    expect((await f.t.request('DELETE', '/v1/resources/cdn/gone')).status).toBe(204);
    expect((await f.as('rita', 'GET', `${PATH}?cdn=gone`)).body.response).toEqual([]);
    await register(f.t, 'cdn', 'gone');
    expect((await f.as('bob', 'POST', PATH, { body: { cdn: 'gone' } })).status).toBe(201);
  });
});
