/**
 * Sign-in with a user's name and password (Keystone `POST /v3/auth/tokens`, in the scope chosen)
 * or with a token (the admin token, or any token Portcullis accepts). The session lives in this
 * tab only.
 */
import { useState } from 'preact/hooks';
import { ErrorAlert } from '../components/ui';
import { signInWithPassword, signInWithToken, type ScopeChoice, type Session } from '../session';

export function SignIn(props: { onSignedIn: (session: Session) => void; notice?: string | undefined }) {
  const [method, setMethod] = useState<'password' | 'token'>('password');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [domain, setDomain] = useState('Default');
  const [scopeKind, setScopeKind] = useState<ScopeChoice['kind']>('system');
  const [project, setProject] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const scope: ScopeChoice = scopeKind === 'project' ? { kind: 'project', name: project.trim() } : { kind: scopeKind };
      props.onSignedIn(method === 'token' ? await signInWithToken(token.trim()) : await signInWithPassword(name.trim(), password, domain.trim(), scope));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="signin">
      <h1>Sign in to the Portcullis console</h1>
      <p class="intro">
        The console is a client of Portcullis' own APIs: it sees and changes what the user you sign in as may see and change. Your
        session stays in this browser tab.
      </p>
      {props.notice ? <p role="status" class="alert alert-info">{props.notice}</p> : null}
      <form onSubmit={submit} class="card form" aria-describedby={error ? 'signin-error' : undefined}>
        <fieldset class="choice">
          <legend>Sign in with</legend>
          <label>
            <input type="radio" name="method" value="password" checked={method === 'password'} onChange={() => setMethod('password')} /> User name
            and password
          </label>
          <label>
            <input type="radio" name="method" value="token" checked={method === 'token'} onChange={() => setMethod('token')} /> A token (e.g. the
            admin token)
          </label>
        </fieldset>
        {method === 'password' ? (
          <>
            <label for="signin-name">User name</label>
            <input id="signin-name" name="username" autoComplete="username" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
            <label for="signin-password">Password</label>
            <input
              id="signin-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <label for="signin-domain">Domain</label>
            <input id="signin-domain" name="domain" required value={domain} onInput={(e) => setDomain(e.currentTarget.value)} />
            <label for="signin-scope">Scope</label>
            <select id="signin-scope" value={scopeKind} onChange={(e) => setScopeKind(e.currentTarget.value as ScopeChoice['kind'])}>
              <option value="system">System (roles held on the system)</option>
              <option value="project">A project…</option>
              <option value="default">My default project</option>
            </select>
            {scopeKind === 'project' ? (
              <>
                <label for="signin-project">Project name</label>
                <input id="signin-project" required value={project} onInput={(e) => setProject(e.currentTarget.value)} />
              </>
            ) : null}
          </>
        ) : (
          <>
            <label for="signin-token">Token</label>
            <input
              id="signin-token"
              name="token"
              type="password"
              autoComplete="off"
              required
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
            />
            <p class="hint">The admin token is printed when Portcullis starts (or set with PORTCULLIS_ADMIN_TOKEN).</p>
          </>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
        {error ? (
          <div id="signin-error">
            <ErrorAlert error={error} />
          </div>
        ) : null}
      </form>
    </main>
  );
}
