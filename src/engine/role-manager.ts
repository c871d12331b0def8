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
import { parseSubjectKey, type SubjectKeyParts } from './subject-key.js';

/**
 * Does the subject (a parsed subject key) hold the row subject `name`? This is g() for every
 * name except the subject key itself (which g() also matches, as Casbin's default role manager
 * does); the answer memo (answer-memo.ts) asks it directly, so both read the graph alike.
 */
export function holdsSubject(graph: RoleFacts, subject: SubjectKeyParts, name: string): boolean {
  if (name === '*') return true;
  if (name.startsWith('role:')) return graph.held(subject.userId, subject.scope).roles.has(name.slice(5));
  if (name.startsWith('user:')) return subject.userId === name.slice(5);
  if (name.startsWith('group:')) return graph.isMember(subject.userId, name.slice(6));
  return subject.facts.includes(name);
}

export class GraphRoleManager implements RoleManager {
  constructor(private readonly graph: RoleFacts) {}

  syncedHasLink(name1: string, name2: string): boolean {
    if (name1 === name2) return true;
    const subject = parseSubjectKey(name1);
    // Without a subject key only '*' holds (name2 === '*' answered before parsing, as always).
    if (!subject) return name2 === '*';
    return holdsSubject(this.graph, subject, name2);
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
