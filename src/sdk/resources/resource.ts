import type { Http, Query, RequestOptions } from '../http.js';

/** What every resource of the client holds: the HTTP transport it calls through. */
export abstract class Resource {
  constructor(protected readonly http: Http) {}
}

/** Options of a POST: an `Idempotency-Key` to send. */
export type PostOptions = Pick<RequestOptions, 'idempotencyKey'>;

/** List and filter options as a query string (undefined values are dropped by Http). */
export function q(options: object | undefined): Query {
  return (options ?? {}) as Query;
}
