import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from './types';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Run `load` when `key` changes (and on `reload`). Answers that arrive after a newer request
 * started are dropped, so fast filter changes never show stale rows.
 */
export function useAsync<T>(load: () => Promise<T>, key: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  const seq = useRef(0);
  const depKey = JSON.stringify(key);
  // depKey stands for the caller's inputs; `load` is read through a ref so it may change freely.
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    latest.current().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      // Keep the last good data on error, so a failed poll does not blank the page.
      (error: unknown) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, [depKey, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface Pager<T> extends Async<Page<T>> {
  items: T[];
  pageNumber: number;
  hasNext: boolean;
  hasPrev: boolean;
  next: () => void;
  prev: () => void;
}

/**
 * Iterator pagination: remember the iterator that opened each page, so Previous walks back the
 * pages seen. A change of `key` (the filters) starts again from the first page.
 */
export function usePager<T>(load: (iterator: string | null) => Promise<Page<T>>, key: unknown[]): Pager<T> {
  const depKey = JSON.stringify(key);
  const [nav, setNav] = useState<{ key: string; stack: (string | null)[] }>({ key: depKey, stack: [null] });
  const stack = nav.key === depKey ? nav.stack : [null];
  const iterator = stack[stack.length - 1] ?? null;
  const result = useAsync(() => load(iterator), [depKey, iterator]);
  const page = result.data;
  return {
    ...result,
    items: page?.data ?? [],
    pageNumber: stack.length,
    hasNext: !!page && !page.done && !!page.iterator,
    hasPrev: stack.length > 1,
    next: () => page?.iterator && setNav({ key: depKey, stack: [...stack, page.iterator] }),
    prev: () => setNav({ key: depKey, stack: stack.length > 1 ? stack.slice(0, -1) : stack }),
  };
}

/** Call `fn` every `ms` while the tab is visible. */
export function useInterval(fn: () => void, ms: number): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState !== 'hidden') latest.current();
    }, ms);
    return () => clearInterval(id);
  }, [ms]);
}
