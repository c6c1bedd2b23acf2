import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingRequested } from '../src/tracing/env.js';
import { startTracing, type Tracing } from '../src/tracing/sdk.js';
import { Receiver } from './helpers/receiver.js';
import { api, freshPgSchema, startTestServer, type TestServer, waitFor } from './helpers/server.js';
import { createSource, ingest } from './inbound/gateway-helpers.js';

/**
 * OpenTelemetry end to end: the SDK exports to memory, real servers on a real
 * PostgreSQL take a message with an incoming `traceparent`, and a real
 * receiver gets the attempts. The message is created on an API-only node and
 * delivered by a worker-only node, so the attempts can only continue the
 * trace through the context stored with the message.
 */
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let apiNode: TestServer;
  let worker: TestServer;
  let drop: () => Promise<void>;
  let receiver: Receiver;

  beforeAll(async () => {
    tracing = startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const db = await freshPgSchema('tracing');
    drop = db.drop;
    const env = { HOOKWAY_DATABASE_URL: db.url, HOOKWAY_DATABASE_SCHEMA: db.schema };
    apiNode = await startTestServer({}, { ...env, HOOKWAY_ROLE: 'api' });
    worker = await startTestServer({}, { ...env, HOOKWAY_ROLE: 'worker' });
    // First attempt fails (HTTP 500), the retry one second later succeeds.
    receiver = await Receiver.start((_req, n) => ({ status: n === 0 ? 500 : 200 }));
  });
  afterAll(async () => {
    await receiver?.close();
    await worker?.close();
    await apiNode?.close();
    await drop?.();
    await tracing?.shutdown();
  });

  it('is off unless the standard variables ask for it', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('one trace from the create request through fan-out to every attempt, continued across nodes', async () => {
    const app = (await api(apiNode, 'POST', '/api/v1/app', { name: 'traced' })).body;
    const ep = (await api(apiNode, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url })).body;
    const res = await api(
      apiNode,
      'POST',
      `/api/v1/app/${app.id}/msg`,
      { eventType: 'invoice.paid', payload: { amount: 1 } },
      { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    );
    expect(res.status).toBe(202);
    const msgId: string = res.body.id;

    await waitFor(() => receiver.received.length >= 2, 20_000);
    const attemptSpans = await waitFor(() => {
      const found = exporter.getFinishedSpans().filter((s) => s.name === 'webhook.attempt');
      return found.length >= 2 ? found : null;
    });
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === TRACE_ID);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => byId.get(s.parentSpanContext?.spanId ?? '');

    // The API request continues the caller's trace.
    const request = spans.find((s) => s.parentSpanContext?.spanId === CALLER_SPAN);
    expect(request?.attributes['http.route']).toBe('/api/v1/app/:app_id/msg');
    // message.create sits under the request (through Fastify's handler span), fan-out under it.
    const create = spans.find((s) => s.name === 'message.create');
    expect(create?.attributes['hookway.message.id']).toBe(msgId);
    let up = create ? parentOf(create) : undefined;
    while (up && up !== request) up = parentOf(up);
    expect(up).toBe(request);
    const fan = spans.find((s) => s.name === 'message.fan-out');
    expect(fan && parentOf(fan)).toBe(create);
    expect(fan?.attributes['hookway.fanout.endpoints']).toBe(1);

    // Both attempts are children of message.create in the same trace, with endpoint, status and error kind.
    expect(attemptSpans.map((s) => s.spanContext().traceId)).toEqual([TRACE_ID, TRACE_ID]);
    for (const s of attemptSpans) expect(parentOf(s)).toBe(create);
    const [first, second] = [...attemptSpans].sort(
      (a, b) => Number(a.attributes['hookway.attempt.number']) - Number(b.attributes['hookway.attempt.number']),
    );
    expect(first?.attributes).toMatchObject({
      'hookway.endpoint.id': ep.id,
      'hookway.message.id': msgId,
      'hookway.attempt.number': 1,
      'hookway.attempt.status': 'failed',
      'http.response.status_code': 500,
      'error.type': 'http_error',
      'hookway.delivery.next': 'retry',
    });
    expect(first?.status.code).toBe(2); // ERROR
    expect(second?.attributes).toMatchObject({
      'hookway.endpoint.id': ep.id,
      'hookway.attempt.number': 2,
      'hookway.attempt.status': 'succeeded',
      'http.response.status_code': 200,
      'hookway.delivery.next': 'succeeded',
    });
    expect(second?.attributes['error.type']).toBeUndefined();

    // Each HTTP delivery carried its attempt span as traceparent.
    const sent = receiver.received.map((r) => r.headers.traceparent);
    expect(sent).toEqual([first, second].map((s) => `00-${TRACE_ID}-${s?.spanContext().spanId}-01`));
  });

  it('starts a new trace when the caller sends none, and still links attempts to it', async () => {
    const app = (await api(apiNode, 'POST', '/api/v1/app', { name: 'untraced' })).body;
    await api(apiNode, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url });
    const before = receiver.received.length;
    const msgId = (await api(apiNode, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} })).body.id;
    await waitFor(() => receiver.received.length > before, 20_000);
    const attempt = await waitFor(() =>
      exporter
        .getFinishedSpans()
        .find((s) => s.name === 'webhook.attempt' && s.attributes['hookway.message.id'] === msgId),
    );
    const create = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'message.create' && s.attributes['hookway.message.id'] === msgId);
    expect(create).toBeDefined();
    expect(attempt.spanContext().traceId).toBe(create?.spanContext().traceId);
    expect(attempt.spanContext().traceId).not.toBe(TRACE_ID);
    expect(attempt.parentSpanContext?.spanId).toBe(create?.spanContext().spanId);
  });

  it('continues an inbound receive trace to the attempts of the forwarded event', async () => {
    const source = await createSource(apiNode, { name: 'traced-in', type: 'generic-webhook', config: {} });
    await api(apiNode, 'POST', `/ingest/api/v1/source/${source.id}/endpoint`, { url: receiver.url });
    const traceId = 'aaaabbbbccccddddeeeeffff00001111';
    const before = receiver.received.length;
    const res = await ingest(apiNode, source.id, '{"type":"job.done"}', {
      'content-type': 'application/json',
      traceparent: `00-${traceId}-${CALLER_SPAN}-01`,
    });
    expect(res.status).toBe(200);
    await waitFor(() => receiver.received.length > before, 20_000);
    const attempt = await waitFor(() =>
      exporter.getFinishedSpans().find((s) => s.name === 'webhook.attempt' && s.spanContext().traceId === traceId),
    );
    const receive = exporter
      .getFinishedSpans()
      .find((s) => s.spanContext().traceId === traceId && s.parentSpanContext?.spanId === CALLER_SPAN);
    expect(receive?.attributes['http.route']).toBe('/in/:source_id');
    expect(receiver.received.at(-1)?.headers.traceparent).toBe(`00-${traceId}-${attempt.spanContext().spanId}-01`);
  });
});
