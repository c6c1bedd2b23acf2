import { listAll } from '../api';
import { useCtx } from '../context';
import { type Async, useAsync } from '../hooks';
import { appApi } from '../links';
import type { App, Endpoint, EventType } from '../types';

/** Names of the event types that are not archived, for pickers. Empty when the list cannot be read. */
export function useCatalogue(): string[] {
  const { api } = useCtx();
  const types = useAsync(() => listAll<EventType>(api, '/api/v1/event-type').catch(() => []), []);
  return (types.data ?? []).filter((t) => !t.archived).map((t) => t.name);
}

/** Every endpoint of an application, for filters. */
export function useEndpoints(appId: string | null): Endpoint[] {
  const { api } = useCtx();
  const eps = useAsync(
    () => (appId ? listAll<Endpoint>(api, `${appApi(appId)}/endpoint`).catch(() => []) : Promise.resolve([])),
    [appId],
  );
  return eps.data ?? [];
}

/** Every application, for the admin's application pickers (none for a portal session, which has one). */
export function useApps(): Async<App[]> {
  const { api, session } = useCtx();
  return useAsync(
    () => (session.admin ? listAll<App>(api, '/api/v1/app', {}, 250) : Promise.resolve<App[]>([])),
    [session.admin],
  );
}
