import { useState } from 'preact/hooks';
import { Dialog, FormFooter } from '../components/Dialog';
import { useCtx } from '../context';
import { errorText } from '../format';
import { appApi } from '../links';
import type { App } from '../types';

interface Props {
  app?: App;
  onSaved: (app: App) => void;
  onClose: () => void;
}

/** Create or edit an application. */
export function AppDialog({ app, onSaved, onClose }: Props) {
  const { api } = useCtx();
  const [name, setName] = useState(app?.name ?? '');
  const [uid, setUid] = useState(app?.uid ?? '');
  const [rateLimit, setRateLimit] = useState(app?.rateLimit?.toString() ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError('A name is required.');
    if (rateLimit && !/^\d+$/.test(rateLimit)) return setError('The rate limit is a whole number per second.');
    const body = {
      name: name.trim(),
      uid: uid.trim() || null,
      rateLimit: rateLimit ? Number(rateLimit) : null,
      metadata: app?.metadata ?? {},
    };
    setBusy(true);
    setError(null);
    try {
      onSaved(app ? await api.put<App>(appApi(app.id), body) : await api.post<App>('/api/v1/app', body));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={app ? 'Edit application' : 'New application'} onClose={onClose} testid="app-dialog">
      <form class="form" onSubmit={submit} noValidate>
        <label>
          Name
          <input data-testid="app-name" value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        <label>
          UID <span class="muted">(optional, your own id for it)</span>
          <input data-testid="app-uid" value={uid} onInput={(e) => setUid(e.currentTarget.value)} />
        </label>
        <label>
          Rate limit <span class="muted">(messages per second, optional)</span>
          <input
            data-testid="app-rate-limit"
            inputMode="numeric"
            value={rateLimit}
            onInput={(e) => setRateLimit(e.currentTarget.value)}
          />
        </label>
        <FormFooter error={error} busy={busy} onCancel={onClose} submit="Save" testid="app-save" />
      </form>
    </Dialog>
  );
}
