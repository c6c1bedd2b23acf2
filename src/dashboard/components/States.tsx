import type { ComponentChildren } from 'preact';
import { isNotFound } from '../api';
import { errorText } from '../format';

export function Loading() {
  return (
    <p class="muted" aria-busy="true" data-testid="loading">
      Loading…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return (
    <div class="empty" data-testid="empty">
      {children}
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div class="error-box" role="alert" data-testid="error">
      <span>{errorText(error)}</span>
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

/**
 * The common loading / error / empty handling of a page section. A 404 means the server does
 * not have this (extension) route: show the empty state instead of an error.
 */
export function Section<T>(props: {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload?: () => void;
  empty: ComponentChildren;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ComponentChildren;
}) {
  const { data, error, loading, reload, empty, isEmpty, children } = props;
  if (error) return isNotFound(error) ? <Empty>{empty}</Empty> : <ErrorBox error={error} retry={reload} />;
  if (data === undefined) return loading ? <Loading /> : <Empty>{empty}</Empty>;
  if (isEmpty?.(data)) return <Empty>{empty}</Empty>;
  return <>{children(data)}</>;
}
