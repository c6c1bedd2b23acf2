import { useState } from 'preact/hooks';
import { useCtx } from '../context';
import { errorText } from '../format';

interface Props {
  filter: string;
  onChange: (filter: string) => void;
  /** Event types offered as the sample's event type. */
  eventTypes: string[];
}

type Outcome = { kind: 'pass' } | { kind: 'fail' } | { kind: 'error'; text: string };

const SAMPLE = '{\n  "amount": 1500,\n  "currency": "EUR"\n}';

/**
 * The endpoint form's payload filter: a CEL expression, and a tester that
 * runs it on a sample message through the server (the same evaluator fan-out
 * uses), so what the form says is what delivery will do.
 */
export function FilterEditor({ filter, onChange, eventTypes }: Props) {
  const { api } = useCtx();
  const [sample, setSample] = useState(SAMPLE);
  const [eventType, setEventType] = useState(eventTypes[0] ?? '');
  const [channels, setChannels] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const test = async () => {
    let payload: unknown;
    try {
      payload = JSON.parse(sample);
    } catch (err) {
      setOutcome({ kind: 'error', text: `The sample payload is not JSON: ${errorText(err)}` });
      return;
    }
    try {
      const list = channels
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      const r = await api.post<{ pass: boolean; error: string | null }>('/api/v1/filter/test', {
        filter,
        payload,
        eventType,
        channels: list,
      });
      setOutcome(r.error ? { kind: 'error', text: r.error } : { kind: r.pass ? 'pass' : 'fail' });
    } catch (err) {
      setOutcome({ kind: 'error', text: errorText(err) });
    }
  };

  return (
    <fieldset class="filter-editor">
      <legend>Payload filter</legend>
      <label>
        <span class="muted">
          Optional CEL expression over <code>payload</code>, <code>eventType</code> and <code>channels</code>; the
          endpoint gets only messages it answers true for.
        </span>
        <textarea
          data-testid="endpoint-filter"
          data-field="filter"
          rows={2}
          spellcheck={false}
          placeholder='payload.amount >= 1000 && payload.currency == "EUR"'
          value={filter}
          onInput={(e) => {
            onChange(e.currentTarget.value);
            setOutcome(null);
          }}
        />
      </label>
      <details>
        <summary>Test against a sample message</summary>
        <label>
          Sample payload (JSON)
          <textarea
            data-testid="filter-sample"
            rows={5}
            spellcheck={false}
            value={sample}
            onInput={(e) => setSample(e.currentTarget.value)}
          />
        </label>
        <div class="grid-2">
          <label>
            Event type
            <input
              data-testid="filter-event-type"
              list="filter-event-types"
              value={eventType}
              onInput={(e) => setEventType(e.currentTarget.value)}
            />
            <datalist id="filter-event-types">
              {eventTypes.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </label>
          <label>
            Channels <span class="muted">(comma separated)</span>
            <input data-testid="filter-channels" value={channels} onInput={(e) => setChannels(e.currentTarget.value)} />
          </label>
        </div>
        <button type="button" data-testid="filter-test" disabled={!filter.trim()} onClick={test}>
          Test filter
        </button>
        {outcome && (
          <p class={outcome.kind === 'error' ? 'field-error' : 'hint'} data-testid="filter-outcome" role="status">
            {outcome.kind === 'pass'
              ? 'Matches: this message would be delivered.'
              : outcome.kind === 'fail'
                ? 'No match: this message would not be delivered.'
                : `Error: ${outcome.text}`}
          </p>
        )}
      </details>
    </fieldset>
  );
}
