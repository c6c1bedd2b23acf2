import { useState } from 'preact/hooks';

interface Props {
  label: string;
  options: string[];
  selected: string[];
  onChange: (selected: string[]) => void;
  testid?: string;
  hint?: string;
}

/**
 * A checkbox list with a filter box: keyboard friendly, and it shows selected values that are
 * not in the catalogue (wildcards such as `invoice.*`) so editing never drops them.
 */
export function MultiSelect({ label, options, selected, onChange, testid, hint }: Props) {
  const [filter, setFilter] = useState('');
  const all = [...new Set([...options, ...selected])].sort();
  const shown = all.filter((o) => o.toLowerCase().includes(filter.toLowerCase()));
  const toggle = (o: string) => onChange(selected.includes(o) ? selected.filter((s) => s !== o) : [...selected, o]);
  return (
    <fieldset class="multi" data-testid={testid}>
      <legend>{label}</legend>
      {hint && <p class="hint">{hint}</p>}
      {all.length > 8 && (
        <input
          type="search"
          aria-label={`Filter ${label}`}
          placeholder="Filter…"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
      )}
      <div class="multi-list">
        {shown.length === 0 && <span class="muted">No event types in the catalogue.</span>}
        {shown.map((o) => (
          <label key={o} class="check">
            <input type="checkbox" value={o} checked={selected.includes(o)} onChange={() => toggle(o)} />
            {o}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
