import { randomBytes } from 'node:crypto';
import type { Cipher } from '../../core/cipher.js';
import type { Store } from '../port.js';
import * as apps from './apps.js';
import * as attempts from './attempts.js';
import * as claim from './claim.js';
import { createDb } from './db.js';
import * as deliveries from './deliveries.js';
import { listEndpointMessages } from './endpoint-messages.js';
import * as endpoints from './endpoints.js';
import * as eventTypes from './event-types.js';
import { fifoQueue } from './fifo.js';
import * as idempotency from './idempotency.js';
import { inboundOps } from './inbound.js';
import * as keys from './keys.js';
import * as messages from './messages.js';
import { migrate } from './migrate.js';
import { operationsStore } from './ops.js';
import { securityOps } from './security.js';
import * as settings from './settings.js';
import type { Ctx } from './sql.js';
import { createWakeListener, wakeChannel } from './wake.js';

export interface PostgresStoreOptions {
  url: string;
  cipher: Cipher;
  /** Where the tables live (default `public`); created by `migrate()` if missing. Tests use one per test. */
  schema?: string;
  /** Connections in the pool (default 10). The wake listener holds one more of its own. */
  poolSize?: number;
}

/**
 * The PostgreSQL Store: any number of nodes share one database. Every
 * operation is a function of its entity module taking the context; this
 * file only composes them. Nothing connects until the first query, so
 * opening is cheap; call `migrate()` before anything else.
 */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const db = createDb({ url: opts.url, schema: opts.schema ?? 'public', poolSize: opts.poolSize });
  const channel = wakeChannel(db.schema);
  const nodeTag = randomBytes(8).toString('hex');
  const ctx: Ctx = { db, cipher: opts.cipher, channel, nodeTag };
  const wake = createWakeListener(db.clientConfig, channel, nodeTag);
  let closing: Promise<void> | undefined;

  return {
    dialect: 'postgres',
    migrate: () => migrate(db),
    close() {
      closing ??= (async () => {
        await wake.close();
        await db.end();
      })();
      return closing;
    },

    createApp: (app, now) => apps.createApp(ctx, app, now),
    getApp: (idOrUid) => apps.getApp(ctx, idOrUid),
    listApps: (page) => apps.listApps(ctx, page),
    updateApp: (app, now) => apps.updateApp(ctx, app, now),
    deleteApp: (id) => apps.deleteApp(ctx, id),

    createEventType: (et, now) => eventTypes.createEventType(ctx, et, now),
    getEventType: (name) => eventTypes.getEventType(ctx, name),
    listEventTypes: (page, o) => eventTypes.listEventTypes(ctx, page, o),
    updateEventType: (et, now) => eventTypes.updateEventType(ctx, et, now),
    deleteEventType: (name) => eventTypes.deleteEventType(ctx, name),

    createEndpoint: (ep, now) => endpoints.createEndpoint(ctx, ep, now),
    getEndpoint: (appId, idOrUid) => endpoints.getEndpoint(ctx, appId, idOrUid),
    listEndpoints: (appId, page) => endpoints.listEndpoints(ctx, appId, page),
    activeEndpoints: (appId) => endpoints.activeEndpoints(ctx, appId),
    updateEndpoint: (ep, now) => endpoints.updateEndpoint(ctx, ep, now),
    deleteEndpoint: (appId, id) => endpoints.deleteEndpoint(ctx, appId, id),

    createMessages: (batch, now) => messages.createMessages(ctx, batch, now),
    getMessage: (appId, idOrEventId) => messages.getMessage(ctx, appId, idOrEventId),
    findMessageByEventId: (appId, eventId) => messages.findMessageByEventId(ctx, appId, eventId),
    listMessages: (appId, filter, page) => messages.listMessages(ctx, appId, filter, page),

    claimDeliveries: (now, limit, leaseMs, skip, per) => claim.claimDeliveries(ctx, now, limit, leaseMs, skip, per),
    releaseDeliveries: (ids) => claim.releaseDeliveries(ctx, ids),
    recordAttempts: (results, now) => deliveries.recordAttempts(ctx, results, now),
    requeueDelivery: (appId, msgId, endpointId, now, parent) =>
      deliveries.requeueDelivery(ctx, appId, msgId, endpointId, now, parent),
    nextDueAt: () => deliveries.nextDueAt(ctx),
    countDeliveries: (filter) => deliveries.countDeliveries(ctx, filter),
    fifoQueue: (endpointId) => fifoQueue(ctx, endpointId),

    listAttempts: (appId, filter, page) => attempts.listAttempts(ctx, appId, filter, page),
    getAttempt: (appId, attemptId) => attempts.getAttempt(ctx, appId, attemptId),
    listAttemptedDestinations: (appId, msgId, page) => attempts.listAttemptedDestinations(ctx, appId, msgId, page),
    listEndpointMessages: (appId, endpointId, filter, page) =>
      listEndpointMessages(ctx, appId, endpointId, filter, page),

    getIdempotent: (key, now) => idempotency.getIdempotent(ctx, key, now),
    saveIdempotent: (key, response, expiresAt) => idempotency.saveIdempotent(ctx, key, response, expiresAt),

    createApiKey: (key) => keys.createApiKey(ctx, key),
    findApiKeyByHash: (hash) => keys.findApiKeyByHash(ctx, hash),
    listApiKeys: () => keys.listApiKeys(ctx),
    touchApiKey: (id, now) => keys.touchApiKey(ctx, id, now),
    revokeApiKey: (id, now) => keys.revokeApiKey(ctx, id, now),
    getSetting: (name) => settings.getSetting(ctx, name),
    setSetting: (name, value) => settings.setSetting(ctx, name, value),
    ...inboundOps(ctx),
    ...securityOps(ctx),

    ...operationsStore(ctx),

    onWake: (listener) => wake.subscribe(listener),
  };
}
