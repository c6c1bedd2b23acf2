import { useErrorBoundary } from 'preact/hooks';
import { useCtx } from '../context';
import { useAsync } from '../hooks';
import { appApi } from '../links';
import { href, useRoute } from '../router';
import { Routes } from '../routes';
import type { App } from '../types';
import { ErrorBox } from './States';
import { ThemeToggle } from './ThemeToggle';

interface NavItem {
  id: string;
  label: string;
  path: string;
}

const ADMIN_NAV: NavItem[] = [
  { id: 'overview', label: 'Overview', path: '/' },
  { id: 'apps', label: 'Applications', path: '/apps' },
  { id: 'messages', label: 'Messages', path: '/messages' },
  { id: 'deliveries', label: 'Delivery log', path: '/deliveries' },
  { id: 'event-types', label: 'Event types', path: '/event-types' },
  { id: 'sources', label: 'Inbound sources', path: '/sources' },
];

// The app portal shows one application's pages and nothing an admin alone may see.
const PORTAL_NAV: NavItem[] = [
  { id: 'overview', label: 'Overview', path: '/' },
  { id: 'endpoints', label: 'Endpoints', path: '/endpoints' },
  { id: 'messages', label: 'Messages', path: '/messages' },
  { id: 'deliveries', label: 'Delivery log', path: '/deliveries' },
];

const isActive = (item: NavItem, path: string) =>
  item.path === '/' ? path === '/' : path === item.path || path.startsWith(`${item.path}/`);

export function Layout({ onSignOut }: { onSignOut: () => void }) {
  const { api, session } = useCtx();
  const route = useRoute();
  // The portal names the customer's application, not its id.
  const app = useAsync(
    () => (session.appId ? api.get<App>(appApi(session.appId)) : Promise.resolve(null)),
    [session.appId],
  );
  const nav = session.admin ? ADMIN_NAV : PORTAL_NAV;
  return (
    <div class="layout">
      {/* A button, not `href="#main"`: the hash is the router's. */}
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="topbar">
        <a class="brand" href={href('/')}>
          Hookway
        </a>
        <span class={`badge ${session.admin ? 'info' : 'warn'}`} data-testid="mode-badge">
          {session.admin ? 'admin' : `portal · ${app.data?.name ?? session.appId}`}
        </span>
        <nav class="nav" aria-label="Main">
          {nav.map((item) => (
            <a
              key={item.id}
              href={href(item.path)}
              data-testid={`nav-${item.id}`}
              aria-current={isActive(item, route.path) ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div class="topbar-end">
          <ThemeToggle />
          <button type="button" data-testid="signout" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" class="content" tabIndex={-1}>
        <Guard key={route.path}>
          <Routes route={route} />
        </Guard>
      </main>
    </div>
  );
}

/** A render error in one page shows a message instead of a blank screen; navigating away resets it. */
function Guard({ children }: { children: preact.ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error) return <ErrorBox error={error} retry={reset} />;
  return <>{children}</>;
}
