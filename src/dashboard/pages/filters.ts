import { localToIso } from '../format';
import type { Route } from '../router';

/** Messages-page filters, kept in the URL so a reload or a shared link keeps them. */
export interface Filters {
  /** The application (admin pages); empty: the page's default. */
  app: string;
  eventType: string;
  endpoint: string;
  status: string;
  after: string;
  before: string;
}

export const filtersOf = (route: Route): Filters => ({
  app: route.query.get('app') ?? '',
  eventType: route.query.get('event_type') ?? '',
  endpoint: route.query.get('endpoint') ?? '',
  status: route.query.get('status') ?? '',
  after: route.query.get('after') ?? '',
  before: route.query.get('before') ?? '',
});

/** Query parameters shared by the message and attempt lists. */
export const commonQuery = (f: Filters) => ({
  event_types: f.eventType ? [f.eventType] : undefined,
  after: localToIso(f.after),
  before: localToIso(f.before),
});
