/**
 * Casbin RoleManager backed by the role graph, so g(subject, name) is a map lookup. Names in
 * policy rows:
 *   role:<name>   the subject holds the global role <name> in the question's scope
 *   user:<id>     the subject is that user
 *   group:<id>    the subject is a member of that group
 *   *             any authenticated subject
 *   anything else a fact the service attached to the question (owner, owner_group, ctx:admin...)
 * Links are never added through Casbin: grants and implied roles reach the graph from services.
 */
import type { RoleManager } from 'casbin';
import type { RoleFacts } from './engine.js';
import { parseSubjectKey } from './subject-key.js';

export class GraphRoleManager implements RoleManager {
  constructor(private readonly graph: RoleFacts) {}

  syncedHasLink(name1: string, name2: string): boolean {
    if (name1 === name2 || name2 === '*') return true;
    const subject = parseSubjectKey(name1);
    if (!subject) return false;
    if (name2.startsWith('role:')) {
      return this.graph.effectiveRoles(subject.userId, subject.scope).has(name2.slice(5));
    }
    if (name2.startsWith('user:')) return subject.userId === name2.slice(5);
    if (name2.startsWith('group:')) return this.graph.isMember(subject.userId, name2.slice(6));
    return subject.facts.includes(name2);
  }

  async hasLink(name1: string, name2: string): Promise<boolean> {
    return this.syncedHasLink(name1, name2);
  }

  async clear(): Promise<void> {}
  async addLink(): Promise<void> {}
  async deleteLink(): Promise<void> {}
  async getRoles(): Promise<string[]> {
    return [];
  }
  async getUsers(): Promise<string[]> {
    return [];
  }
  async printRoles(): Promise<void> {}
  async getDomains(): Promise<string[]> {
    return [];
  }
  async getAllDomains(): Promise<string[]> {
    return [];
  }
}
