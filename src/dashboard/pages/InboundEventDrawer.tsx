import { useState } from 'preact/hooks';
import { seg } from '../api';
import { StatusBadge } from '../components/Badges';
import { Body, HeadersTable } from '../components/Code';
import { Dialog } from '../components/Dialog';
import { useCtx } from '../context';
import { dateTime, errorText } from '../format';
import { useAsync } from '../hooks';
import type { InboundEvent } from '../types';

interface Props {
  path: string;
  event: InboundEvent;
  onClose: () => void;
  onReprocessed: () => void;
}

/** One inbound event as received (headers with credentials redacted, raw body) and Reprocess. */
export function InboundEventDrawer({ path, event, onClose, onReprocessed }: Props) {
  const { api, toast } = useCtx();
  const full = useAsync(() => api.get<InboundEvent>(`${path}/${seg(event.id)}`), [event.id]);
  const ev = full.data ?? event;
  const [raw, setRaw] = useState(true);
  const [busy, setBusy] = useState(false);

  const reprocess = async () => {
    setBusy(true);
    try {
      await api.post(`${path}/${seg(event.id)}/reprocess`, {});
      toast('Event queued for reprocessing', 'success');
      full.reload();
      onReprocessed();
    } catch (e) {
      toast(`Reprocess failed: ${errorText(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Inbound event" variant="drawer" onClose={onClose} testid="inbound-drawer">
      <div class="detail">
        <div class="detail-head">
          <StatusBadge status={ev.status} testid="inbound-event-status" />
          <button type="button" class="primary" data-testid="reprocess" disabled={busy} onClick={reprocess}>
            Reprocess
          </button>
        </div>
        <dl class="facts">
          <dt>ID</dt>
          <dd>
            <code>{ev.id}</code>
          </dd>
          <dt>Event type</dt>
          <dd>{ev.eventType ?? '—'}</dd>
          <dt>Provider event ID</dt>
          <dd>{ev.eventId ?? '—'}</dd>
          <dt>Received</dt>
          <dd>{dateTime(ev.receivedAt)}</dd>
          <dt>Attempts</dt>
          <dd>{ev.attempts ?? 0}</dd>
          {ev.error && (
            <>
              <dt>Error</dt>
              <dd class="error">{ev.error}</dd>
            </>
          )}
        </dl>
        {full.error ? <p class="error">Could not load the raw request: {errorText(full.error)}</p> : null}
        <h3>Headers</h3>
        <HeadersTable headers={ev.headers} testid="inbound-headers" />
        <div class="card-head">
          <h3>Body</h3>
          <label class="check">
            <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.currentTarget.checked)} />
            Raw bytes as received
          </label>
        </div>
        <Body body={ev.body ?? ''} raw={raw} testid="inbound-body" />
      </div>
    </Dialog>
  );
}
