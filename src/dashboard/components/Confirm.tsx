import { useState } from 'preact/hooks';
import { errorText } from '../format';
import { Dialog } from './Dialog';

interface Props {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Ask before a destructive action; stays open and shows the error when the action fails. */
export function Confirm({ title, message, confirmLabel, danger, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose} testid="confirm-dialog">
      <p>{message}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" data-testid="confirm-cancel" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          class={danger ? 'danger' : 'primary'}
          data-testid="confirm-ok"
          disabled={busy}
          onClick={run}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
