import { useCallback, useRef, useState } from 'preact/hooks';
import type { ToastKind } from '../context';

export interface ToastItem {
  id: number;
  message: string;
  kind: ToastKind;
}

/** The toast list and a stable `toast()` to add one; each disappears after a few seconds. */
export function useToasts() {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setItems((list) => list.filter((t) => t.id !== id)), []);
  const toast = useCallback(
    (message: string, kind: ToastKind = 'info') => {
      const id = nextId.current++;
      setItems((list) => [...list.slice(-4), { id, message, kind }]);
      setTimeout(() => dismiss(id), kind === 'error' ? 10_000 : 6_000);
    },
    [dismiss],
  );
  return { items, toast, dismiss };
}

export function Toasts({ items, dismiss }: { items: ToastItem[]; dismiss: (id: number) => void }) {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((t) => (
        <div key={t.id} class={`toast ${t.kind}`} data-testid="toast" data-kind={t.kind}>
          <span>{t.message}</span>
          <button type="button" class="icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
