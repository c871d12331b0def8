/**
 * Decisions: the decision log (`GET /v1/decisions`), newest first, filterable by every filter the
 * API has; each row opens its explanation.
 */
import { useState } from 'preact/hooks';
import { query, request } from '../api';
import { Explanation, type Explained } from '../components/explanation';
import { DecisionBadge, ErrorAlert, formatTime, Loading, NotPermitted, Page, useAsync, useSession } from '../components/ui';
import { loadDirectory } from '../directory';
import { may } from '../session';

interface Entity {
  readonly type: string;
  readonly id: string;
}

export interface DecisionRecord extends Explained {
  readonly id: string;
  readonly at: string;
  readonly request_id: string | null;
  readonly kind: 'resource' | 'permission';
  readonly subject: Entity;
  readonly action: { readonly name: string };
  readonly resource: Entity;
  readonly decision: 'allow' | 'deny';
}

const EMPTY = { subject: '', action: '', resource_type: '', resource_id: '', decision: '', kind: '', shadow: '', since: '' };
type Filters = typeof EMPTY;
/** The filters chosen from a list: the query parameter, its label, and its values with their names. */
const CHOICES: readonly (readonly [keyof Filters, string, readonly (readonly [string, string])[]])[] = [
  ['decision', 'Decision', [['allow', 'Allow'], ['deny', 'Deny']]],
  ['kind', 'Kind', [['resource', 'AuthZEN decisions'], ['permission', 'Permission checks']]],
  ['shadow', 'Shadow policy', [['agree', 'Agrees'], ['disagree', 'Disagrees']]],
];

export function DecisionsPage() {
  const session = useSession();
  if (!may(session, 'decisions:read')) {
    return (
      <Page title="Decisions">
        <NotPermitted what="read the decision log" permission="decisions:read" />
      </Page>
    );
  }
  return <DecisionLog />;
}

function DecisionLog() {
  const session = useSession();
  const directory = useAsync(() => loadDirectory(session), [session.token]);
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [pages, setPages] = useState<{ items: DecisionRecord[]; next: string | null }>();
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);

  const fetchPage = async (f: Filters, token?: string) => {
    const since = f.since ? new Date(f.since).toISOString() : undefined;
    const q = query({ ...f, since, limit: 50, page_token: token });
    return (await request<{ decisions: DecisionRecord[]; next_token: string | null }>(session.token, 'GET', `/v1/decisions${q}`)).body;
  };

  const first = useAsync(async () => {
    setError(undefined);
    const page = await fetchPage(filters);
    setPages({ items: page.decisions, next: page.next_token });
    return true;
  }, [filters, session.token]);

  async function more() {
    if (!pages?.next) return;
    setLoadingMore(true);
    try {
      const page = await fetchPage(filters, pages.next);
      setPages({ items: [...pages.items, ...page.decisions], next: page.next_token });
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  const field = (key: keyof Filters) => ({
    id: `filter-${key}`,
    value: draft[key],
    onInput: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [key]: e.currentTarget.value }),
  });
  const d = directory.data;

  return (
    <Page title="Decisions" intro="The decision log: every decision and permission check the server made lately, with what was asked and why.">
      <form
        class="card form filters"
        role="search"
        aria-label="Filter decisions"
        onSubmit={(e) => {
          e.preventDefault();
          setOpen(undefined);
          setFilters({ ...draft });
        }}
      >
        <div class="filter-grid">
          <div>
            <label for="filter-subject">Subject (as asked)</label>
            <input {...field('subject')} />
          </div>
          <div>
            <label for="filter-action">Action</label>
            <input {...field('action')} />
          </div>
          <div>
            <label for="filter-resource_type">Resource type</label>
            <input {...field('resource_type')} />
          </div>
          <div>
            <label for="filter-resource_id">Resource id</label>
            <input {...field('resource_id')} />
          </div>
          {CHOICES.map(([key, label, options]) => (
            <div key={key}>
              <label for={`filter-${key}`}>{label}</label>
              <select {...field(key)} onChange={field(key).onInput}>
                <option value="">Any</option>
                {options.map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div>
            <label for="filter-since">Since</label>
            <input type="datetime-local" step={1} {...field('since')} />
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {first.error ? <ErrorAlert error={first.error} /> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {first.loading && !pages ? <Loading what="decisions" /> : null}
      {pages ? (
        <div class="card table-wrap">
          <table class="decisions">
            <caption>
              {pages.items.length} {pages.items.length === 1 ? 'decision' : 'decisions'}
              {pages.next ? ' shown; more are older' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Subject</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Decision</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((r) => {
                const expanded = open === r.id;
                return [
                  <tr key={r.id} class={expanded ? 'open' : undefined}>
                    <td>
                      <button
                        type="button"
                        class="disclosure"
                        aria-expanded={expanded}
                        aria-controls={expanded ? `explain-${r.id}` : undefined}
                        onClick={() => setOpen(expanded ? undefined : r.id)}
                      >
                        <span class="visually-hidden">{expanded ? 'Hide' : 'Explain'} the decision of </span>
                        {formatTime(r.at)}
                      </button>
                    </td>
                    <td>
                      {r.kind === 'permission' ? d?.userName(r.subject.id) ?? r.subject.id : r.subject.id}
                      {r.subject.type !== 'user' ? <span class="muted"> ({r.subject.type})</span> : null}
                    </td>
                    <td>{r.action.name}</td>
                    <td>
                      {r.resource.type} <span class="mono">{r.resource.id}</span>
                    </td>
                    <td>
                      <DecisionBadge decision={r.decision} />
                    </td>
                    <td class="reason-cell">{r.reason}</td>
                  </tr>,
                  expanded ? (
                    <tr key={`${r.id}-explain`} class="explain-row">
                      <td colSpan={6} id={`explain-${r.id}`}>
                        <Explanation decision={r.decision} context={{ ...r, decision_id: r.id }} directory={d} />
                        <p class="small muted">
                          {r.kind === 'permission' ? 'API permission check' : 'AuthZEN decision'}
                          {r.request_id ? `, request ${r.request_id}` : ''}.
                        </p>
                      </td>
                    </tr>
                  ) : null,
                ];
              })}
            </tbody>
          </table>
          {pages.items.length === 0 ? <p class="muted pad">No decision matches these filters.</p> : null}
          {pages.next ? (
            <div class="actions pad">
              <button type="button" onClick={more} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load older decisions'}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </Page>
  );
}
