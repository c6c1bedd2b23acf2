import { useState } from 'preact/hooks';
import { seg } from '../api';
import { AttemptError, AttemptStatusBadge, Badge, DeliveryStatusBadge } from '../components/Badges';
import { Body } from '../components/Code';
import { Dialog } from '../components/Dialog';
import { Section } from '../components/States';
import { useCtx } from '../context';
import { dateTime, duration } from '../format';
import { useAsync } from '../hooks';
import { appApi } from '../links';
import type { Attempt, Destination, Message } from '../types';
import { AttemptDetail } from './AttemptDetail';

/** A message with its payload and every attempt to deliver it; an attempt opens in place. */
export function MessageDrawer({ appId, message, onClose }: { appId: string; message: Message; onClose: () => void }) {
  const { api } = useCtx();
  const app = appApi(appId);
  const full = useAsync(
    () => api.get<Message>(`${app}/msg/${seg(message.id)}`, { with_content: true }).catch(() => message),
    [message.id],
  );
  const attempts = useAsync(
    () => api.list<Attempt>(`${app}/attempt/msg/${seg(message.id)}`, { limit: 50 }),
    [message.id],
  );
  // Endpoints a filter error kept from the message: not attempts, so listed on their own.
  const filtered = useAsync(
    () =>
      api
        .list<Destination>(`${app}/msg/${seg(message.id)}/endpoint`, { limit: 250 })
        .then((p) => p.data.filter((d) => d.filterError)),
    [message.id],
  );
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const m = full.data ?? message;

  return (
    <Dialog title={attempt ? 'Attempt' : 'Message'} variant="drawer" onClose={onClose} testid="msg-drawer">
      {attempt ? (
        <>
          <button type="button" class="link" data-testid="drawer-back" onClick={() => setAttempt(null)}>
            ← Back to the message
          </button>
          <AttemptDetail appId={appId} attempt={attempt} onReplayed={attempts.reload} />
        </>
      ) : (
        <div class="detail">
          <dl class="facts">
            <dt>ID</dt>
            <dd>
              <code>{m.id}</code>
            </dd>
            <dt>Delivery</dt>
            <dd>
              <DeliveryStatusBadge status={m.deliveryStatus} />
            </dd>
            <dt>Event type</dt>
            <dd>{m.eventType}</dd>
            <dt>Event ID</dt>
            <dd>{m.eventId ?? '—'}</dd>
            <dt>Time</dt>
            <dd>{dateTime(m.timestamp)}</dd>
            <dt>Channels</dt>
            <dd>{m.channels?.join(', ') || '—'}</dd>
            <dt>Tags</dt>
            <dd>{m.tags?.join(', ') || '—'}</dd>
          </dl>
          <h3>Payload</h3>
          <Body body={m.payload} testid="msg-payload" />
          <h3>Attempts</h3>
          <Section {...attempts} empty="No attempts yet." isEmpty={(p) => p.data.length === 0}>
            {(page) => (
              <ul class="plain attempts">
                {page.data.map((a) => (
                  <li key={a.id} data-testid="msg-attempt-row">
                    <AttemptStatusBadge status={a.status} />
                    {a.triggerType === 1 && <Badge text="manual" tone="info" />}
                    <span>HTTP {a.responseStatusCode || '—'}</span>
                    {a.status === 2 && <AttemptError kind={a.errorKind} detail={a.errorDetail} />}
                    <span class="muted">{duration(a.responseDurationMs)}</span>
                    <span class="muted truncate" title={a.url}>
                      {a.url}
                    </span>
                    <span class="muted">{dateTime(a.timestamp)}</span>
                    <button type="button" data-testid="attempt-open" onClick={() => setAttempt(a)}>
                      Details
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          {filtered.data && filtered.data.length > 0 && (
            <>
              <h3>Filtered out</h3>
              <p class="hint">These endpoints got no delivery: their filter failed on this payload.</p>
              <ul class="plain attempts">
                {filtered.data.map((d) => (
                  <li key={d.id} data-testid="msg-filtered-row">
                    <Badge text="filtered" tone="warn" />
                    <span class="muted truncate" title={d.url}>
                      {d.uid ?? d.id}
                    </span>
                    <span class="field-error">{d.filterError}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}
