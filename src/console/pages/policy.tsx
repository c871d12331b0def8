/**
 * Policy: the files in force with their status and the last reload error (`GET /v1/policy`,
 * `GET /v1/policy/files`), a draft of one file, its impact on the logged decisions side by side
 * (`POST /v1/policy/check`, then `POST /v1/policy/impact`), and apply (`PUT /v1/policy/files/{name}`),
 * offered only once the draft as it stands has loaded in an impact run. The server checks the
 * draft again when applying.
 */
import { useState } from 'preact/hooks';
import { request } from '../api';
import { Rule, type Citation } from '../components/explanation';
import { Alert, DecisionBadge, ErrorAlert, formatTime, Loaded, NotPermitted, Page, ProblemList, useAnnounce, useAsync, useSession } from '../components/ui';
import { may } from '../session';

interface PolicyStatus {
  readonly version: number;
  readonly loadedAt: string | null;
  readonly files: readonly string[];
  readonly rules: number;
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

interface PolicyFile {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly rules: number;
  readonly error: string | null;
}

interface Answer {
  readonly decision: 'allow' | 'deny';
  readonly reason: string;
  readonly policy: Citation | null;
}

interface Impact {
  readonly replayed: number;
  readonly changed: readonly {
    decision_id: string;
    at: string;
    kind: string;
    subject: { type: string; id: string };
    action: { name: string };
    resource: { type: string; id: string };
    before: Answer;
    after: Answer;
  }[];
  readonly draft: { files: readonly string[]; rules: number };
}

export function PolicyPage() {
  const session = useSession();
  if (!may(session, 'policy:read')) {
    return (
      <Page title="Policy">
        <NotPermitted what="read the policy" permission="policy:read" />
      </Page>
    );
  }
  return <PolicyView />;
}

function PolicyView() {
  const session = useSession();
  const [selected, setSelected] = useState<string>();
  const state = useAsync(async () => {
    const [status, files] = await Promise.all([
      request<{ policy: PolicyStatus; shadow?: { dir: string; version: number; lastError: { message: string } | null } }>(session.token, 'GET', '/v1/policy'),
      request<{ files: PolicyFile[] }>(session.token, 'GET', '/v1/policy/files'),
    ]);
    return { ...status.body, files: files.body.files };
  }, [session.token]);
  return (
    <Page title="Policy" intro="The Casbin policy files in force. Edit a draft of one, see which logged decisions it would flip, then apply it.">
      <Loaded state={state} what="the policy">
        {({ policy, shadow, files }) => (
          <>
            <section class="card" aria-labelledby="status-title">
              <h2 id="status-title">In force</h2>
              <dl class="facts inline-facts">
                <dt>Version</dt>
                <dd>{policy.version}</dd>
                <dt>Loaded</dt>
                <dd>{formatTime(policy.loadedAt)}</dd>
                <dt>Rules</dt>
                <dd>
                  {policy.rules} from {policy.files.length} files and the store
                </dd>
                {shadow ? (
                  <>
                    <dt>Shadow policy</dt>
                    <dd>
                      <span class="mono">{shadow.dir}</span>, version {shadow.version}
                      {shadow.lastError ? `; last error: ${shadow.lastError.message}` : ''}
                    </dd>
                  </>
                ) : null}
              </dl>
              {policy.lastError ? (
                <Alert kind="error" title="The last reload failed; the policy above stays in force.">
                  <code>{policy.lastError.message}</code> ({formatTime(policy.lastError.at)})
                </Alert>
              ) : null}
              <table>
                <caption>Policy files</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Rules</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {files.map((f) => (
                    <tr key={f.name} class={selected === f.name ? 'selected' : undefined}>
                      <td class="mono">{f.name}</td>
                      <td>{f.rules}</td>
                      <td>{f.error ? <span class="status-bad">does not load: {f.error}</span> : <span class="status-ok">in force</span>}</td>
                      <td>
                        <button type="button" onClick={() => setSelected(f.name)} aria-pressed={selected === f.name}>
                          {may(session, 'policy:write') ? 'Edit' : 'View'}
                          <span class="visually-hidden"> {f.name}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            {selected ? <Draft key={selected} name={selected} onApplied={state.reload} /> : null}
          </>
        )}
      </Loaded>
    </Page>
  );
}

function Draft(props: { name: string; onApplied: () => void }) {
  const session = useSession();
  const announce = useAnnounce();
  const canImpact = may(session, 'decisions:replay');
  const canApply = may(session, 'policy:write');
  const file = useAsync(
    async () => (await request<{ file: { name: string; sha256: string; content: string } }>(session.token, 'GET', `/v1/policy/files/${encodeURIComponent(props.name)}`)).body.file,
    [props.name, session.token],
  );
  const [text, setText] = useState<string>();
  const [impact, setImpact] = useState<{ text: string; result: Impact }>();
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<string[]>();
  const [busy, setBusy] = useState<'impact' | 'apply'>();
  const [applied, setApplied] = useState<string>();

  return (
    <Loaded state={file} what={props.name}>
      {(f) => {
        const draft = text ?? f.content;
        const changed = draft !== f.content;
        const validated = impact?.text === draft;
        async function preview() {
          setBusy('impact');
          setError(undefined);
          setApplied(undefined);
          setImpact(undefined);
          setProblems(undefined);
          try {
            const files = { [props.name]: draft };
            // Does the draft load? (An answer either way; a draft that does not is no error of the console's.)
            const check = (await request<{ loads: boolean; problems: string[] }>(session.token, 'POST', '/v1/policy/check', { body: { files } })).body;
            if (!check.loads) {
              setProblems(check.problems);
              announce(`The draft does not load: ${check.problems.length} ${check.problems.length === 1 ? 'problem' : 'problems'}.`);
              return;
            }
            const result = (await request<Impact>(session.token, 'POST', '/v1/policy/impact', { body: { files } })).body;
            setImpact({ text: draft, result });
            announce(`Impact: ${result.changed.length} of ${result.replayed} logged decisions would change.`);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(undefined);
          }
        }
        async function apply() {
          setBusy('apply');
          setError(undefined);
          try {
            const res = await request<{ policy: PolicyStatus }>(session.token, 'PUT', `/v1/policy/files/${encodeURIComponent(props.name)}`, {
              body: { content: draft, sha256: f.sha256 },
            });
            // The success alert is a status region: it is announced as it appears.
            setApplied(`Applied ${props.name}: policy version ${res.body.policy.version} is in force.`);
            setText(undefined);
            setImpact(undefined);
            file.reload();
            props.onApplied();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(undefined);
          }
        }
        return (
          <section class="card" aria-labelledby="draft-title">
            <h2 id="draft-title">{canApply ? `Draft of ${props.name}` : props.name}</h2>
            <label for="draft-text">
              {canApply ? 'Edit the draft (the file in force is unchanged until you apply)' : `Contents of ${props.name} (read only)`}
            </label>
            <textarea
              id="draft-text"
              class="mono editor"
              rows={18}
              spellcheck={false}
              readOnly={!canApply}
              value={draft}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            {canApply || canImpact ? (
              <div class="actions">
                {canImpact ? (
                  <button type="button" class="primary" onClick={preview} disabled={busy !== undefined}>
                    {busy === 'impact' ? 'Replaying the decision log…' : 'Preview impact'}
                  </button>
                ) : null}
                {canApply ? (
                  <>
                    <button type="button" class="danger" onClick={apply} disabled={busy !== undefined || !changed || !validated} aria-describedby="apply-hint">
                      {busy === 'apply' ? 'Applying…' : 'Apply'}
                    </button>
                    <button type="button" onClick={() => (setText(undefined), setImpact(undefined), setProblems(undefined), setError(undefined))} disabled={!changed || busy !== undefined}>
                      Discard changes
                    </button>
                  </>
                ) : null}
              </div>
            ) : null}
            {canApply ? (
              <p id="apply-hint" class="hint">
                {!changed
                  ? 'Change the draft to apply it.'
                  : validated
                    ? 'The draft loads. Applying writes the file in the policy directory and reloads the policy at once.'
                    : 'Preview the impact first: Apply is offered once the draft as it stands loads.'}
              </p>
            ) : null}
            {error ? <ErrorAlert error={error} /> : null}
            {problems ? (
              <Alert kind="error" title="The draft does not load, so it cannot be applied:">
                <ProblemList problems={problems} />
              </Alert>
            ) : null}
            {applied ? <Alert kind="success">{applied}</Alert> : null}
            {impact ? <ImpactView impact={impact.result} stale={!validated} /> : null}
          </section>
        );
      }}
    </Loaded>
  );
}

function ImpactView(props: { impact: Impact; stale: boolean }) {
  const { impact } = props;
  return (
    <section aria-labelledby="impact-title" class="impact">
      <h3 id="impact-title">Impact</h3>
      {props.stale ? <Alert kind="info">The draft changed since this impact run: preview again.</Alert> : null}
      <p>
        The draft loads ({impact.draft.rules} rules from {impact.draft.files.length} files). Of the {impact.replayed} decisions in the log, replayed on
        the facts each was made on, <strong>{impact.changed.length}</strong> would change.
      </p>
      {impact.changed.length ? (
        <div class="table-wrap">
          <table class="impact-table">
            <caption class="visually-hidden">Decisions the draft would flip</caption>
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Before (in force)</th>
                <th scope="col">After (draft)</th>
              </tr>
            </thead>
            <tbody>
              {impact.changed.map((c) => (
                <tr key={c.decision_id}>
                  <td>
                    {c.subject.id} <strong>{c.action.name}</strong> {c.resource.type}/{c.resource.id}
                    <div class="small muted">
                      {c.kind}, {formatTime(c.at)}
                    </div>
                  </td>
                  <td>
                    <DecisionBadge decision={c.before.decision} /> {c.before.reason}
                    {c.before.policy ? (
                      <div>
                        <Rule citation={c.before.policy} />
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <DecisionBadge decision={c.after.decision} /> {c.after.reason}
                    {c.after.policy ? (
                      <div>
                        <Rule citation={c.after.policy} />
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
