import { useState } from 'preact/hooks';
import { Dialog, FormFooter } from '../components/Dialog';
import { useCtx } from '../context';
import { errorText } from '../format';
import type { EventType } from '../types';

const NAME = /^[a-zA-Z0-9\-_.]{1,256}$/;

/** Schemas are keyed by version (`{"1": {...}}`); a bare JSON Schema typed by the user becomes version 1. */
function schemasOf(text: string): Record<string, unknown> | null {
  if (!text.trim()) return null;
  const value = JSON.parse(text) as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('The schema must be a JSON object.');
  const versioned = Object.keys(value).length > 0 && Object.keys(value).every((k) => /^\d+$/.test(k));
  return versioned ? value : { '1': value };
}

export function EventTypeDialog({ onSaved, onClose }: { onSaved: (t: EventType) => void; onClose: () => void }) {
  const { api } = useCtx();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [schema, setSchema] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!NAME.test(name)) return setError('A name uses letters, digits, ".", "-" and "_", such as invoice.paid.');
    let schemas: Record<string, unknown> | null;
    try {
      schemas = schemasOf(schema);
    } catch (err) {
      return setError(`The schema is not valid JSON: ${errorText(err)}`);
    }
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.post<EventType>('/api/v1/event-type', { name, description, ...(schemas ? { schemas } : {}) }));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title="New event type" onClose={onClose} testid="event-type-dialog">
      <form class="form" onSubmit={submit} noValidate>
        <label>
          Name
          <input
            data-testid="event-type-name"
            placeholder="invoice.paid"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label>
          Description
          <input
            data-testid="event-type-description"
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </label>
        <label>
          JSON Schema <span class="muted">(optional; payloads are validated against it)</span>
          <textarea
            data-testid="event-type-schema-input"
            rows={8}
            class="mono"
            placeholder={'{"type": "object", "properties": {"id": {"type": "string"}}}'}
            value={schema}
            onInput={(e) => setSchema(e.currentTarget.value)}
          />
        </label>
        <FormFooter error={error} busy={busy} onCancel={onClose} submit="Save" testid="event-type-save" />
      </form>
    </Dialog>
  );
}
