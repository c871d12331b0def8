/**
 * The console's shell: sign-in, then a header with the pages (hash routes, so the server serves
 * one index.html), the signed-in user and scope, and a live region for announcements.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { whenUnauthorized } from './api';
import { AnnounceContext, SessionContext } from './components/ui';
import { DecidePage } from './pages/decide';
import { DecisionsPage } from './pages/decisions';
import { LocksPage } from './pages/locks';
import { PolicyPage } from './pages/policy';
import { SignIn } from './pages/sign-in';
import { WhoPage } from './pages/who';
import { loadSession, saveSession, signOut, type Session } from './session';

const PAGES = [
  { path: 'decide', label: 'Decide', component: DecidePage },
  { path: 'decisions', label: 'Decisions', component: DecisionsPage },
  { path: 'who', label: 'Who holds what', component: WhoPage },
  { path: 'locks', label: 'Locks', component: LocksPage },
  { path: 'policy', label: 'Policy', component: PolicyPage },
] as const;

function currentPath(): string {
  const path = location.hash.replace(/^#\/?/, '');
  return PAGES.some((p) => p.path === path) ? path : 'decide';
}

function scopeText(session: Session): string {
  const { scope } = session.me;
  if (scope.type === 'system') return 'system';
  if (scope.type === 'unscoped') return 'no scope';
  return `${scope.type} ${scope.name ?? scope.id}`;
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [path, setPath] = useState(currentPath);
  const [notice, setNotice] = useState<string>();
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    const onHash = () => setPath(currentPath());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    whenUnauthorized(() => {
      saveSession(undefined);
      setSession(undefined);
      setNotice('Your session ended (the token expired or was revoked). Sign in again.');
    });
  }, []);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  const clearAnnouncement = useCallback(() => {
    timers.current.forEach(clearTimeout);
    timers.current = [];
    setAnnouncement('');
  }, []);
  const announce = useCallback((message: string) => {
    // Cleared first so that the same message twice is announced twice; the toast goes after 8 s.
    clearAnnouncement();
    timers.current = [setTimeout(() => setAnnouncement(message), 50), setTimeout(() => setAnnouncement(''), 8000)];
  }, []);
  // A page's announcement is about that page: it goes when another page opens.
  useEffect(clearAnnouncement, [path]);

  const skip = (
    <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
      Skip to main content
    </a>
  );

  if (!session) {
    return (
      <>
        {skip}
        <SignIn
          notice={notice}
          onSignedIn={(s) => {
            saveSession(s);
            setNotice(undefined);
            setSession(s);
          }}
        />
      </>
    );
  }

  const Current = PAGES.find((p) => p.path === path)!.component;
  return (
    <SessionContext.Provider value={session}>
      <AnnounceContext.Provider value={announce}>
        {skip}
        <header class="top">
          <a class="brand" href="#/decide">
            Portcullis <span>console</span>
          </a>
          <nav aria-label="Console pages">
            <ul>
              {PAGES.map((p) => (
                <li key={p.path}>
                  <a href={`#/${p.path}`} aria-current={p.path === path ? 'page' : undefined}>
                    {p.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <span>
              Signed in as <strong>{session.me.user.name}</strong> ({scopeText(session)})
            </span>
            <button
              type="button"
              onClick={async () => {
                await signOut(session);
                setSession(undefined);
                setNotice('You signed out.');
              }}
            >
              Sign out
            </button>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <Current key={path} />
        </main>
        <div class="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </div>
        {announcement ? (
          <p class="toast" aria-hidden="true">
            {announcement}
          </p>
        ) : null}
      </AnnounceContext.Provider>
    </SessionContext.Provider>
  );
}
