/**
 * A decision's role path drawn as a chain: user → group → role ⇒ implied role on scope. The
 * decision API gives the path as text (`<user> → group <group> → admin ⇒ member on project <id>
 * (inherited)`, the engine's wording); the ids in it are named from the directory where the
 * signed-in user may read it.
 */
import type { Directory } from '../directory';

export interface RolePath {
  readonly user: string;
  readonly group?: string;
  readonly roles: readonly string[];
  readonly scope: { readonly type: 'project' | 'domain' | 'system'; readonly id?: string };
  readonly inherited: boolean;
}

const PATH = /^(.+?)(?: → group (.+?))? → (.+) on (?:(project|domain) (\S+)|(system))( \(inherited\))?$/u;

/** The parts of a role path, or undefined when the text is not in the engine's wording. */
export function parseRolePath(text: string): RolePath | undefined {
  const m = PATH.exec(text);
  if (!m) return undefined;
  const [, user, group, roles, type, id, system, inherited] = m;
  return {
    user: user!,
    ...(group ? { group } : {}),
    roles: roles!.split(' ⇒ '),
    scope: system ? { type: 'system' } : { type: type as 'project' | 'domain', id: id! },
    inherited: Boolean(inherited),
  };
}

export function RoleChain(props: { path: string; directory?: Directory | undefined }) {
  const parsed = parseRolePath(props.path);
  if (!parsed) return <p class="mono">{props.path}</p>;
  const d = props.directory;
  const scope =
    parsed.scope.type === 'system'
      ? 'system'
      : `${parsed.scope.type} ${parsed.scope.type === 'project' ? (d?.projectName(parsed.scope.id!) ?? parsed.scope.id) : (d?.domainName(parsed.scope.id!) ?? parsed.scope.id)}`;
  const links: { kind: string; label: string; arrow?: string; link?: string; tag?: string }[] = [
    { kind: 'user', label: d?.userName(parsed.user) ?? parsed.user },
    ...(parsed.group ? [{ kind: 'group', label: d?.groupName(parsed.group) ?? parsed.group, arrow: '→', link: 'member of' }] : []),
    ...parsed.roles.map((role, i) => ({
      kind: i === 0 ? 'role' : 'implied role',
      label: role,
      arrow: i === 0 ? '→' : '⇒',
      link: i === 0 ? 'holds' : 'implies',
    })),
    { kind: 'scope', label: scope, arrow: '→', link: 'on', ...(parsed.inherited ? { tag: 'inherited' } : {}) },
  ];
  return (
    <figure class="chain-figure">
      <ol class="chain" aria-label="Role path">
        {links.map((n, i) => (
          <li key={i}>
            {n.link ? (
              <span class="link">
                <span aria-hidden="true">{n.arrow}</span> {n.link}
              </span>
            ) : null}
            <span class={`node node-${n.kind.replace(' ', '-')}`}>
              <span class="node-kind">{n.kind}</span> {n.label}
              {n.tag ? <span class="tag">{n.tag}</span> : null}
            </span>
          </li>
        ))}
      </ol>
      <figcaption class="mono small">{props.path}</figcaption>
    </figure>
  );
}
