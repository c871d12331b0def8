/**
 * Locks: the three lock families in one list (`GET /v1/locks`, which says for each lock whether
 * the signed-in user may release it), filterable, with release through each family's own API:
 * Manila `DELETE /share/v2/resource-locks/{id}`, Traffic Ops `DELETE /api/4.0/cdn_locks?cdn=`,
 * route locks `DELETE /admin/remove-lock`.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { query, request } from '../api';
import { ErrorAlert, formatTime, Loaded, Page, useAnnounce, useAsync, useSession } from '../components/ui';
import type { Session } from '../session';

export interface LockView {
  readonly id: string;
  readonly family: 'manila' | 'cdn' | 'route';
  readonly kind: string;
  readonly resource: { readonly type: string; readonly id: string };
  readonly holder: { readonly id: string; readonly name: string | null };
  readonly reason: string | null;
  readonly created_at: string;
  readonly releasable: boolean;
  readonly details: Record<string, unknown>;
}

const FAMILY = { manila: 'Manila resource lock', cdn: 'Traffic Ops CDN lock', route: 'Route lock' } as const;

/** Releases a lock through the API of the family it belongs to. */
async function release(session: Session, lock: LockView): Promise<void> {
  switch (lock.family) {
    case 'manila':
      await request(session.token, 'DELETE', `/share/v2/resource-locks/${encodeURIComponent(lock.id)}`, {
        headers: { 'X-OpenStack-Manila-API-Version': '2.81' },
      });
      return;
    case 'cdn':
      await request(session.token, 'DELETE', `/api/4.0/cdn_locks${query({ cdn: lock.resource.id })}`);
      return;
    case 'route':
      await request(session.token, 'DELETE', '/admin/remove-lock', { body: { route: lock.resource.type, id: lock.resource.id } });
      return;
  }
}

export function LocksPage() {
  const session = useSession();
  const announce = useAnnounce();
  const [family, setFamily] = useState('');
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState<string>();
  const [error, setError] = useState<unknown>();
  const locks = useAsync(async () => (await request<{ locks: LockView[] }>(session.token, 'GET', `/v1/locks${query({ family })}`)).body.locks, [family, session.token]);

  const needle = text.trim().toLowerCase();
  const shown = (locks.data ?? []).filter(
    (l) =>
      !needle ||
      [l.id, l.kind, l.resource.type, l.resource.id, l.holder.id, l.holder.name ?? '', l.reason ?? ''].some((v) => v.toLowerCase().includes(needle)),
  );

  async function doRelease(lock: LockView) {
    setError(undefined);
    try {
      await release(session, lock);
      setConfirming(undefined);
      announce(`Released the ${FAMILY[lock.family].toLowerCase()} on ${lock.resource.type} ${lock.resource.id}.`);
      locks.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Page title="Locks" intro="Every lock that stands on a resource, from the three lock APIs. A lock blocks the actions its family's p3 rows name.">
      <form class="card form inline filters" role="search" aria-label="Filter locks" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="lock-family">Family</label>
          <select id="lock-family" value={family} onChange={(e) => setFamily(e.currentTarget.value)}>
            <option value="">All families</option>
            <option value="manila">Manila resource locks</option>
            <option value="cdn">Traffic Ops CDN locks</option>
            <option value="route">Route locks</option>
          </select>
        </div>
        <div class="grow">
          <label for="lock-filter">Filter by resource, holder or reason</label>
          <input id="lock-filter" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
      </form>
      {error ? <ErrorAlert error={error} title="The lock was not released." /> : null}
      <Loaded state={locks} what="locks">
        {() => (
          <div class="card table-wrap">
            <table class="locks">
              <caption>
                {shown.length} {shown.length === 1 ? 'lock' : 'locks'}
                {needle || family ? ' matching the filter' : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Family</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Holder</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((l) => (
                  <tr key={l.id}>
                    <td>{FAMILY[l.family]}</td>
                    <td>
                      {l.resource.type} <span class="mono">{l.resource.id}</span>
                    </td>
                    <td>{l.kind}</td>
                    <td>{l.holder.name ?? <span class="mono">{l.holder.id}</span>}</td>
                    <td>{l.reason ?? <span class="muted">—</span>}</td>
                    <td>{formatTime(l.created_at)}</td>
                    <td class="actions-cell">
                      {!l.releasable ? (
                        <span class="muted">
                          <span aria-hidden="true">—</span>
                          <span class="visually-hidden">You may not release this lock</span>
                        </span>
                      ) : confirming === l.id ? (
                        <ConfirmRelease onConfirm={() => doRelease(l)} onCancel={() => setConfirming(undefined)} />
                      ) : (
                        <button type="button" onClick={() => setConfirming(l.id)} aria-label={`Release the lock on ${l.resource.type} ${l.resource.id}`}>
                          Release
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </Page>
  );
}

/** The second step of a release: takes the focus when it appears; Escape cancels. */
function ConfirmRelease(props: { onConfirm: () => void; onCancel: () => void }) {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <span class="confirm" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <button type="button" class="danger" ref={confirm} onClick={props.onConfirm}>
        Confirm release
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </span>
  );
}
