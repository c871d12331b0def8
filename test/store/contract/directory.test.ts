import { expect, it } from 'vitest';
import { DuplicateError } from '../../../src/store/store-errors.js';
import { forEachStore } from './store-kinds.js';

const domain = (id: string, name = id) => ({ id, name, description: '', enabled: true });
const project = (id: string, domainId: string, parentId: string | null = null, name = id) => ({
  id,
  name,
  domainId,
  parentId,
  description: '',
  enabled: true,
});

forEachStore('directory store', (get) => {
  it('creates, reads, lists in id order, updates and deletes entities', async () => {
    const { domains } = get().directory;
    await domains.create(domain('d2', 'Two'));
    await domains.create(domain('d1', 'One'));
    expect(await domains.get('d1')).toEqual(domain('d1', 'One'));
    expect(await domains.get('nope')).toBeUndefined();
    expect((await domains.list()).map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(await domains.list({ name: 'Two' })).toEqual([domain('d2', 'Two')]);
    expect(await domains.update({ ...domain('d1', 'Uno'), enabled: false })).toEqual({ ...domain('d1', 'Uno'), enabled: false });
    expect((await domains.get('d1'))?.name).toBe('Uno');
    expect(await domains.update(domain('ghost'))).toBeUndefined();
    expect(await domains.delete('d1')).toBe(true);
    expect(await domains.delete('d1')).toBe(false);
    expect(await domains.get('d1')).toBeUndefined();
  });

  it('refuses a duplicate id or a duplicate name within a domain, and allows the name elsewhere', async () => {
    const { projects } = get().directory;
    await projects.create(project('p1', 'd1', null, 'web'));
    await expect(projects.create(project('p1', 'd1', null, 'other'))).rejects.toThrow(DuplicateError);
    await expect(projects.create(project('p2', 'd1', null, 'web'))).rejects.toThrow(/duplicate project name/);
    await projects.create(project('p3', 'd2', null, 'web'));
    await projects.create(project('p4', 'd1', null, 'api'));
    await expect(projects.update(project('p4', 'd1', null, 'web'))).rejects.toThrow(DuplicateError);
    expect((await projects.get('p4'))?.name).toBe('api');
  });

  it('filters projects by domain and parent, users by name', async () => {
    const { projects, users } = get().directory;
    await projects.create(project('root', 'd1'));
    await projects.create(project('kid', 'd1', 'root'));
    await projects.create(project('far', 'd2'));
    expect((await projects.list({ domainId: 'd1' })).map((p) => p.id)).toEqual(['kid', 'root']);
    expect((await projects.list({ parentId: 'root' })).map((p) => p.id)).toEqual(['kid']);
    await users.create({ id: 'u1', name: 'alice', domainId: 'd1', enabled: true, email: 'a@x' });
    await users.create({ id: 'u2', name: 'alice', domainId: 'd2', enabled: true });
    expect((await users.list({ name: 'alice' })).map((u) => u.id)).toEqual(['u1', 'u2']);
    expect(await users.get('u1')).toEqual({ id: 'u1', name: 'alice', domainId: 'd1', enabled: true, email: 'a@x' });
  });

  it('keeps group memberships idempotent and cascades user and group removal', async () => {
    const m = get().directory.memberships;
    await m.add('g1', 'u1');
    await m.add('g1', 'u1');
    await m.add('g2', 'u1');
    await m.add('g1', 'u2');
    expect(await m.has('g1', 'u1')).toBe(true);
    expect(await m.groupsOf('u1')).toEqual(['g1', 'g2']);
    expect(await m.usersOf('g1')).toEqual(['u1', 'u2']);
    expect(await m.all()).toHaveLength(3);
    expect(await m.remove('g2', 'u1')).toBe(true);
    expect(await m.remove('g2', 'u1')).toBe(false);
    await m.removeUser('u1');
    expect(await m.usersOf('g1')).toEqual(['u2']);
    await m.removeGroup('g1');
    expect(await m.all()).toEqual([]);
  });

  it('filters domains, projects and users by enabled', async () => {
    const { domains, projects, users } = get().directory;
    await domains.create(domain('on'));
    await domains.create({ ...domain('off'), enabled: false });
    await projects.create(project('p-on', 'on'));
    await projects.create({ ...project('p-off', 'on'), enabled: false });
    await users.create({ id: 'u-on', name: 'a', domainId: 'on', enabled: true });
    await users.create({ id: 'u-off', name: 'b', domainId: 'on', enabled: false });
    expect((await domains.list({ enabled: false })).map((d) => d.id)).toEqual(['off']);
    expect((await projects.list({ enabled: true })).map((p) => p.id)).toEqual(['p-on']);
    expect((await users.list({ enabled: false, domainId: 'on' })).map((u) => u.id)).toEqual(['u-off']);
  });

  it('keeps project tags and filters by all, any, not-all and not-any of them', async () => {
    const { projects } = get().directory;
    await projects.create({ ...project('ab', 'd1'), tags: ['a', 'b'] });
    await projects.create({ ...project('bc', 'd1'), tags: ['b', 'c'] });
    await projects.create({ ...project('c', 'd1'), tags: ['c'] });
    await projects.create(project('none', 'd1'));
    expect((await projects.get('ab'))?.tags).toEqual(['a', 'b']);
    const ids = async (tags: object) => (await projects.list({ tags })).map((p) => p.id);
    expect(await ids({ all: ['b'] })).toEqual(['ab', 'bc']);
    expect(await ids({ all: ['a', 'b'] })).toEqual(['ab']);
    expect(await ids({ any: ['a', 'c'] })).toEqual(['ab', 'bc', 'c']);
    expect(await ids({ notAll: ['b', 'c'] })).toEqual(['ab', 'c', 'none']);
    expect(await ids({ notAny: ['a', 'c'] })).toEqual(['none']);
    expect(await ids({ all: ['c'], notAny: ['b'] })).toEqual(['c']);
  });

  it('keeps a user\'s default project and extra attributes as given', async () => {
    const { users } = get().directory;
    const user = { id: 'u1', name: 'x', domainId: 'd1', enabled: true, defaultProjectId: 'p1', extra: { project_id: 'p1', team: { size: 3 } } };
    await users.create(user);
    expect(await users.get('u1')).toEqual(user);
    await users.update({ ...user, defaultProjectId: null, extra: { team: 'blue' } });
    expect(await users.get('u1')).toEqual({ ...user, defaultProjectId: null, extra: { team: 'blue' } });
  });
});
