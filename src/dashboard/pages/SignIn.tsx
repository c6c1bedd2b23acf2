import { useState } from 'preact/hooks';
import { ApiError, createApi } from '../api';
import { ThemeToggle } from '../components/ThemeToggle';
import { errorText } from '../format';
import { resolveSession, type Session, storeToken } from '../session';

interface Props {
  initialError: string | null;
  onSignedIn: (session: Session) => void;
}

export function SignIn({ initialError, onSignedIn }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Enter the admin token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await resolveSession(createApi(value), value);
      storeToken(value);
      onSignedIn(session);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That token was not accepted.' : errorText(err));
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <div class="signin-top">
        <ThemeToggle />
      </div>
      <form class="card signin-card" onSubmit={submit} noValidate>
        <h1>Hookway</h1>
        <p class="muted">Sign in with the admin token printed when the server first started (HOOKWAY_ADMIN_TOKEN).</p>
        <label for="signin-token">Admin token</label>
        <input
          id="signin-token"
          data-testid="signin-token"
          type="password"
          autoComplete="current-password"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-invalid={!!error}
          aria-describedby={error ? 'signin-error' : undefined}
        />
        {error && (
          <p id="signin-error" class="error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" data-testid="signin-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
