import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOf } from '../../src/delivery/formats/index.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';

describe('a Slack target must answer 200 "ok"', () => {
  it('knows what counts as accepted', () => {
    const rejects = (format: 'slack' | 'discord' | 'standard', status: number, body: string) =>
      formatOf(format).rejects?.(status, body) ?? null;
    expect(rejects('slack', 200, 'ok')).toBeNull();
    expect(rejects('slack', 200, 'ok\n')).toBeNull();
    expect(rejects('slack', 200, 'invalid_payload')).toMatch(/without "ok"/);
    expect(rejects('discord', 204, '')).toBeNull();
    expect(rejects('standard', 200, 'anything')).toBeNull();
  });

  let server: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    server = await startTestServer();
    receiver = await Receiver.start(() => ({ status: 200, body: 'something else' }));
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  it('records a 200 without "ok" as a failed attempt (invalid_response), and retries it', async () => {
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'slack' })).body;
    await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, {
      url: receiver.url,
      format: 'slack',
      retrySchedule: [0],
    });
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: { text: 'hi' } }))
      .body;
    const attempts = await waitFor(async () => {
      const list = (await api(server, 'GET', `/api/v1/app/${app.id}/attempt/msg/${msg.id}`)).body.data;
      return list.length === 2 ? list : null;
    });
    for (const a of attempts) {
      expect(a.status).toBe(2);
      expect(a.responseStatusCode).toBe(200);
      expect(a.errorKind).toBe('invalid_response');
    }
  });
});
