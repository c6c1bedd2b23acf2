import { type Api, ApiError, isNotFound } from './api';
import type { WhoAmI } from './types';

/**
 * Who is signed in. An admin token sees everything; a portal token is scoped to one
 * application and sees only its endpoints, messages and attempts.
 */
export interface Session {
  token: string;
  admin: boolean;
  appId: string | null;
}

// sessionStorage: a token lives as long as the tab, never on disk across browser restarts.
const TOKEN_KEY = 'hookway.token';
const PORTAL_APP_KEY = 'hookway.portalApp';

export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PORTAL_APP_KEY);
}

/**
 * An app-portal link is `/#/portal?token=...` or `/portal?token=...&app=...`. Take the token,
 * keep it in sessionStorage and remove it from the address bar (and so from history).
 */
export function takePortalLink(loc: Location = window.location): boolean {
  const hash = loc.hash.replace(/^#/, '');
  const at = hash.indexOf('?');
  const hashPath = (at >= 0 ? hash.slice(0, at) : hash).replace(/\/+$/, '');
  const fromHash = hashPath === '/portal' || hashPath === 'portal';
  const fromPath = /\/portal\/?$/.test(loc.pathname);
  if (!fromHash && !fromPath) return false;
  const params = new URLSearchParams(fromHash && at >= 0 ? hash.slice(at + 1) : loc.search);
  const token = params.get('token') ?? params.get('key');
  if (!token) return false;
  sessionStorage.setItem(TOKEN_KEY, token);
  const app = params.get('app') ?? params.get('app_id');
  if (app) sessionStorage.setItem(PORTAL_APP_KEY, app);
  else sessionStorage.removeItem(PORTAL_APP_KEY);
  const path = fromPath ? loc.pathname.replace(/portal\/?$/, '') : loc.pathname;
  history.replaceState(null, '', `${path}#/`);
  return true;
}

const appFromScopes = (scopes: string[]): string | null =>
  scopes.find((s) => s.startsWith('app:'))?.slice('app:'.length) ?? null;

/** Decide admin or portal mode with `whoami`; fall back to probing when the route is missing. */
export async function resolveSession(api: Api, token: string): Promise<Session> {
  const linkedApp = sessionStorage.getItem(PORTAL_APP_KEY);
  try {
    const who = await api.get<WhoAmI>('/api/v1/auth/whoami');
    const scopes = Array.isArray(who.scopes) ? who.scopes : [];
    if (scopes.includes('admin')) return { token, admin: true, appId: null };
    const appId = who.appId ?? appFromScopes(scopes) ?? linkedApp;
    if (!appId) throw new ApiError(403, 'no_scope', 'This token grants no access to the dashboard.');
    return { token, admin: false, appId };
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  try {
    await api.list('/api/v1/app', { limit: 1 });
    return { token, admin: true, appId: null };
  } catch (e) {
    if (!linkedApp || !(e instanceof ApiError) || e.status !== 403) throw e;
    return { token, admin: false, appId: linkedApp };
  }
}
