import { useState } from 'preact/hooks';
import { seg } from '../api';
import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/States';
import { useCtx } from '../context';

/**
 * A link that opens this dashboard as the application's portal: a key scoped
 * to the application, expiring after the server's portal TTL (or read-only).
 * The token is in the link, so it is shown once, like a secret.
 */
export function PortalLinkDialog({ appId, onClose }: { appId: string; onClose: () => void }) {
  const { api } = useCtx();
  const [readOnly, setReadOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [url, setUrl] = useState<string | null>(null);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const out = await api.post<{ url: string }>(`/api/v1/auth/app-portal-access/${seg(appId)}`, { readOnly });
      setUrl(out.url);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Portal link" onClose={onClose} testid="portal-link-dialog">
      <p>
        Give this link to the customer: it opens a dashboard limited to this application, where they manage their
        endpoints and see their messages. Anyone with the link has that access until it expires.
      </p>
      {url ? (
        <div class="secret">
          <code data-testid="portal-link-url">{url}</code>
          <CopyButton text={url} testid="portal-link-copy" />
        </div>
      ) : (
        <label class="check">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.currentTarget.checked)} />
          Read-only (the customer can look but not change endpoints)
        </label>
      )}
      {error ? <ErrorBox error={error} /> : null}
      <div class="actions">
        {url ? (
          <button type="button" class="primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <button type="button" class="primary" data-testid="portal-link-create" disabled={busy} onClick={create}>
            Create link
          </button>
        )}
      </div>
    </Dialog>
  );
}
