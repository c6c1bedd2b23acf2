import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';

interface Props {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  testid?: string;
  /** A drawer slides in from the side; used for detail views. */
  variant?: 'modal' | 'drawer';
}

/**
 * A native modal `<dialog>`: the browser traps focus, restores it on close, and closes on
 * Escape (the `cancel` then `close` events), so keyboard users get all of that for free.
 * Mount it to open it; the parent unmounts it in `onClose`.
 */
export function Dialog({ title, onClose, children, testid, variant = 'modal' }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const unmounted = useRef(false);
  // A layout effect: open in the same task as the mount, so there is no frame where the
  // dialog exists but is not yet modal (and Escape or a click would miss it).
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    // Close before the element leaves the DOM: a modal removed while open can leave the browser's
    // close-request (Escape) bookkeeping stale, so the next dialog would ignore Escape.
    return () => {
      unmounted.current = true;
      if (el?.open) el.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={`dialog ${variant}`}
      data-testid={testid}
      aria-labelledby={titleId}
      onClose={() => !unmounted.current && closeRef.current()}
    >
      <header class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="icon" aria-label="Close" data-testid="dialog-close" onClick={() => onClose()}>
          ×
        </button>
      </header>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}

interface FormFooterProps {
  error: string | null | undefined;
  busy: boolean;
  onCancel: () => void;
  /** The submit button's label and test id. */
  submit: ComponentChildren;
  testid: string;
}

/** The end of a dialog's form: the error of the last submit, then Cancel and the submit button. */
export function FormFooter({ error, busy, onCancel, submit, testid }: FormFooterProps) {
  return (
    <>
      {error && (
        <p class="error" role="alert" data-testid="form-error">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" data-testid={testid} disabled={busy}>
          {submit}
        </button>
      </div>
    </>
  );
}
