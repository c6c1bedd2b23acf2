export type Pair = [string, string];

interface Props {
  label: string;
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
}

/** Edit a small string map (custom headers) as rows of name and value. */
export function KeyValueEditor({ label, pairs, onChange, keyPlaceholder = 'Name', valuePlaceholder = 'Value' }: Props) {
  const set = (i: number, at: 0 | 1, value: string) =>
    onChange(pairs.map((p, j) => (j === i ? ((at === 0 ? [value, p[1]] : [p[0], value]) as Pair) : p)));
  return (
    <fieldset class="kv">
      <legend>{label}</legend>
      {pairs.map(([k, v], i) => (
        <div class="kv-row" key={i}>
          <input
            aria-label={`${label} name ${i + 1}`}
            data-testid="header-key"
            placeholder={keyPlaceholder}
            value={k}
            onInput={(e) => set(i, 0, e.currentTarget.value)}
          />
          <input
            aria-label={`${label} value ${i + 1}`}
            data-testid="header-value"
            placeholder={valuePlaceholder}
            value={v}
            onInput={(e) => set(i, 1, e.currentTarget.value)}
          />
          <button
            type="button"
            class="icon"
            aria-label={`Remove ${k || 'row'}`}
            onClick={() => onChange(pairs.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" data-testid="header-add" onClick={() => onChange([...pairs, ['', '']])}>
        + Add
      </button>
    </fieldset>
  );
}
