import { useState } from 'preact/hooks';
import { DeliveryStatusBadge } from '../components/Badges';
import { Pager } from '../components/Pager';
import { Section } from '../components/States';
import { useCtx } from '../context';
import { dateTime } from '../format';
import { usePager } from '../hooks';
import { appApi } from '../links';
import type { Message } from '../types';
import { commonQuery, type Filters } from './filters';
import { MessageDrawer } from './MessageDrawer';

export function MessageList({ appId, filters }: { appId: string; filters: Filters }) {
  const { api } = useCtx();
  const query = commonQuery(filters);
  const pager = usePager(
    (iterator) => api.list<Message>(`${appApi(appId)}/msg`, { limit: 25, iterator, ...query }),
    [appId, query],
  );
  const [open, setOpen] = useState<Message | null>(null);
  return (
    <>
      <Section {...pager} empty="No messages match these filters." isEmpty={(p) => p.data.length === 0}>
        {(page) => (
          <table class="table">
            <thead>
              <tr>
                <th>Message</th>
                <th>Delivery</th>
                <th>Event type</th>
                <th>Event ID</th>
                <th>Time</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((m) => (
                <tr key={m.id} data-testid="msg-row" data-id={m.id}>
                  <td data-label="Message">
                    <button type="button" class="link" data-testid="msg-open" onClick={() => setOpen(m)}>
                      {m.id}
                    </button>
                  </td>
                  <td data-label="Delivery">
                    <DeliveryStatusBadge status={m.deliveryStatus} />
                  </td>
                  <td data-label="Event type">{m.eventType}</td>
                  <td data-label="Event ID">{m.eventId ?? '—'}</td>
                  <td data-label="Time">{dateTime(m.timestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Pager {...pager} />
      {open && <MessageDrawer appId={appId} message={open} onClose={() => setOpen(null)} />}
    </>
  );
}
