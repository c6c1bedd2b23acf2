import type { Application, Endpoint, EventType } from '../core/types.js';
import type { Store } from './port.js';

/**
 * A read cache in front of the Store for the lookups every published message
 * makes: the application (by id or uid), its event type (schema) and its
 * active endpoints (the fan-out set). Measured on the 2-core bench machine
 * they were 11% of the server's CPU at ~4,000 messages/s. Entries live TTL_MS; writes through
 * this node drop them at once, so one node is always consistent. Another node
 * sees a change within TTL_MS (documented in docs/postgres.md): a message
 * published there in that window uses the previous endpoint set.
 */
export const TTL_MS = 1000;

export function withReadCache(store: Store, now: () => number = Date.now): Store {
  const apps = new Map<string, { at: number; value: Application | null }>();
  const eventTypes = new Map<string, { at: number; value: EventType | null }>();
  const endpoints = new Map<string, { at: number; value: Endpoint[] }>();
  const dropApps = () => apps.clear();
  const dropEndpoints = (appId?: string) => (appId ? endpoints.delete(appId) : endpoints.clear());

  const cached: Partial<Store> = {
    async getApp(idOrUid) {
      const hit = apps.get(idOrUid);
      const t = now();
      if (hit && t - hit.at < TTL_MS) return hit.value;
      const value = await store.getApp(idOrUid);
      if (apps.size > 10_000) apps.clear();
      // Misses are not kept: an application created on another node must be found at once.
      if (value) apps.set(idOrUid, { at: t, value });
      return value;
    },
    async activeEndpoints(appId) {
      const hit = endpoints.get(appId);
      const t = now();
      if (hit && t - hit.at < TTL_MS) return hit.value;
      const value = await store.activeEndpoints(appId);
      if (endpoints.size > 10_000) endpoints.clear();
      endpoints.set(appId, { at: t, value });
      return value;
    },
    async getEventType(name) {
      const hit = eventTypes.get(name);
      const t = now();
      if (hit && t - hit.at < TTL_MS) return hit.value;
      const value = await store.getEventType(name);
      if (eventTypes.size > 10_000) eventTypes.clear();
      // Misses are kept too: most messages name a type with no catalogue entry (no schema).
      eventTypes.set(name, { at: t, value });
      return value;
    },
    async createEventType(et, t) {
      eventTypes.clear();
      return store.createEventType(et, t);
    },
    async updateEventType(et, t) {
      eventTypes.clear();
      return store.updateEventType(et, t);
    },
    async deleteEventType(name) {
      eventTypes.clear();
      return store.deleteEventType(name);
    },
    async createApp(app, t) {
      dropApps();
      return store.createApp(app, t);
    },
    async updateApp(app, t) {
      dropApps();
      return store.updateApp(app, t);
    },
    async deleteApp(id) {
      dropApps();
      dropEndpoints(id);
      return store.deleteApp(id);
    },
    async createEndpoint(ep, t) {
      dropEndpoints(ep.appId);
      return store.createEndpoint(ep, t);
    },
    async updateEndpoint(ep, t) {
      dropEndpoints(ep.appId);
      return store.updateEndpoint(ep, t);
    },
    async deleteEndpoint(appId, id) {
      dropEndpoints(appId);
      return store.deleteEndpoint(appId, id);
    },
    async recordAttempts(results, t) {
      // A 410 disables an endpoint here.
      if (results.some((r) => r.update.kind === 'gone')) dropEndpoints();
      return store.recordAttempts(results, t);
    },
  };
  // Everything else goes straight to the store (bound, so adapters keep their `this`).
  return new Proxy(store, {
    get(target, prop, receiver) {
      const own = (cached as Record<string | symbol, unknown>)[prop];
      if (own !== undefined) return own;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
