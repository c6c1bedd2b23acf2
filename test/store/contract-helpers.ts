import type { Application, AttemptStatus, Endpoint } from '../../src/core/types.js';
import type { ClaimedDelivery, DeliveryUpdate, Store } from '../../src/store/port.js';
import { attemptFor, createApp, createEndpoint, publish, T0 } from '../helpers/store-fixtures.js';

/** What several parts of the Store contract share. */
export const LEASE = 30_000;
export const conflict = { code: 'conflict' };
export const notFound = { code: 'not_found' };

/** An app with one endpoint and one published message, claimed at T0. */
export async function claimedOne(store: Store): Promise<{ app: Application; ep: Endpoint; c: ClaimedDelivery }> {
  const app = await createApp(store);
  const ep = await createEndpoint(store, app.id);
  await publish(store, app.id, [ep.id]);
  const [c] = await store.claimDeliveries(T0, 10, LEASE, []);
  if (!c) throw new Error('nothing claimed');
  return { app, ep, c };
}

/** Records one attempt of `c` (a success by default) with the outcome `update`. */
export async function recordOne(
  store: Store,
  c: ClaimedDelivery,
  update: DeliveryUpdate,
  at: number,
  status: AttemptStatus = 'succeeded',
) {
  const attempt = attemptFor(c, at, { status, responseStatusCode: status === 'succeeded' ? 200 : 500 });
  await store.recordAttempts([{ attempt, deliveryId: c.delivery.id, update }], at);
  return attempt;
}
