import { useEffect, useState } from 'preact/hooks';
import { seg } from '../api';
import { EndpointStatusBadge, EventTypeBadges } from '../components/Badges';
import { Table } from '../components/Table';
import { useCtx } from '../context';
import { errorText } from '../format';
import { href } from '../router';
import type { Endpoint } from '../types';

interface Props {
  base: string;
  rows: Endpoint[];
  onChanged: () => void;
  onEdit: (ep: Endpoint) => void;
  onDelete: (ep: Endpoint) => void;
  detailPath?: (ep: Endpoint) => string;
  onSendTest?: (ep: Endpoint) => void;
}

/** Endpoints as a table (cards on a phone): URL, event types, enabled switch, status, actions. */
export function EndpointTable({ base, rows, onChanged, onEdit, onDelete, detailPath, onSendTest }: Props) {
  const { api, toast } = useCtx();
  // The switch flips at once; the override lasts until the reloaded rows arrive (or the PATCH fails).
  const [enabledNow, setEnabledNow] = useState<Record<string, boolean>>({});
  useEffect(() => setEnabledNow({}), [rows]);
  const toggle = async (ep: Endpoint, enabled: boolean) => {
    setEnabledNow((o) => ({ ...o, [ep.id]: enabled }));
    try {
      await api.patch(`${base}/${seg(ep.id)}`, { disabled: !enabled });
      toast(`${enabled ? 'Enabled' : 'Disabled'} ${ep.url}`, 'success');
    } catch (e) {
      setEnabledNow(({ [ep.id]: _, ...rest }) => rest);
      toast(`Could not change the endpoint: ${errorText(e)}`, 'error');
    }
    onChanged();
  };
  return (
    <Table columns={['Endpoint', 'Event types', 'Enabled', 'Status']} actions>
      {rows.map((row) => {
        const ep = row.id in enabledNow ? { ...row, disabled: !enabledNow[row.id] } : row;
        return (
          <tr key={ep.id} data-testid="endpoint-row" data-id={ep.id}>
            <td data-label="Endpoint" class="cell-url">
              <div class="cell-main">
                {detailPath ? (
                  <a class="truncate" href={href(detailPath(ep))} title={ep.url} data-testid="endpoint-row-url">
                    {ep.url}
                  </a>
                ) : (
                  <span class="truncate" title={ep.url} data-testid="endpoint-row-url">
                    {ep.url}
                  </span>
                )}
                {ep.description && <div class="muted truncate">{ep.description}</div>}
              </div>
            </td>
            <td data-label="Event types">
              <EventTypeBadges types={ep.filterTypes} />
            </td>
            <td data-label="Enabled">
              <label class="switch">
                <input
                  type="checkbox"
                  role="switch"
                  aria-checked={!ep.disabled}
                  data-testid="endpoint-toggle"
                  checked={!ep.disabled}
                  onChange={(e) => toggle(ep, e.currentTarget.checked)}
                />
                <span class="sr-only">Enabled: {ep.url}</span>
              </label>
            </td>
            <td data-label="Status">
              <EndpointStatusBadge ep={ep} />
            </td>
            <td class="row-actions">
              {onSendTest && (
                <button type="button" data-testid="send-test" disabled={ep.disabled} onClick={() => onSendTest(ep)}>
                  Send test
                </button>
              )}
              <button type="button" data-testid="endpoint-edit" onClick={() => onEdit(ep)}>
                Edit
              </button>
              <button type="button" class="danger" data-testid="endpoint-delete" onClick={() => onDelete(ep)}>
                Delete
              </button>
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
