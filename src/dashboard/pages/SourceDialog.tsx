import { useState } from 'preact/hooks';
import { Dialog, FormFooter } from '../components/Dialog';
import { useCtx } from '../context';
import { errorText } from '../format';
import type { Source } from '../types';
import { PROVIDERS, providerOf } from './providers';

/** Create an inbound source: pick the provider, then fill the fields that provider needs. */
export function SourceDialog({ onSaved, onClose }: { onSaved: (s: Source) => void; onClose: () => void }) {
  const { api } = useCtx();
  const [name, setName] = useState('');
  const [type, setType] = useState(PROVIDERS[0]!.type);
  const [config, setConfig] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const provider = providerOf(type)!;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError('A name is required.');
    const missing = provider.fields.find((f) => f.required && !config[f.key]?.trim());
    if (missing) return setError(`${missing.label} is required for ${provider.label}.`);
    const values = Object.fromEntries(
      provider.fields.map((f) => [f.key, config[f.key] ?? f.options?.[0] ?? '']).filter(([, v]) => v !== ''),
    );
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.post<Source>('/ingest/api/v1/source', { name: name.trim(), type, config: values }));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title="New inbound source" onClose={onClose} testid="source-dialog">
      <form class="form" onSubmit={submit} noValidate>
        <label>
          Name
          <input data-testid="source-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Provider
          <select
            data-testid="source-type"
            value={type}
            onChange={(e) => {
              setType(e.currentTarget.value);
              setConfig({});
            }}
          >
            {PROVIDERS.map((p) => (
              <option key={p.type} value={p.type}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {provider.fields.length === 0 && <p class="hint">Requests are accepted without verification.</p>}
        {provider.fields.map((f) => (
          <div class="field" key={`${type}-${f.key}`}>
            <label for={`source-field-${f.key}`}>
              {f.label}
              {!f.required && <span class="muted"> (optional)</span>}
            </label>
            {f.options ? (
              <select
                id={`source-field-${f.key}`}
                data-testid={`source-field-${f.key}`}
                value={config[f.key] ?? f.options[0]}
                onChange={(e) => setConfig({ ...config, [f.key]: e.currentTarget.value })}
              >
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <TextInput
                id={`source-field-${f.key}`}
                testid={`source-field-${f.key}`}
                secret={!!f.secret}
                placeholder={f.placeholder}
                value={config[f.key] ?? ''}
                onValue={(v) => setConfig({ ...config, [f.key]: v })}
              />
            )}
            {f.hint && <span class="hint">{f.hint}</span>}
          </div>
        ))}
        <FormFooter error={error} busy={busy} onCancel={onClose} submit="Create" testid="source-save" />
      </form>
    </Dialog>
  );
}

interface TextInputProps {
  id: string;
  testid: string;
  secret: boolean;
  placeholder: string | undefined;
  value: string;
  onValue: (value: string) => void;
}

/** Secrets are masked while typed; everything else is plain text. */
function TextInput({ id, testid, secret, placeholder, value, onValue }: TextInputProps) {
  const props = {
    id,
    'data-testid': testid,
    autoComplete: 'off',
    placeholder,
    value,
    onInput: (e: { currentTarget: HTMLInputElement }) => onValue(e.currentTarget.value),
  };
  return secret ? <input type="password" {...props} /> : <input type="text" {...props} />;
}
