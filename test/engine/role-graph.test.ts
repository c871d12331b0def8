import { describe, expect, it } from 'vitest';
import { ImpliedRoleCycleError, RoleGraph, type GraphGrant } from '../../src/engine/role-graph.js';

function bootstrapGraph(): RoleGraph {
  const g = new RoleGraph();
  for (const name of ['admin', 'manager', 'member', 'reader', 'service']) g.putRole({ id: name, name, domainId: null });
  g.addImplication('admin', 'manager');
  g.addImplication('manager', 'member');
  g.addImplication('member', 'reader');
  g.putProject({ id: 'root', domainId: 'd1', parentId: null });
  g.putProject({ id: 'child', domainId: 'd1', parentId: 'root' });
  g.putProject({ id: 'leaf', domainId: 'd1', parentId: 'child' });
  g.putProject({ id: 'other', domainId: 'd2', parentId: null });
  return g;
}

const grant = (over: Partial<GraphGrant>): GraphGrant => ({
  actorType: 'user',
  actorId: 'bob',
  targetType: 'project',
  targetId: 'root',
  roleId: 'member',
  inherited: false,
  ...over,
});

const names = (g: RoleGraph, user: string, scope: string) => [...g.effectiveRoles(user, scope).keys()].sort();

describe('RoleGraph', () => {
  it('closes a grant over implied roles, with the chain as proof', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ roleId: 'admin' }));
    expect(names(g, 'bob', 'project:root')).toEqual(['admin', 'manager', 'member', 'reader']);
    const proof = g.effectiveRoles('bob', 'project:root').get('reader')!;
    expect(proof.chain).toEqual(['admin', 'manager', 'member', 'reader']);
    expect(g.describeProof('bob', proof)).toBe('bob → admin ⇒ manager ⇒ member ⇒ reader on project root');
  });

  it('refuses an implication that would close a cycle, and a self-implication', () => {
    const g = bootstrapGraph();
    expect(() => g.addImplication('reader', 'admin')).toThrow(ImpliedRoleCycleError);
    expect(() => g.addImplication('member', 'member')).toThrow(ImpliedRoleCycleError);
    expect(g.wouldCycle('service', 'admin')).toBe(false);
  });

  it('applies a project grant to that project only, not to children or siblings', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({}));
    expect(names(g, 'bob', 'project:root')).toEqual(['member', 'reader']);
    expect(names(g, 'bob', 'project:child')).toEqual([]);
    expect(names(g, 'bob', 'project:other')).toEqual([]);
    expect(names(g, 'bob', 'domain:d1')).toEqual([]);
  });

  it('applies an inherited project grant to the subtree below it, not to the project itself', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ inherited: true }));
    expect(names(g, 'bob', 'project:root')).toEqual([]);
    expect(names(g, 'bob', 'project:child')).toEqual(['member', 'reader']);
    expect(names(g, 'bob', 'project:leaf')).toEqual(['member', 'reader']);
    expect(g.effectiveRoles('bob', 'project:leaf').get('member')!.grant.targetId).toBe('root');
  });

  it('applies an inherited domain grant to every project of the domain, a plain one to the domain only', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ targetType: 'domain', targetId: 'd1', inherited: true, roleId: 'reader' }));
    g.addGrant(grant({ targetType: 'domain', targetId: 'd1', inherited: false, roleId: 'manager' }));
    expect(names(g, 'bob', 'project:leaf')).toEqual(['reader']);
    expect(names(g, 'bob', 'project:other')).toEqual([]);
    expect(names(g, 'bob', 'domain:d1')).toEqual(['manager', 'member', 'reader']);
  });

  it('adds system grants to every scope, and only those to the system scope', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ targetType: 'system', targetId: 'system', roleId: 'reader' }));
    g.addGrant(grant({ roleId: 'admin' }));
    expect(names(g, 'bob', 'system')).toEqual(['reader']);
    expect(names(g, 'bob', 'domain:d2')).toEqual(['reader']);
    expect(names(g, 'bob', 'project:root')).toEqual(['admin', 'manager', 'member', 'reader']);
  });

  it('gives members what their groups hold, and forgets it when they leave', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ actorType: 'group', actorId: 'ops', roleId: 'manager' }));
    expect(names(g, 'bob', 'project:root')).toEqual([]);
    g.addMember('ops', 'bob');
    expect(names(g, 'bob', 'project:root')).toEqual(['manager', 'member', 'reader']);
    expect(g.describeProof('bob', g.effectiveRoles('bob', 'project:root').get('member')!)).toBe(
      'bob → group ops → manager ⇒ member on project root',
    );
    g.removeMember('ops', 'bob');
    expect(names(g, 'bob', 'project:root')).toEqual([]);
  });

  it('holds roles and the groups they were read from as one pair, replaced when a membership changes', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ actorType: 'group', actorId: 'ops', roleId: 'member' }));
    g.addMember('ops', 'bob');
    const before = g.held('bob', 'project:root');
    expect([...before.groups]).toEqual(['ops']);
    expect(before.roles).toBe(g.effectiveRoles('bob', 'project:root'));
    expect(g.held('bob', 'project:root')).toBe(before); // remembered until bob's facts change
    g.removeMember('ops', 'bob');
    const after = g.held('bob', 'project:root');
    expect([...after.groups]).toEqual([]);
    expect([...after.roles.keys()]).toEqual([]);
    expect([...before.groups]).toEqual(['ops']); // a pair handed out never changes
  });

  it('answers pairs asked in turn (a caller, then others) with what the graph holds now', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ roleId: 'admin', targetType: 'system', targetId: '', actorId: 'root-user' }));
    g.addGrant(grant({ roleId: 'reader' }));
    const caller = g.held('root-user', 'system');
    for (const user of ['bob', 'alice', 'bob']) {
      expect(g.held('root-user', 'system')).toBe(caller);
      expect([...g.held(user, 'project:root').roles.keys()]).toEqual(user === 'bob' ? ['reader'] : []);
    }
    g.addGrant(grant({ actorId: 'alice', roleId: 'member' })); // alice's facts change between two asks
    expect([...g.held('alice', 'project:root').roles.keys()].sort()).toEqual(['member', 'reader']);
    g.removeGrant(grant({ roleId: 'admin', targetType: 'system', targetId: '', actorId: 'root-user' }));
    expect([...g.held('root-user', 'system').roles.keys()]).toEqual([]);
    expect([...g.held('bob', 'project:root').roles.keys()]).toEqual(['reader']);
  });

  it('strips domain-specific roles but keeps the global roles they imply', () => {
    const g = bootstrapGraph();
    g.putRole({ id: 'd1-auditor', name: 'auditor', domainId: 'd1' });
    g.addImplication('d1-auditor', 'reader');
    g.addGrant(grant({ roleId: 'd1-auditor' }));
    expect(names(g, 'bob', 'project:root')).toEqual(['reader']);
  });

  it('sees changes at once: new implication, removed grant, removed role', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ roleId: 'admin' }));
    expect(g.effectiveRoles('bob', 'project:root').has('service')).toBe(false);
    g.addImplication('admin', 'service');
    expect(g.effectiveRoles('bob', 'project:root').has('service')).toBe(true);
    g.removeRole('service');
    expect(g.effectiveRoles('bob', 'project:root').has('service')).toBe(false);
    g.removeGrant(grant({ roleId: 'admin' }));
    expect(names(g, 'bob', 'project:root')).toEqual([]);
  });

  it('cascades a role removal to its grants', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ roleId: 'reader' }));
    g.removeRole('reader');
    expect(g.grantsOf('user', 'bob')).toEqual([]);
  });

  it('moves a project subtree when a parent changes', () => {
    const g = bootstrapGraph();
    g.addGrant(grant({ targetId: 'other', inherited: true }));
    expect(names(g, 'bob', 'project:leaf')).toEqual([]);
    g.putProject({ id: 'child', domainId: 'd1', parentId: 'other' });
    expect(g.ancestorsOf('leaf')).toEqual(['child', 'other']);
    expect(names(g, 'bob', 'project:leaf')).toEqual(['member', 'reader']);
  });

  it('removes a user with memberships and grants', () => {
    const g = bootstrapGraph();
    g.addMember('ops', 'bob');
    g.addGrant(grant({}));
    g.removeUser('bob');
    expect(g.isMember('bob', 'ops')).toBe(false);
    expect(g.membersOf('ops').size).toBe(0);
    expect(names(g, 'bob', 'project:root')).toEqual([]);
  });
});
