import { useEffect, useState } from 'preact/hooks';
import { isNotFound, seg } from '../api';
import { Dialog, FormFooter } from '../components/Dialog';
import { KeyValueEditor } from '../components/KeyValueEditor';
import { MultiSelect } from '../components/MultiSelect';
import { Loading } from '../components/States';
import { useCtx } from '../context';
import { errorText } from '../format';
import { type Endpoint, type EndpointFormat, type EndpointHeaders, FORMATS } from '../types';
import { bodyOf, type EndpointFields, type FieldErrors, fieldsOf, headersOf, validate } from './endpointForm';
import { FilterEditor } from './FilterEditor';

interface Props {
  /** The endpoint collection: `/api/v1/app/{id}/endpoint` or `/ingest/api/v1/source/{id}/endpoint`. */
  base: string;
  endpoint?: Endpoint;
  eventTypes: string[];
  /** `secret` is set after a create, so the caller can show it once. */
  onSaved: (endpoint: Endpoint, secret: string | null) => void;
  onClose: () => void;
}

const FORMAT_LABELS: Record<EndpointFormat, string> = {
  standard: 'Standard Webhooks (signed JSON)',
  slack: 'Slack message',
  discord: 'Discord message',
  'hmac-sha256-x-signature': 'HMAC-SHA256 in X-Signature (sha256=hex)',
  'hmac-sha256-x-hookway-signature': 'HMAC-SHA256 in X-Hookway-Signature (sha256=hex)',
  'hmac-sha256-hex-x-webhook-signature': 'HMAC-SHA256 hex in X-Webhook-Signature, {event, data} envelope',
};

