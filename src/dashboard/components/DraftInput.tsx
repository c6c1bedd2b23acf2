import { useEffect, useState } from 'preact/hooks';

interface Props {
  id: string;
  value: string;
  onCommit: (value: string) => void;
  type?: 'text' | 'datetime-local';
  testid?: string;
  placeholder?: string;
}

/**
 * A filter input that keeps what is being typed locally and commits it on change (blur or Enter),
 * so a re-render mid-typing (a toast, a poll) never resets it to the committed value.
 */
export function DraftInput({ id, value, onCommit, type = 'text', testid, placeholder }: Props) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const props = {
    id,
    'data-testid': testid,
    placeholder,
    value: draft,
    onInput: (e: { currentTarget: HTMLInputElement }) => setDraft(e.currentTarget.value),
    onChange: (e: { currentTarget: HTMLInputElement }) => onCommit(e.currentTarget.value.trim()),
  };
  return type === 'datetime-local' ? <input type="datetime-local" {...props} /> : <input type="text" {...props} />;
}
