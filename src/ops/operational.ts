import type { Logger } from 'pino';
import type { Context } from '../context.js';
import { HookwayError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Application, Endpoint } from '../core/types.js';
import { publishMessage } from '../delivery/publish.js';
import type { OpsMetrics } from './metrics.js';

/**
 * Operational webhooks: events about Hookway itself (an endpoint was
 * disabled, a message exhausted its retries) sent to the operator's own
 * endpoints. They travel through Hookway: the operator endpoints are the
 * endpoints of one internal application (uid `hookway-operational`), and each
 * event is a message published into it, so it is signed, retried and logged
 * like any other. Events about the internal application itself are never
 * emitted (no loops).
 *
 * Payloads follow Svix: `{type, timestamp, data}` with `data` as in Svix's
 * EndpointDisabledEvent, MessageAttemptExhaustedEvent, etc.
 */
export const OPERATIONAL_APP_UID = 'hookway-operational';

export type OperationalEventType =
  | 'endpoint.created'
  | 'endpoint.updated'
  | 'endpoint.deleted'
  | 'endpoint.disabled'
  | 'endpoint.failing'
  | 'message.attempt.failing'
  | 'message.attempt.exhausted'
  | 'message.attempt.recovered';

export interface Operational {
  /** The internal application, created on first use. */
  app(): Promise<Application>;
  isInternal(appId: string): boolean;
  /** Publishes one event; never throws (failures are logged). */
  emit(type: OperationalEventType, data: Record<string, unknown>): Promise<void>;
  /** `{appId, appUid, endpointId, endpointUid}`, the common part of endpoint events. */
  endpointRef(ep: Pick<Endpoint, 'id' | 'uid' | 'appId'>): Promise<Record<string, unknown>>;
}

export function createOperational(ctx: Context, metrics: OpsMetrics, log: Logger): Operational {
  let cached: Promise<Application> | null = null;
  let internalId: string | null = null;

  async function ensure(): Promise<Application> {
    const found = await ctx.store.getApp(OPERATIONAL_APP_UID);
    if (found) return found;
    try {
      return await ctx.store.createApp(
        {
          id: newId('app'),
          uid: OPERATIONAL_APP_UID,
          name: 'Hookway operational webhooks',
          rateLimit: null,
          metadata: { internal: 'true' },
        },
        ctx.now(),
      );
    } catch (err) {
      // Another node created it first.
      if (err instanceof HookwayError && err.code === 'conflict') {
        const again = await ctx.store.getApp(OPERATIONAL_APP_UID);
        if (again) return again;
      }
      throw err;
    }
  }

  const op: Operational = {
    app() {
      cached ??= ensure().then(
        (a) => {
          internalId = a.id;
          return a;
        },
        (err: unknown) => {
          cached = null;
          throw err;
        },
      );
      return cached;
    },
    isInternal(appId) {
      return internalId !== null && appId === internalId;
    },
    async emit(type, data) {
      try {
        const app = await op.app();
        if (data.appId === app.id) return;
        await publishMessage(ctx, app, {
          eventType: type,
          payload: { type, timestamp: new Date(ctx.now()).toISOString(), data },
        });
        metrics.messagesCreated('operational');
      } catch (err) {
        log.error({ err, type }, 'could not publish operational webhook');
      }
    },
    async endpointRef(ep) {
      const app = await ctx.store.getApp(ep.appId);
      return { appId: ep.appId, appUid: app?.uid ?? null, endpointId: ep.id, endpointUid: ep.uid };
    },
  };
  return op;
}
