/**
 * Decide: an AuthZEN evaluation (`POST /access/v1/evaluation`) from a form, answered with allow or
 * deny, the deciding rule (file:line), the role path as a chain, the relations that held and the
 * locks that block.
 */
import { useState } from 'preact/hooks';
import { request } from '../api';
import { Explanation, type Explained } from '../components/explanation';
import { ErrorAlert, Page, useAsync, useSession } from '../components/ui';
import { loadDirectory } from '../directory';
import { may } from '../session';

interface Answer {
  readonly decision: boolean;
  readonly context?: Explained & { registered?: boolean; decision_id?: string };
}

/** Parses an optional JSON object field; throws a message naming the field. */
function objectField(label: string, text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${label} is not valid JSON.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${label} must be a JSON object, e.g. {"key": "value"}.`);
  return value as Record<string, unknown>;
}

export function DecidePage() {
  const session = useSession();
  const askAnyone = may(session, 'authzen:evaluate');
  const directory = useAsync(() => loadDirectory(session), [session.token]);
  const [form, setForm] = useState({
    subjectType: 'user',
    subjectId: askAnyone ? '' : session.me.user.name,
    subjectProps: '',
    action: '',
    actionProps: '',
    resourceType: '',
    resourceId: '',
    resourceProps: '',
    context: '',
  });
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });

  async function ask(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      const subjectProps = objectField('Subject properties', form.subjectProps);
      const actionProps = objectField('Action properties', form.actionProps);
      const resourceProps = objectField('Resource properties', form.resourceProps);
      const context = objectField('Context', form.context);
      const body = {
        subject: { type: form.subjectType.trim(), id: form.subjectId.trim(), ...(subjectProps ? { properties: subjectProps } : {}) },
        action: { name: form.action.trim(), ...(actionProps ? { properties: actionProps } : {}) },
        resource: { type: form.resourceType.trim(), id: form.resourceId.trim(), ...(resourceProps ? { properties: resourceProps } : {}) },
        ...(context ? { context } : {}),
      };
      setAnswer((await request<Answer>(session.token, 'POST', '/access/v1/evaluation', { body })).body);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page
      title="Decide"
      intro={
        <>
          Ask Portcullis an AuthZEN question: may this subject do this action on this resource? The answer says why.
          {askAnyone ? null : ' You may ask about yourself only (asking about others needs the authzen:evaluate permission).'}
        </>
      }
    >
      <div class="split">
        <form class="card form" onSubmit={ask} aria-label="Evaluation request">
          <fieldset>
            <legend>Subject</legend>
            <div class="row">
              <div>
                <label for="subject-type">Type</label>
                <input id="subject-type" required value={form.subjectType} onInput={set('subjectType')} />
              </div>
              <div class="grow">
                <label for="subject-id">Id or user name</label>
                <input id="subject-id" required value={form.subjectId} onInput={set('subjectId')} list="known-users" />
                <datalist id="known-users">
                  {directory.data?.users.map((u) => <option key={u.id} value={u.name} />)}
                </datalist>
              </div>
            </div>
          </fieldset>
          <fieldset>
            <legend>Action</legend>
            <label for="action-name">Name</label>
            <input id="action-name" required value={form.action} onInput={set('action')} placeholder="read, update, delete…" />
          </fieldset>
          <fieldset>
            <legend>Resource</legend>
            <div class="row">
              <div>
                <label for="resource-type">Type</label>
                <input id="resource-type" required value={form.resourceType} onInput={set('resourceType')} />
              </div>
              <div class="grow">
                <label for="resource-id">Id</label>
                <input id="resource-id" required value={form.resourceId} onInput={set('resourceId')} />
              </div>
            </div>
          </fieldset>
          <details class="more">
            <summary>Properties and context (JSON, optional)</summary>
            <label for="subject-props">Subject properties</label>
            <textarea id="subject-props" rows={2} class="mono" value={form.subjectProps} onInput={set('subjectProps')} placeholder='{"department": "sales"}' />
            <label for="action-props">Action properties</label>
            <textarea id="action-props" rows={2} class="mono" value={form.actionProps} onInput={set('actionProps')} />
            <label for="resource-props">Resource properties</label>
            <textarea id="resource-props" rows={2} class="mono" value={form.resourceProps} onInput={set('resourceProps')} placeholder='{"ownerID": "alice@example.com"}' />
            <label for="context">Context</label>
            <textarea id="context" rows={2} class="mono" value={form.context} onInput={set('context')} placeholder='{"network": "internal"}' />
          </details>
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Asking…' : 'Ask'}
            </button>
          </div>
        </form>
        <section class="card answer" aria-labelledby="answer-title" aria-live="polite">
          <h2 id="answer-title">Answer</h2>
          {error ? <ErrorAlert error={error} /> : null}
          {answer ? (
            <Explanation decision={answer.decision} context={answer.context ?? {}} directory={directory.data} />
          ) : error ? null : (
            <p class="muted">Ask a question to see the decision and why.</p>
          )}
        </section>
      </div>
    </Page>
  );
}
