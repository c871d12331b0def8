/**
 * Why a decision came out as it did, as the decision API and the decision log explain it: the
 * reason, the deciding rule with its file and line, the role path, the relations that held, the
 * locks that block, the scope (and the shadow policy's answer, for logged decisions).
 */
import type { Directory } from '../directory';
import { scopeLabel } from '../directory';
import { RoleChain } from './role-chain';
import { DecisionBadge } from './ui';

export interface Citation {
  readonly source: string;
  readonly rule: readonly string[];
}

export interface Explained {
  readonly reason?: string;
  readonly policy?: Citation | null;
  readonly role_path?: string;
  readonly relations?: readonly string[];
  readonly locks?: readonly { id: string; kind: string; holder: string; policy: Citation }[];
  readonly scope?: string;
  readonly registered?: boolean;
  readonly decision_id?: string;
  readonly shadow?: { decision: 'allow' | 'deny'; reason: string; policy: Citation | null; agrees: boolean };
}

export function Rule(props: { citation: Citation }) {
  return (
    <span class="rule">
      <code class="source">{props.citation.source}</code> <code>{props.citation.rule.join(', ')}</code>
    </span>
  );
}

export function Explanation(props: { decision: boolean | 'allow' | 'deny'; context: Explained; directory?: Directory | undefined }) {
  const c = props.context;
  // The reason ends with the role path in ids when there is one; the chain below draws it by name.
  const reason = c.role_path && c.reason?.endsWith(` (${c.role_path})`) ? c.reason.slice(0, -c.role_path.length - 3) : c.reason;
  return (
    <div class="explanation">
      <p class="verdict">
        <DecisionBadge decision={props.decision} large /> <span class="reason">{reason}</span>
      </p>
      <dl class="facts">
        <dt>Deciding rule</dt>
        <dd>{c.policy ? <Rule citation={c.policy} /> : 'none: no rule allows it, so it is denied'}</dd>
        <dt>Role path</dt>
        <dd>{c.role_path ? <RoleChain path={c.role_path} directory={props.directory} /> : 'none (no role decided it)'}</dd>
        <dt>Relations</dt>
        <dd>{c.relations?.length ? c.relations.map((r) => <span class="tag" key={r}>{r}</span>) : 'none'}</dd>
        <dt>Blocking locks</dt>
        <dd>
          {c.locks?.length ? (
            <table class="compact">
              <caption class="visually-hidden">Locks that block this action</caption>
              <thead>
                <tr>
                  <th scope="col">Lock</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Holder</th>
                  <th scope="col">Rule that makes it block</th>
                </tr>
              </thead>
              <tbody>
                {c.locks.map((l) => (
                  <tr key={l.id}>
                    <td class="mono">{l.id}</td>
                    <td>{l.kind}</td>
                    <td>{props.directory?.userName(l.holder) ?? l.holder}</td>
                    <td>
                      <Rule citation={l.policy} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            'none'
          )}
        </dd>
        {c.scope ? (
          <>
            <dt>Scope</dt>
            <dd>
              {scopeLabel(props.directory, c.scope)}
              {c.registered === false ? ' (resource not registered)' : ''}
            </dd>
          </>
        ) : null}
        {c.shadow ? (
          <>
            <dt>Shadow policy</dt>
            <dd>
              <DecisionBadge decision={c.shadow.decision} /> {c.shadow.agrees ? 'agrees' : 'disagrees'}: {c.shadow.reason}
            </dd>
          </>
        ) : null}
        {c.decision_id ? (
          <>
            <dt>Decision id</dt>
            <dd class="mono">{c.decision_id}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
