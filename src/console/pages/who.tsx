/**
 * Who holds what, from the Keystone API: per user (groups, grants by scope, effective roles on a
 * chosen project), per project (the tree, and who holds which role there, inherited and implied
 * marked), and the implied-role graph drawn as a picture.
 */
import { useState } from 'preact/hooks';
import { query, request } from '../api';
import { ImpliedRoleGraph, type Inference } from '../components/implied-graph';
import { Tabs } from '../components/tabs';
import { Loaded, NotPermitted, Page, useAsync, useSession } from '../components/ui';
import { loadDirectory, type Directory, type Named } from '../directory';
import { may, type Session } from '../session';

/** A role assignment as `GET /v3/role_assignments?include_names` answers it. */
interface Assignment {
  readonly role: { id: string; name: string };
  readonly user?: { id: string; name: string };
  readonly group?: { id: string; name: string };
  readonly scope: {
    project?: { id: string; name: string };
    domain?: { id: string; name: string };
    system?: { all: boolean };
    'OS-INHERIT:inherited_to'?: string;
  };
  readonly links: { assignment: string; membership?: string; prior_role?: string };
}

const assignments = async (session: Session, params: Record<string, string | boolean | undefined>): Promise<Assignment[]> =>
  (await request(session.token, 'GET', `/v3/role_assignments${query({ include_names: true, ...params })}`)).body.role_assignments;

function scopeText(a: Assignment): string {
  if (a.scope.project) return `project ${a.scope.project.name}`;
  if (a.scope.domain) return `domain ${a.scope.domain.name}`;
  return 'system';
}

/** How an effective assignment came about: directly, through a group, inherited from an ancestor, implied by a role. */
function how(a: Assignment, directory: Directory, roles: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  const group = /\/groups\/([^/]+)/.exec(a.links.membership ?? a.links.assignment)?.[1];
  if (a.links.membership && group) out.push(`via group ${directory.groupName(group)}`);
  const inherited = /\/OS-INHERIT\/(projects|domains)\/([^/]+)\//.exec(a.links.assignment);
  if (inherited) out.push(`inherited from ${inherited[1] === 'projects' ? `project ${directory.projectName(inherited[2]!)}` : `domain ${directory.domainName(inherited[2]!)}`}`);
  if (a.links.prior_role) {
    // The rule's other role (the one that implies this one).
    const ids = /prior_roles?\/([^/]+)\/implies\/([^/]+)/.exec(a.links.prior_role);
    const prior = ids ? (ids[1] === a.role.id ? ids[2]! : ids[1]!) : undefined;
    out.push(`implied by ${prior ? (roles.get(prior) ?? prior) : 'another role'}`);
  }
  return out.length ? out : ['direct grant'];
}

export function WhoPage() {
  const [tab, setTab] = useState('user');
  return (
    <Page title="Who holds what" intro="Users, groups and projects as the Keystone API shows them, with the roles held, inherited and implied.">
      <Tabs
        label="Views"
        tabs={[
          { id: 'user', label: 'By user' },
          { id: 'project', label: 'By project' },
          { id: 'graph', label: 'Implied roles' },
        ]}
        selected={tab}
        onSelect={setTab}
      >
        {tab === 'user' ? <ByUser /> : tab === 'project' ? <ByProject /> : <ImpliedRoles />}
      </Tabs>
    </Page>
  );
}

/** Role names by id, for "implied by" (from the inference rules, which name every prior role). */
function useRoleNames(session: Session) {
  return useAsync(async () => {
    const names = new Map<string, string>();
    if (!may(session, 'identity:list_role_inference_rules')) return names;
    const rules = (await request(session.token, 'GET', '/v3/role_inferences')).body.role_inferences as { prior_role: Named; implies: Named[] }[];
    for (const r of rules) for (const role of [r.prior_role, ...r.implies]) names.set(role.id, role.name);
    return names;
  }, [session.token]);
}

