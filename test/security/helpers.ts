import type { Receiver } from '../helpers/receiver.js';
import { api, type TestServer, waitFor } from '../helpers/server.js';

/** One tenant's objects, made through the API: an application with an endpoint, a message and its attempt. */
export interface Tenant {
  appId: string;
  appUid: string;
  endpointId: string;
  endpointUid: string;
  endpointUrl: string;
  msgId: string;
  eventId: string;
  attemptId: string;
  /** An inbound source forwarding into the application, when the server has inbound routes. */
  sourceId?: string;
}

export async function makeTenant(server: TestServer, receiver: Receiver, label: string): Promise<Tenant> {
  const app = await api(server, 'POST', '/api/v1/app', { name: `Tenant ${label}`, uid: `tenant-${label}` });
  if (app.status !== 201) throw new Error(`app: ${app.status} ${JSON.stringify(app.body)}`);
  const endpointUrl = `${receiver.url}/${label}-secret-path`;
  const ep = await api(server, 'POST', `/api/v1/app/${app.body.id}/endpoint`, {
    url: endpointUrl,
    uid: `ep-${label}`,
    headers: { 'x-tenant': `header-value-${label}` },
  });
  if (ep.status !== 201) throw new Error(`endpoint: ${ep.status} ${JSON.stringify(ep.body)}`);
  const msg = await api(server, 'POST', `/api/v1/app/${app.body.id}/msg`, {
    eventType: 'tenant.event',
    eventId: `evt-${label}`,
    payload: { tenant: label },
  });
  if (msg.status !== 202) throw new Error(`msg: ${msg.status} ${JSON.stringify(msg.body)}`);
  const attempts = await waitFor(async () => {
    const r = await api(server, 'GET', `/api/v1/app/${app.body.id}/attempt/msg/${msg.body.id}`);
    return r.body?.data?.length > 0 ? r.body.data : null;
  });
  return {
    appId: app.body.id,
    appUid: `tenant-${label}`,
    endpointId: ep.body.id,
    endpointUid: `ep-${label}`,
    endpointUrl,
    msgId: msg.body.id,
    eventId: `evt-${label}`,
    attemptId: attempts[0].id,
  };
}

/** Creates an API key with `scopes` through the API and answers its token. */
export async function makeKey(
  server: TestServer,
  scopes: string[],
  name = 'test key',
): Promise<{ id: string; token: string }> {
  const r = await api(server, 'POST', '/api/v1/auth/keys', { name, scopes });
  if (r.status !== 201) throw new Error(`key: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.id, token: r.body.token };
}

/** Every string that identifies tenant `t`: none may appear in another tenant's answers. */
export function fingerprints(t: Tenant): string[] {
  return [t.appId, t.appUid, t.endpointId, t.endpointUid, t.endpointUrl, t.msgId, t.eventId, t.attemptId].concat(
    t.sourceId ? [t.sourceId] : [],
  );
}

/**
 * Like `api`, for probing routes whose kind is unknown: a streaming answer
 * (server-sent events) is cut after its headers, and nothing waits forever.
 */
export async function probe(
  server: { url: string; token: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const res = await fetch(server.url + path, {
      method,
      signal: controller.signal,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.headers.get('content-type')?.includes('text/event-stream')) {
      controller.abort();
      return { status: res.status, body: '[stream]' };
    }
    const text = await res.text();
    try {
      return { status: res.status, body: text ? JSON.parse(text) : null };
    } catch {
      return { status: res.status, body: text };
    }
  } finally {
    clearTimeout(timer);
  }
}
