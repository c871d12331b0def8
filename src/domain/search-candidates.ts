/**
 * Who and what a search needs to evaluate. A `p` row allows only a subject that holds its row
 * subject (g() is a conjunct of the matcher, before any condition), so the candidates of a search
 * are the holders of the subjects of the rows that could allow it (Engine.allowingSubjects):
 *   role:<name>   the role graph's reverse answers: who holds it in the resource's scope
 *                 (RoleGraph.holdersIn), or in which scopes the user holds it (scopesHolding)
 *   owner         the resource's owner / the resources the user owns (registry index)
 *   owner_group   the members of the resource's group / the resources of the user's groups
 *   user:<id>     that user / every resource when it names the user
 *   group:<id>    its members / every resource when the user is a member
 *   *             anyone: every user / every resource of the type (no narrowing)
 * Any other row subject is a fact no resource question carries (only owner and owner_group are
 * attached), so it adds nobody. The engine still decides every candidate; this only skips the
 * users and resources that no row could allow.
 */
import type { Engine } from '../engine/engine.js';
import type { RoleGraph } from '../engine/role-graph.js';
import type { ResourceFilter } from '../store/resource-store.js';

/** Beyond this many index lists, one pass over the type is cheaper than merging them. */
const MAX_LISTS = 256;

/**
 * Users who might be allowed the action on a resource in this scope, with this owner and group.
 * `anyone`: a row allows anyone, so every directory user is a candidate too (`users` still names
 * the holders of the other rows' subjects, who need not be in the directory).
 */
export function candidateUsers(
  engine: Engine,
  graph: RoleGraph,
  action: string,
  resource: { readonly type: string; readonly scope: string; readonly owner: string | null; readonly group: string | null },
): { users: Set<string>; anyone: boolean } {
  const users = new Set<string>();
  const roles = new Set<string>();
  let anyone = false;
  for (const s of engine.allowingSubjects(action, resource.type)) {
    if (opensToAnyone(s)) anyone = true;
    else if (s.startsWith('role:')) roles.add(s.slice(5));
    else if (s.startsWith('user:')) users.add(s.slice(5));
    else if (s.startsWith('group:')) addAll(users, graph.membersOf(s.slice(6)));
    else if (s === 'owner') {
      if (resource.owner) users.add(resource.owner);
    } else if (s === 'owner_group') {
      if (resource.group) addAll(users, graph.membersOf(resource.group));
    }
  }
  if (roles.size) addAll(users, graph.holdersIn(roles, resource.scope));
  return { users, anyone };
}

/**
 * Registry filters whose union holds every resource of the type the user might be allowed the
 * action on; undefined when only a pass over every resource of the type will do (a row allows
 * anyone, or the user, or a group of theirs; a system grant; too many lists to merge).
 */
export function candidateResourceFilters(
  engine: Engine,
  graph: RoleGraph,
  userId: string,
  action: string,
  type: string,
): ResourceFilter[] | undefined {
  const filters = new Map<string, ResourceFilter>();
  const add = (f: ResourceFilter) => filters.set(JSON.stringify(f), f);
  const roles = new Set<string>();
  for (const s of engine.allowingSubjects(action, type)) {
    if (opensToAnyone(s)) return undefined;
    if (s.startsWith('role:')) roles.add(s.slice(5));
    else if (s.startsWith('user:')) {
      if (s.slice(5) === userId) return undefined;
    } else if (s.startsWith('group:')) {
      if (graph.isMember(userId, s.slice(6))) return undefined;
    } else if (s === 'owner') add({ type, owner: userId });
    else if (s === 'owner_group') for (const group of graph.groupsOf(userId)) add({ type, group });
  }
  if (roles.size) {
    const held = graph.scopesHolding(userId, roles);
    if (held.everywhere) return undefined;
    for (const scope of held.scopes) {
      if (scope.startsWith('project:')) add({ type, projectId: scope.slice('project:'.length) });
      else if (scope.startsWith('domain:')) add({ type, domainId: scope.slice('domain:'.length), projectId: null });
    }
  }
  return filters.size > MAX_LISTS ? undefined : [...filters.values()];
}

/**
 * `*` holds for anyone; a name with a newline could equal a subject key itself (g() holds for
 * equal names), so it is not narrowed either.
 */
function opensToAnyone(subject: string): boolean {
  return subject === '*' || subject.includes('\n');
}

function addAll<T>(set: Set<T>, items: Iterable<T>): void {
  for (const item of items) set.add(item);
}
