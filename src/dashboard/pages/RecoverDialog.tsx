import { useEffect, useState } from 'preact/hooks';
import { isNotFound, seg } from '../api';
import { StatusBadge } from '../components/Badges';
import { Dialog, FormFooter } from '../components/Dialog';
import { useCtx } from '../context';
import { errorText, isoToLocal, localToIso } from '../format';
import { appApi } from '../links';
import type { Endpoint, Task } from '../types';

interface Props {
  appId: string;
  endpoint: Endpoint;
  onClose: () => void;
  onDone?: () => void;
}

const DAY_MS = 86_400_000;

/** Bulk recover: resend every failed message of an endpoint since a time, with a progress bar. */
export function RecoverDialog({ appId, endpoint, onClose, onDone }: Props) {
  const { api, toast } = useCtx();
  const [since, setSince] = useState(() => isoToLocal(new Date(Date.now() - DAY_MS).toISOString()));
  const [until, setUntil] = useState('');
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Poll the task once a second until it finishes; the route is an extension, so a 404 ends polling.
  useEffect(() => {
    if (task?.status !== 'running' || !task.id) return;
    const id = setTimeout(async () => {
      try {
        setTask(await api.get<Task>(`/api/v1/task/${seg(task.id)}`));
      } catch (e) {
        setTask({ ...task, status: isNotFound(e) ? 'finished' : 'failed' });
        if (!isNotFound(e)) setError(errorText(e));
      }
    }, 1000);
    return () => clearTimeout(id);
  }, [api, task]);

  useEffect(() => {
    if (task && task.status !== 'running') {
      toast(
        task.status === 'finished' ? 'Recovery finished' : 'Recovery failed',
        task.status === 'finished' ? 'success' : 'error',
      );
      onDone?.();
    }
  }, [task?.status]);

  const start = async (e: Event) => {
    e.preventDefault();
    const sinceIso = localToIso(since);
    if (!sinceIso) return setError('Choose a start time.');
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<Partial<Task>>(`${appApi(appId)}/endpoint/${seg(endpoint.id)}/recover`, {
        since: sinceIso,
        ...(localToIso(until) ? { until: localToIso(until) } : {}),
      });
      setTask({ id: answer?.id ?? '', status: answer?.id ? 'running' : 'finished', total: 0, done: 0, failed: 0 });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  const total = task?.total ?? 0;
  const progressed = (task?.done ?? 0) + (task?.failed ?? 0);
  return (
    <Dialog title="Recover failed messages" onClose={onClose} testid="recover-dialog">
      {!task ? (
        <form class="form" onSubmit={start} noValidate>
          <p>Resend every message that failed to reach {endpoint.url} in this window.</p>
          <label>
            Since
            <input
              type="datetime-local"
              data-testid="recover-since"
              value={since}
              onInput={(e) => setSince(e.currentTarget.value)}
            />
          </label>
          <label>
            Until <span class="muted">(optional)</span>
            <input
              type="datetime-local"
              data-testid="recover-until"
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          </label>
          <FormFooter error={error} busy={busy} onCancel={onClose} submit="Recover" testid="recover-submit" />
        </form>
      ) : (
        <div class="form">
          <p>
            <StatusBadge status={task.status} testid="recover-status" />{' '}
            {total > 0 ? `${progressed} of ${total} messages` : task.status === 'running' ? 'Starting…' : ''}
            {task.failed ? `, ${task.failed} could not be queued` : ''}
          </p>
          <progress
            data-testid="recover-progress"
            aria-label="Recovery progress"
            max={Math.max(total, 1)}
            value={task.status === 'running' ? progressed : Math.max(total, 1)}
          />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="actions">
            <button type="button" class="primary" data-testid="recover-close" onClick={onClose}>
              {task.status === 'running' ? 'Hide' : 'Close'}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
