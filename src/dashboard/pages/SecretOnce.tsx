import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';

/** A new signing secret, shown once: the receiver needs it to verify signatures. */
export function SecretOnce({ secret, onClose }: { secret: string; onClose: () => void }) {
  return (
    <Dialog title="Signing secret" onClose={onClose} testid="secret-dialog">
      <p>Copy this secret now and give it to the receiving service. It is not shown again here.</p>
      <div class="secret">
        <code data-testid="secret-once">{secret}</code>
        <CopyButton text={secret} testid="secret-copy" />
      </div>
      <div class="actions">
        <button type="button" class="primary" data-testid="secret-done" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
