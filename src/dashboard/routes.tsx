import type { VNode } from 'preact';
import { Empty } from './components/States';
import { useCtx } from './context';
import { AppEndpoints } from './pages/AppEndpoints';
import { Apps } from './pages/Apps';
import { Deliveries } from './pages/Deliveries';
import { EndpointDetail } from './pages/EndpointDetail';
import { EventTypes } from './pages/EventTypes';
import { Messages } from './pages/Messages';
import { OverviewPage } from './pages/Overview';
import { SourceDetail } from './pages/SourceDetail';
import { Sources } from './pages/Sources';
import { href, match, type Route } from './router';

type Table = [pattern: string, render: (params: Record<string, string>, route: Route) => VNode][];

const ADMIN: Table = [
  ['/', () => <OverviewPage />],
  ['/apps', () => <Apps />],
  ['/apps/:appId', (p) => <AppEndpoints appId={p['appId']!} />],
  ['/apps/:appId/endpoints/:endpointId', (p) => <EndpointDetail appId={p['appId']!} endpointId={p['endpointId']!} />],
  ['/messages', (_, route) => <Messages route={route} />],
  ['/deliveries', (_, route) => <Deliveries route={route} />],
  ['/event-types', () => <EventTypes />],
  ['/sources', () => <Sources />],
  ['/sources/:sourceId', (p, route) => <SourceDetail sourceId={p['sourceId']!} route={route} />],
];

/** Portal pages: the application is the session's, never one from the URL. */
const portal = (appId: string): Table => [
  ['/', () => <OverviewPage />],
  ['/endpoints', () => <AppEndpoints appId={appId} />],
  ['/endpoints/:endpointId', (p) => <EndpointDetail appId={appId} endpointId={p['endpointId']!} />],
  ['/messages', (_, route) => <Messages route={route} />],
  ['/deliveries', (_, route) => <Deliveries route={route} />],
];

export function Routes({ route }: { route: Route }) {
  const { session } = useCtx();
  const table = session.admin ? ADMIN : portal(session.appId!);
  for (const [pattern, render] of table) {
    const params = match(pattern, route.path);
    if (params) return render(params, route);
  }
  return (
    <Empty>
      <p>There is no page here.</p>
      <a href={href('/')}>Back to the overview</a>
    </Empty>
  );
}
