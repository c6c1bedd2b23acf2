import { useState } from 'preact/hooks';
import { seg } from '../api';
import { Badge } from '../components/Badges';
import { Body } from '../components/Code';
import { Confirm } from '../components/Confirm';
import { Dialog } from '../components/Dialog';
import { PagedTable } from '../components/Table';
import { useCtx } from '../context';
import { errorText } from '../format';
import { usePager } from '../hooks';
import type { EventType } from '../types';
import { EventTypeDialog } from './EventTypeDialog';

/** The event type catalogue: what applications may publish and endpoints may subscribe to. */
export function EventTypes() {
  const { api, toast } = useCtx();
  const [archived, setArchived] = useState(false);
  const pager = usePager(
    (iterator) =>
      api.list<EventType>('/api/v1/event-type', { limit: 50, iterator, include_archived: archived || undefined }),
    [archived],
  );
  const [creating, setCreating] = useState(false);
  const [schemaOf, setSchemaOf] = useState<EventType | null>(null);
  const [archiving, setArchiving] = useState<EventType | null>(null);

  const unarchive = async (t: EventType) => {
    try {
      await api.patch(`/api/v1/event-type/${seg(t.name)}`, { archived: false });
      toast(`Restored ${t.name}`, 'success');
      pager.reload();
    } catch (e) {
      toast(`Could not restore ${t.name}: ${errorText(e)}`, 'error');
    }
  };

  return (
    <section>
      <div class="page-head">
        <h1>Event types</h1>
        <div class="head-actions">
          <label class="check">
            <input
              type="checkbox"
              data-testid="event-type-show-archived"
              checked={archived}
              onChange={(e) => setArchived(e.currentTarget.checked)}
            />
            Show archived
          </label>
          <button type="button" class="primary" data-testid="event-type-create" onClick={() => setCreating(true)}>
            New event type
          </button>
        </div>
      </div>
      <PagedTable
        pager={pager}
        empty="The catalogue is empty."
        columns={['Name', 'Description', 'State']}
        actions
        row={(t) => (
          <tr key={t.name} data-testid="event-type-row" data-name={t.name}>
            <td data-label="Name">
              <code>{t.name}</code>
            </td>
            <td data-label="Description">{t.description || '—'}</td>
            <td data-label="State">
              {t.archived ? (
                <Badge text="archived" tone="muted" testid="event-type-archived" />
              ) : (
                <Badge text="active" tone="ok" />
              )}
              {t.deprecated && <Badge text="deprecated" tone="warn" />}
            </td>
            <td class="row-actions">
              <button type="button" data-testid="event-type-schema" onClick={() => setSchemaOf(t)}>
                Schema
              </button>
              {t.archived ? (
                <button type="button" data-testid="event-type-unarchive" onClick={() => unarchive(t)}>
                  Restore
                </button>
              ) : (
                <button type="button" class="danger" data-testid="event-type-archive" onClick={() => setArchiving(t)}>
                  Archive
                </button>
              )}
            </td>
          </tr>
        )}
      />
      {creating && (
        <EventTypeDialog
          onClose={() => setCreating(false)}
          onSaved={(t) => {
            setCreating(false);
            toast(`Created ${t.name}`, 'success');
            pager.reload();
          }}
        />
      )}
      {schemaOf && (
        <Dialog title={`Schema · ${schemaOf.name}`} onClose={() => setSchemaOf(null)} testid="schema-dialog">
          {schemaOf.schemas && Object.keys(schemaOf.schemas).length > 0 ? (
            <Body body={schemaOf.schemas} testid="schema-view" />
          ) : (
            <p class="muted">This event type has no schema; any JSON payload is accepted.</p>
          )}
        </Dialog>
      )}
      {archiving && (
        <Confirm
          title="Archive event type"
          message={`Archive ${archiving.name}? It disappears from pickers; existing messages and endpoints keep working.`}
          confirmLabel="Archive"
          danger
          onClose={() => setArchiving(null)}
          onConfirm={async () => {
            await api.del(`/api/v1/event-type/${seg(archiving.name)}`);
            toast(`Archived ${archiving.name}`, 'success');
            pager.reload();
          }}
        />
      )}
    </section>
  );
}
