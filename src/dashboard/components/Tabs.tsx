interface Props {
  tabs: { id: string; label: string }[];
  current: string;
  onSelect: (id: string) => void;
}

/** Tabs as buttons with `aria-pressed`: simple, and each one is reachable with Tab. */
export function Tabs({ tabs, current, onSelect }: Props) {
  return (
    <div class="tabs" role="toolbar" aria-label="Views">
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          class={t.id === current ? 'tab active' : 'tab'}
          aria-pressed={t.id === current}
          data-testid={`tab-${t.id}`}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
