/** Single-resource set_ownership through the real app (docs/compatibility.md §5.3, §5.4, §7 ). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { register, registered, seedWorld, setOwnership } from './world.js';

describe('POST /api/{collection}/{id} set_ownership', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedWorld(t);
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await register(t, 'vms', '320', { project_id: 'p1', owner: 'u-old', group: 'g-sales', attributes: { name: 'web-1' } });
  });

  const act = (resource: unknown, path = '/api/vms/320') => setOwnership(t, path, { action: 'set_ownership', resource });

  it('answers the seed example exactly and stores owner and group on the registered resource', async () => {
    const res = await act({ owner: { userid: 'jdoe' }, group: { description: 'TestGroup' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      message: 'setting ownership of vms id 320 to owner: jdoe, group: TestGroup',
      href: `${t.url}/api/vms/320`,
    });
    expect(await registered(t, 'vms', '320')).toMatchObject({ owner: 'u-jdoe', group: 'g-test' });
  });

  it('uses the request prefix, versioned or not, in the href', async () => {
    const res = await act({ owner: { name: 'jdoe' } }, '/api/v4.0/vms/320');
    expect(res.status).toBe(200);
    expect(res.body.href).toBe(`${t.url}/api/v4.0/vms/320`);
  });

  it('takes the body minus action as the data when there is no resource wrapper', async () => {
    const res = await setOwnership(t, '/api/vms/320', { action: 'set_ownership', owner: { id: 'u-john' } });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('setting ownership of vms id 320 to owner: John Doe');
  });

  it.each([
    ['href', { href: 'http://localhost:3000/api/users/u-john' }],
    ['id as a string', { id: 'u-john' }],
    ['name', { name: 'John Doe' }],
    ['userid (the login name)', { userid: 'John Doe' }],
  ])('resolves the owner by %s and names them by their name', async (_how, owner) => {
    const res = await act({ owner });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('setting ownership of vms id 320 to owner: John Doe');
    expect(await registered(t, 'vms', '320')).toMatchObject({ owner: 'u-john', group: 'g-sales' });
  });

  it('compares a numeric owner id as a string', async () => {
    const res = await act({ owner: { id: 3 } });
    expect(res.status).toBe(200);
    expect((await registered(t, 'vms', '320'))?.owner).toBe('3');
  });

  it.each([
    ['href', { href: 'http://localhost:3000/api/groups/g-test' }],
    ['id', { id: 'g-test' }],
    ['description', { description: 'TestGroup' }],
  ])('resolves the group by %s and names it by its description', async (_how, group) => {
    const res = await act({ group });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('setting ownership of vms id 320 to group: TestGroup');
    expect(await registered(t, 'vms', '320')).toMatchObject({ owner: 'u-old', group: 'g-test' });
  });

  it('falls back to the group name when no description matches, and shows the name when the description is empty', async () => {
    const res = await act({ group: { description: 'ops' } });
    expect(res.body.message).toBe('setting ownership of vms id 320 to group: ops');
    expect((await registered(t, 'vms', '320'))?.group).toBe('g-ops');
  });

  it('applies only the part that resolves and leaves the other field alone (Q-1)', async () => {
    const res = await act({ owner: { id: 'nobody' }, group: { description: 'TestGroup' } });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('setting ownership of vms id 320 to group: TestGroup');
    expect(await registered(t, 'vms', '320')).toMatchObject({ owner: 'u-old', group: 'g-test' });
    const ownerOnly = await act({ owner: { name: 'jdoe' }, group: { description: 'No Such Group' } });
    expect(ownerOnly.body.message).toBe('setting ownership of vms id 320 to owner: jdoe');
    expect(await registered(t, 'vms', '320')).toMatchObject({ owner: 'u-jdoe', group: 'g-test' });
  });

  it('answers 400 with a failed action result when neither resolves (Q-2), changing nothing', async () => {
    const res = await act({ owner: { id: 999999 } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      success: false,
      message: 'Must specify a valid owner or group for setting ownership',
      href: `${t.url}/api/vms/320`,
    });
    expect(await registered(t, 'vms', '320')).toMatchObject({ owner: 'u-old', group: 'g-sales' });
  });

  it.each([
    ['a well-formed href beats a matching name', { href: 'http://x/api/users/missing', name: 'jdoe' }, undefined],
    ['an id beats a matching name', { id: 'missing', name: 'jdoe' }, undefined],
    ['a malformed href is ignored in favour of the id', { href: 'http://x/api/people/u-jdoe', id: 'u-john' }, 'u-john'],
    ['name is tried before userid', { name: 'jdoe', userid: 'John Doe' }, 'u-jdoe'],
    ['userid is tried when name matches nothing', { name: 'Nobody', userid: 'John Doe' }, 'u-john'],
    ['several users with the name: the lowest id', { name: 'Pat' }, '3'],
  ])('precedence: %s (Q-5)', async (_rule, owner, expected) => {
    const res = await act({ owner });
    if (expected === undefined) {
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Must specify a valid owner or group for setting ownership');
      expect((await registered(t, 'vms', '320'))?.owner).toBe('u-old');
    } else {
      expect(res.status).toBe(200);
      expect((await registered(t, 'vms', '320'))?.owner).toBe(expected);
    }
  });

  it('drops references that are not objects', async () => {
    const res = await act({ owner: 'jdoe', group: { description: 'TestGroup' } });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('setting ownership of vms id 320 to group: TestGroup');
  });

  it.each([
    ['an empty resource', { action: 'set_ownership', resource: {} }, 'data = {}'],
    ['no data at all', { action: 'set_ownership' }, 'data = {}'],
    ['neither owner nor group', { action: 'set_ownership', resource: { colour: 'blue', n: 1 } }, 'data = {"colour"=>"blue", "n"=>1}'],
    ['null owner and group', { action: 'set_ownership', resource: { owner: null, group: null } }, 'data = {"owner"=>nil, "group"=>nil}'],
  ])('rejects %s with 400 in the error envelope', async (_case, body, shown) => {
    const res = await setOwnership(t, '/api/vms/320', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { kind: 'bad_request', message: `Must specify an owner or group for setting ownership ${shown}`, klass: 'Api::BadRequestError' },
    });
  });

  it('answers 404 for a target that is not registered, naming the model class', async () => {
    const vm = await act({ owner: { id: 1 } }, '/api/vms/999999');
    expect(vm.status).toBe(404);
    expect(vm.body).toEqual({
      error: { kind: 'not_found', message: "Couldn't find Vm with 'id'=999999", klass: 'ActiveRecord::RecordNotFound' },
    });
    const svc = await act({ owner: { name: 'jdoe' } }, '/api/services/5');
    expect(svc.body.error.message).toBe("Couldn't find Service with 'id'=5");
    const tpl = await act({ owner: { name: 'jdoe' } }, '/api/templates/5');
    expect(tpl.body.error.message).toBe("Couldn't find MiqTemplate with 'id'=5");
  });

  it('answers 400 for a non-integer id in the path', async () => {
    const res = await act({ owner: { name: 'jdoe' } }, '/api/vms/abc');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { kind: 'bad_request', message: 'Invalid Vm id abc specified', klass: 'Api::BadRequestError' } });
  });

  it('serves every ManageIQ collection, each as its own registry type', async () => {
    for (const collection of ['auth_key_pairs', 'cloud_templates', 'instances', 'service_templates', 'services', 'templates', 'vms']) {
      await register(t, collection, '7');
      const res = await act({ owner: { name: 'jdoe' } }, `/api/${collection}/7`);
      expect(res.status, collection).toBe(200);
      expect(res.body.message).toBe(`setting ownership of ${collection} id 7 to owner: jdoe`);
      expect((await registered(t, collection, '7'))?.owner).toBe('u-jdoe');
    }
  });
});
