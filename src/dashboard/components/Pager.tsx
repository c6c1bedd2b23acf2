interface Props {
  pageNumber: number;
  hasPrev: boolean;
  hasNext: boolean;
  prev: () => void;
  next: () => void;
  loading?: boolean;
}

/** Hidden while everything fits on one page. */
export function Pager({ pageNumber, hasPrev, hasNext, prev, next, loading }: Props) {
  if (!hasPrev && !hasNext) return null;
  return (
    <nav class="pager" aria-label="Pagination">
      <button type="button" data-testid="pager-prev" disabled={!hasPrev || loading} onClick={prev}>
        ← Previous
      </button>
      <span data-testid="pager-page">Page {pageNumber}</span>
      <button type="button" data-testid="pager-next" disabled={!hasNext || loading} onClick={next}>
        Next →
      </button>
    </nav>
  );
}