function ByUser() {
  const session = useSession();
  const directory = useAsync(() => loadDirectory(session), [session.token]);
  const [userId, setUserId] = useState('');
  const [projectId, setProjectId] = useState('');
  if (!may(session, 'identity:list_users')) return <NotPermitted what="list users" permission="identity:list_users" />;
  return (
    <Loaded state={directory} what="the directory">
      {(d) => (
        <>
          <div class="card form inline">
            <label for="who-user">User</label>
            <select id="who-user" value={userId} onChange={(e) => setUserId(e.currentTarget.value)}>
              <option value="">Choose a user…</option>
              {d.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          {userId ? <UserDetail key={userId} userId={userId} directory={d} projectId={projectId} onProject={setProjectId} /> : null}
        </>
      )}
    </Loaded>
  );
}

function UserDetail(props: { userId: string; directory: Directory; projectId: string; onProject: (id: string) => void }) {
  const session = useSession();
  const d = props.directory;
  const roleNames = useRoleNames(session);
  const data = useAsync(async () => {
    const groups = may(session, 'identity:list_groups_for_user')
      ? ((await request(session.token, 'GET', `/v3/users/${props.userId}/groups`)).body.groups as Named[])
      : undefined;
    if (!may(session, 'identity:list_role_assignments')) return { groups, grants: undefined };
    const own = await assignments(session, { 'user.id': props.userId });
    const viaGroups = await Promise.all((groups ?? []).map((g) => assignments(session, { 'group.id': g.id })));
    return { groups, grants: [...own, ...viaGroups.flat()] };
  }, [props.userId, session.token]);
  const effective = useAsync(
    async () => (props.projectId && may(session, 'identity:list_role_assignments') ? assignments(session, { 'user.id': props.userId, 'scope.project.id': props.projectId, effective: true }) : undefined),
    [props.userId, props.projectId, session.token],
  );
  const name = d.userName(props.userId);
  return (
    <Loaded state={data} what={`${name}'s groups and grants`}>
      {({ groups, grants }) => (
        <div class="grid-2">
          <section class="card" aria-labelledby="groups-title">
            <h2 id="groups-title">Groups of {name}</h2>
            {groups === undefined ? (
              <NotPermitted what="list a user's groups" permission="identity:list_groups_for_user" />
            ) : groups.length ? (
              <ul class="plain">
                {groups.map((g) => (
                  <li key={g.id}>{g.name}</li>
                ))}
              </ul>
            ) : (
              <p class="muted">{name} is in no group.</p>
            )}
          </section>
          <section class="card" aria-labelledby="grants-title">
            <h2 id="grants-title">Grants to {name} and their groups</h2>
            {grants === undefined ? (
              <NotPermitted what="list role assignments" permission="identity:list_role_assignments" />
            ) : grants.length ? (
              <table>
                <caption class="visually-hidden">Grants by scope</caption>
                <thead>
                  <tr>
                    <th scope="col">Scope</th>
                    <th scope="col">Role</th>
                    <th scope="col">Granted to</th>
                  </tr>
                </thead>
                <tbody>
                  {grants
                    .slice()
                    .sort((a, b) => scopeText(a).localeCompare(scopeText(b)))
                    .map((a) => (
                      <tr key={a.links.assignment}>
                        <td>
                          {scopeText(a)}
                          {a.scope['OS-INHERIT:inherited_to'] ? <span class="tag">inherited to projects</span> : null}
                        </td>
                        <td>{a.role.name}</td>
                        <td>{a.group ? `group ${a.group.name}` : 'the user'}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">No grants.</p>
            )}
          </section>
          <section class="card span-2" aria-labelledby="effective-title">
            <h2 id="effective-title">Effective roles of {name} on a project</h2>
            <div class="form inline">
              <label for="who-project">Project</label>
              <select id="who-project" value={props.projectId} onChange={(e) => props.onProject(e.currentTarget.value)}>
                <option value="">Choose a project…</option>
                {d.projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            {props.projectId ? (
              <Loaded state={effective} what="effective roles">
                {(list) =>
                  list?.length ? (
                    <table>
                      <caption class="visually-hidden">Effective roles on project {d.projectName(props.projectId)}</caption>
                      <thead>
                        <tr>
                          <th scope="col">Role</th>
                          <th scope="col">How</th>
                        </tr>
                      </thead>
                      <tbody>
                        {list.map((a, i) => (
                          <tr key={i}>
                            <td>{a.role.name}</td>
                            <td>{how(a, d, roleNames.data ?? new Map()).join(', ')}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : (
                    <p class="muted">
                      {name} holds no role on project {d.projectName(props.projectId)}.
                    </p>
                  )
                }
              </Loaded>
            ) : null}
          </section>
        </div>
      )}
    </Loaded>
  );
}

function ByProject() {
  const session = useSession();
  const directory = useAsync(() => loadDirectory(session), [session.token]);
  const [projectId, setProjectId] = useState('');
  if (!may(session, 'identity:list_projects')) return <NotPermitted what="list projects" permission="identity:list_projects" />;
  return (
    <Loaded state={directory} what="the projects">
      {(d) => (
        <div class="grid-sidebar">
          <section class="card" aria-labelledby="tree-title">
            <h2 id="tree-title">Project tree</h2>
            <ProjectTree projects={d.projects} parent={null} selected={projectId} onSelect={setProjectId} />
          </section>
          <section class="card" aria-labelledby="holders-title">
            <h2 id="holders-title">{projectId ? `Who holds which role on ${d.projectName(projectId)}` : 'Choose a project'}</h2>
            {projectId ? <Holders key={projectId} projectId={projectId} directory={d} /> : <p class="muted">Choose a project in the tree.</p>}
          </section>
        </div>
      )}
    </Loaded>
  );
}

function ProjectTree(props: { projects: readonly Named[]; parent: string | null; selected: string; onSelect: (id: string) => void }) {
  const known = new Set(props.projects.map((p) => p.id));
  // Roots: no parent, or a parent this list does not hold (a domain).
  const children = props.projects.filter((p) => (props.parent === null ? !p.parent_id || !known.has(p.parent_id) : p.parent_id === props.parent));
  if (!children.length) return null;
  return (
    <ul class={props.parent === null ? 'tree' : undefined}>
      {children.map((p) => (
        <li key={p.id}>
          <button type="button" class="link-button" aria-pressed={p.id === props.selected} onClick={() => props.onSelect(p.id)}>
            {p.name}
          </button>
          <ProjectTree {...props} parent={p.id} />
        </li>
      ))}
    </ul>
  );
}

function Holders(props: { projectId: string; directory: Directory }) {
  const session = useSession();
  const roleNames = useRoleNames(session);
  const list = useAsync(
    async () => (may(session, 'identity:list_role_assignments') ? assignments(session, { 'scope.project.id': props.projectId, effective: true }) : undefined),
    [props.projectId, session.token],
  );
  if (!may(session, 'identity:list_role_assignments')) return <NotPermitted what="list role assignments" permission="identity:list_role_assignments" />;
  return (
    <Loaded state={list} what="role assignments">
      {(items) =>
        items?.length ? (
          <table>
            <caption class="visually-hidden">Effective role assignments on the project</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">How</th>
              </tr>
            </thead>
            <tbody>
              {items
                .slice()
                .sort((a, b) => (a.user?.name ?? '').localeCompare(b.user?.name ?? '') || a.role.name.localeCompare(b.role.name))
                .map((a, i) => {
                  const marks = how(a, props.directory, roleNames.data ?? new Map());
                  return (
                    <tr key={i}>
                      <td>{a.user?.name ?? a.group?.name}</td>
                      <td>{a.role.name}</td>
                      <td>
                        {marks.map((m) => (
                          <span key={m} class={`tag${m.startsWith('inherited') ? ' tag-inherited' : ''}`}>
                            {m}
                          </span>
                        ))}
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        ) : (
          <p class="muted">Nobody holds a role here.</p>
        )
      }
    </Loaded>
  );
}

function ImpliedRoles() {
  const session = useSession();
  const rules = useAsync(
    async () =>
      may(session, 'identity:list_role_inference_rules')
        ? ((await request(session.token, 'GET', '/v3/role_inferences')).body.role_inferences as { prior_role: Named; implies: Named[] }[])
        : undefined,
    [session.token],
  );
  if (!may(session, 'identity:list_role_inference_rules')) {
    return <NotPermitted what="list implied-role rules" permission="identity:list_role_inference_rules" />;
  }
  return (
    <Loaded state={rules} what="the implied-role rules">
      {(list) => {
        const inferences: Inference[] = (list ?? []).map((r) => ({ prior: r.prior_role, implies: r.implies }));
        return (
          <div class="grid-sidebar reverse">
            <section class="card graph-card" aria-labelledby="graph-title">
              <h2 id="graph-title">Implied-role graph</h2>
              <ImpliedRoleGraph rules={inferences} />
            </section>
            <section class="card" aria-labelledby="rules-title">
              <h2 id="rules-title">Rules</h2>
              <ul class="plain">
                {inferences.flatMap((r) =>
                  r.implies.map((i) => (
                    <li key={`${r.prior.id}-${i.id}`}>
                      {r.prior.name} ⇒ {i.name}
                    </li>
                  )),
                )}
              </ul>
            </section>
          </div>
        );
      }}
    </Loaded>
  );
}