export function EndpointDialog({ base, endpoint, eventTypes, onSaved, onClose }: Props) {
  const { api } = useCtx();
  const [fields, setFields] = useState<EndpointFields | null>(endpoint ? null : fieldsOf(undefined, {}));
  const [original, setOriginal] = useState<EndpointHeaders>({ headers: {}, sensitive: [] });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Editing: custom headers live behind their own route; load them before showing the form.
  useEffect(() => {
    if (!endpoint) return;
    api
      .get<EndpointHeaders>(`${base}/${seg(endpoint.id)}/headers`)
      .catch((): EndpointHeaders => ({ headers: {}, sensitive: [] }))
      .then((h) => {
        const loaded = { headers: h?.headers ?? {}, sensitive: h?.sensitive ?? [] };
        setOriginal(loaded);
        setFields(fieldsOf(endpoint, loaded.headers));
      });
  }, [api, base, endpoint]);

  const set = <K extends keyof EndpointFields>(key: K, value: EndpointFields[K]) =>
    setFields((f) => (f ? { ...f, [key]: value } : f));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!fields) return;
    const found = validate(fields);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0];
      document.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const body = bodyOf(fields, endpoint);
      const saved = endpoint
        ? await api.put<Endpoint>(`${base}/${seg(endpoint.id)}`, body)
        : await api.post<Endpoint>(base, body);
      const headers = headersOf(fields.headers);
      if (JSON.stringify(headers) !== JSON.stringify(original.headers))
        await api.put(`${base}/${seg(saved.id)}/headers`, { headers });
      let secret: string | null = null;
      if (!endpoint) {
        secret = await api.get<{ key: string }>(`${base}/${seg(saved.id)}/secret`).then(
          (s) => s.key,
          (err: unknown) => (isNotFound(err) ? null : Promise.reject(err)),
        );
      }
      onSaved(saved, secret);
    } catch (err) {
      setFailure(errorText(err));
      setBusy(false);
    }
  };

  const err = (key: keyof EndpointFields) =>
    errors[key] ? (
      <span class="field-error" id={`err-${key}`} role="alert">
        {errors[key]}
      </span>
    ) : null;
  const invalid = (key: keyof EndpointFields) =>
    errors[key] ? { 'aria-invalid': true, 'aria-describedby': `err-${key}` } : {};

  return (
    <Dialog title={endpoint ? 'Edit endpoint' : 'New endpoint'} onClose={onClose} testid="endpoint-dialog">
      {!fields ? (
        <Loading />
      ) : (
        <form class="form" onSubmit={submit} noValidate>
          <label>
            URL
            <input
              type="url"
              data-testid="endpoint-url"
              data-field="url"
              placeholder="https://example.com/webhooks"
              value={fields.url}
              onInput={(e) => set('url', e.currentTarget.value)}
              required
              {...invalid('url')}
            />
            {err('url')}
            <small class="hint">
              Or a broker: <code>amqp://user:pass@host/vhost?exchange=NAME&amp;routingKey=KEY</code>,{' '}
              <code>nats://host:4222?subject=NAME</code>, <code>redis://host:6379/0?stream=NAME</code>. A password is
              stored encrypted and shown as <code>****</code>; leave it so to keep it.
            </small>
          </label>
          <label>
            Description
            <input
              data-testid="endpoint-description"
              value={fields.description}
              onInput={(e) => set('description', e.currentTarget.value)}
            />
          </label>
          <MultiSelect
            label="Event types"
            hint="None selected: the endpoint receives every event type."
            options={eventTypes}
            selected={fields.filterTypes}
            onChange={(v) => set('filterTypes', v)}
            testid="endpoint-event-types"
          />
          <label>
            Channels <span class="muted">(comma separated, optional)</span>
            <input
              data-testid="endpoint-channels"
              value={fields.channels}
              onInput={(e) => set('channels', e.currentTarget.value)}
            />
          </label>
          <FilterEditor filter={fields.filter} onChange={(v) => set('filter', v)} eventTypes={eventTypes} />
          <KeyValueEditor label="Custom headers" pairs={fields.headers} onChange={(v) => set('headers', v)} />
          {err('headers')}
          {original.sensitive.length > 0 && (
            <p class="hint">
              Sensitive headers with hidden values: {original.sensitive.join(', ')}. Changing the headers above replaces
              them.
            </p>
          )}
          <div class="grid-2">
            <label>
              Timeout (ms)
              <input
                data-testid="endpoint-timeout"
                data-field="timeoutMs"
                inputMode="numeric"
                placeholder="15000"
                value={fields.timeoutMs}
                onInput={(e) => set('timeoutMs', e.currentTarget.value)}
                {...invalid('timeoutMs')}
              />
              {err('timeoutMs')}
            </label>
            <label>
              Rate limit (per second)
              <input
                data-testid="endpoint-rate-limit"
                data-field="rateLimit"
                inputMode="numeric"
                placeholder="unlimited"
                value={fields.rateLimit}
                onInput={(e) => set('rateLimit', e.currentTarget.value)}
                {...invalid('rateLimit')}
              />
              {err('rateLimit')}
            </label>
          </div>
          <label>
            Retry schedule <span class="muted">(seconds between attempts; empty for the server default)</span>
            <input
              data-testid="endpoint-retry"
              data-field="retrySchedule"
              placeholder="5, 300, 1800, 7200"
              value={fields.retrySchedule}
              onInput={(e) => set('retrySchedule', e.currentTarget.value)}
              {...invalid('retrySchedule')}
            />
            {err('retrySchedule')}
          </label>
          <label>
            Format
            <select
              data-testid="endpoint-format"
              value={fields.format}
              onChange={(e) => set('format', e.currentTarget.value as EndpointFormat)}
            >
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
          </label>
          {!endpoint && (
            <label>
              Secret <span class="muted">(optional; empty generates one)</span>
              <input
                data-testid="endpoint-secret"
                data-field="secret"
                autoComplete="off"
                placeholder="whsec_…"
                value={fields.secret}
                onInput={(e) => set('secret', e.currentTarget.value)}
                {...invalid('secret')}
              />
              {err('secret')}
            </label>
          )}
          <label class="check">
            <input
              type="checkbox"
              data-testid="endpoint-fifo"
              checked={fields.fifo}
              onChange={(e) => set('fifo', e.currentTarget.checked)}
            />
            FIFO: one message at a time, in creation order (a failing message holds the ones behind it)
          </label>
          <label class="check">
            <input
              type="checkbox"
              data-testid="endpoint-disabled"
              checked={fields.disabled}
              onChange={(e) => set('disabled', e.currentTarget.checked)}
            />
            Disabled (no deliveries until enabled)
          </label>
          <FormFooter
            error={failure}
            busy={busy}
            onCancel={onClose}
            submit={busy ? 'Saving…' : 'Save'}
            testid="endpoint-save"
          />
        </form>
      )}
    </Dialog>
  );
}
