/** Small building blocks every page uses: page frame, alerts, decision badges, async loading. */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import type { Session } from '../session';

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('no session');
  return session;
}

/** Announces a message to screen readers (and shows it), e.g. "Lock released". */
export const AnnounceContext = createContext<(message: string) => void>(() => undefined);
export const useAnnounce = () => useContext(AnnounceContext);

/** A page: its heading takes focus when the page opens, so keyboard and screen reader users land on it. */
export function Page(props: { title: string; intro?: ComponentChildren; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Portcullis console`;
    heading.current?.focus();
  }, [props.title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.intro ? <p class="intro">{props.intro}</p> : null}
      {props.children}
    </section>
  );
}

export function Alert(props: { kind: 'error' | 'info' | 'success'; children: ComponentChildren; title?: string }) {
  return (
    <div class={`alert alert-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.title ? <strong>{props.title} </strong> : null}
      {props.children}
    </div>
  );
}

export function ErrorAlert(props: { error: unknown; title?: string }) {
  const err = props.error;
  const message = err instanceof Error ? err.message : String(err);
  const problems = err instanceof ApiError ? err.problems : [];
  return (
    <Alert kind="error" {...(props.title ? { title: props.title } : {})}>
      {message && problems.length ? 'The draft does not load:' : message}
      {problems.length ? <ProblemList problems={problems} /> : null}
    </Alert>
  );
}

/** Says that the signed-in user lacks a permission, naming it. */
export function NotPermitted(props: { what: string; permission: string }) {
  return (
    <Alert kind="info">
      You may not {props.what} (the <code>{props.permission}</code> permission). Sign in as a user who holds it.
    </Alert>
  );
}

/** ALLOW / DENY in words and colour (never colour alone). */
export function DecisionBadge(props: { decision: boolean | 'allow' | 'deny'; large?: boolean }) {
  const allow = props.decision === true || props.decision === 'allow';
  return <span class={`badge ${allow ? 'badge-allow' : 'badge-deny'}${props.large ? ' badge-large' : ''}`}>{allow ? 'Allow' : 'Deny'}</span>;
}

export interface Async<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change (and on reload()); the last answer wins. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): Async<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Loading(props: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {props.what}…
    </p>
  );
}

/** Shows the loading line, the error, or the content of an Async. */
export function Loaded<T>(props: { state: Async<T>; what: string; children: (data: T) => ComponentChildren }) {
  const { state } = props;
  if (state.error) return <ErrorAlert error={state.error} />;
  if (state.data === undefined) return <Loading what={props.what} />;
  return <>{props.children(state.data)}</>;
}

export const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A policy's load problems, one `file:line: message` each. */
export function ProblemList(props: { problems: readonly string[] }) {
  return (
    <ul class="problems">
      {props.problems.map((p) => (
        <li key={p}>
          <code>{p}</code>
        </li>
      ))}
    </ul>
  );
}
