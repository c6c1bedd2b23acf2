import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api';
import { Layout } from './components/Layout';
import { Loading } from './components/States';
import { Toasts, useToasts } from './components/Toasts';
import { AppContext, type Ctx } from './context';
import { errorText } from './format';
import { SignIn } from './pages/SignIn';
import { navigate } from './router';
import { forgetToken, resolveSession, type Session, storedToken, takePortalLink } from './session';

/** The shell: restore or take a session, then render the signed-in layout. */
export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [booting, setBooting] = useState(true);
  const [bootError, setBootError] = useState<string | null>(null);
  const { items, toast, dismiss } = useToasts();

  const signOut = useCallback(() => {
    forgetToken();
    setSession(null);
    navigate('/', undefined, true);
  }, []);

  useEffect(() => {
    const fromLink = takePortalLink();
    const token = storedToken();
    if (!token) {
      setBooting(false);
      return;
    }
    resolveSession(createApi(token), token)
      .then(setSession, (e: unknown) => {
        forgetToken();
        setBootError(fromLink ? `This portal link did not work: ${errorText(e)}` : null);
      })
      .finally(() => setBooting(false));
  }, []);

  const ctx = useMemo<Ctx | null>(
    () => (session ? { api: createApi(session.token, signOut), session, toast } : null),
    [session, signOut, toast],
  );

  let body = <Loading />;
  if (!booting) {
    body = ctx ? (
      <AppContext.Provider value={ctx}>
        <Layout onSignOut={signOut} />
      </AppContext.Provider>
    ) : (
      <SignIn initialError={bootError} onSignedIn={setSession} />
    );
  }
  return (
    <>
      {body}
      <Toasts items={items} dismiss={dismiss} />
    </>
  );
}
