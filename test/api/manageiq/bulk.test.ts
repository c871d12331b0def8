/** Bulk set_ownership through the real app (docs/compatibility.md §5.5, §7 Q-3). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { register, registered, seedWorld, setOwnership } from './world.js';

describe('POST /api/{collection} set_ownership', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedWorld(t);
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    for (const id of ['104', '105', '106']) {
      await register(t, 'services', id, { project_id: 'p1', owner: 'u-old', attributes: { name: `svc-${id}`, guid: `guid-${id}` } });
    }
  });

  const bulk = (resources: unknown, path = '/api/services') => setOwnership(t, path, { action: 'set_ownership', resources });
  const owners = async () => Promise.all(['104', '105', '106'].map(async (id) => (await registered(t, 'services', id))?.owner));

  it('answers the seed example exactly', async () => {
    const res = await bulk([
      { href: 'http://localhost:3000/api/services/104', owner: { name: 'John Doe' } },
      { href: 'http://localhost:3000/api/services/105', owner: { name: 'John Doe' } },
      { href: 'http://localhost:3000/api/services/106', owner: { name: 'John Doe' } },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      results: ['104', '105', '106'].map((id) => ({
        success: true,
        message: `setting ownership of services id ${id} to owner: John Doe`,
        href: `${t.url}/api/services/${id}`,
      })),
    });
    expect(await owners()).toEqual(['u-john', 'u-john', 'u-john']);
  });

  it('reports per-item failures with 200 and still applies the other items, in request order', async () => {
    const res = await bulk(
      [
        { href: 'http://localhost:3000/api/services/104', owner: { name: 'John Doe' } },
        { href: 'http://localhost:3000/api/services/999', owner: { name: 'John Doe' }, group: { id: 'g-test' } },
        { id: 105, owner: { id: 'nobody' } },
        null,
        {},
        { id: '106', owner: { name: 'Nobody' }, group: { description: 'TestGroup' } },
        { id: 'abc', owner: { name: 'jdoe' } },
      ],
      '/api/v4.0/services',
    );
    expect(res.status).toBe(200);
    const base = `${t.url}/api/v4.0/services`;
    expect(res.body.results).toEqual([
      { success: true, message: 'setting ownership of services id 104 to owner: John Doe', href: `${base}/104` },
      { success: false, message: "Couldn't find Service with 'id'=999", href: `${base}/999` },
      { success: false, message: 'Must specify a valid owner or group for setting ownership', href: `${base}/105` },
      { success: true, message: 'setting ownership of services id 106 to group: TestGroup', href: `${base}/106` },
      { success: false, message: 'Invalid Service id abc specified', href: `${base}/abc` },
    ]);
    expect(await owners()).toEqual(['u-john', 'u-old', 'u-old']);
    expect((await registered(t, 'services', '106'))?.group).toBe('g-test');
  });

  it('finds a target by its identifying attributes when an item has neither href nor id', async () => {
    const res = await bulk([{ name: 'svc-105', owner: { userid: 'jdoe' } }, { guid: 'guid-106', owner: { userid: 'jdoe' } }]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { href: string }) => r.href)).toEqual([`${t.url}/api/services/105`, `${t.url}/api/services/106`]);
    expect(await owners()).toEqual(['u-old', 'u-jdoe', 'u-jdoe']);
  });

  describe('whole-request errors abort before any item is applied (Q-3)', () => {
    const cases: [string, unknown, string][] = [
      [
        'an item without a target',
        [{ id: 104, owner: { name: 'jdoe' } }, { owner: { name: 'jdoe' } }],
        'Must specify an id for setting ownership of a services resource',
      ],
      [
        'an item whose href names another collection',
        [{ id: 104, owner: { name: 'jdoe' } }, { href: 'http://localhost:3000/api/vms/105', owner: { name: 'jdoe' } }],
        'Must specify an id for setting ownership of a services resource',
      ],
      [
        'an item without owner or group',
        [{ id: 104, owner: { name: 'jdoe' } }, { href: 'http://localhost:3000/api/services/105' }],
        'Must specify an owner or group for setting ownership data = {}',
      ],
      ['an empty list', [], 'No services resources were specified for the set_ownership action'],
      ['only blank items', [null, {}, ''], 'No services resources were specified for the set_ownership action'],
      ['no resources at all', undefined, 'No services resources were specified for the set_ownership action'],
    ];
    it.each(cases)('%s', async (_case, resources, message) => {
      const res = await bulk(resources);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { kind: 'bad_request', message, klass: 'Api::BadRequestError' } });
      expect(await owners()).toEqual(['u-old', 'u-old', 'u-old']);
    });
  });
});
