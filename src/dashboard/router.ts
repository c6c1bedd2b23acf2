import { useEffect, useState } from 'preact/hooks';
import { buildQuery, type Query } from './api';

/**
 * Hash routing (`#/apps/app_1?tab=attempts`): the server only has to serve index.html at `/`,
 * and a reload keeps the page and its filters.
 */
export interface Route {
  path: string;
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  const path = at >= 0 ? raw.slice(0, at) : raw;
  return {
    path: path.startsWith('/') ? path : `/${path}`,
    query: new URLSearchParams(at >= 0 ? raw.slice(at + 1) : ''),
  };
}

export const href = (path: string, query?: Query): string => `#${path}${buildQuery(query)}`;

export function navigate(path: string, query?: Query, replace = false): void {
  const next = href(path, query);
  if (replace) {
    history.replaceState(null, '', next);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = next;
  }
}

/** Replace some query keys of the current route (filters), keeping the others. */
export function setQuery(route: Route, changes: Query): void {
  const query: Query = Object.fromEntries(route.query.entries());
  navigate(route.path, { ...query, ...changes }, true);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** `match('/apps/:appId', '/apps/app_1')` -> `{appId: 'app_1'}`; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(h);
    else if (w !== h) return null;
  }
  return params;
}
