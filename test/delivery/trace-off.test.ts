import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { captureTraceContext, inSpan, startAttemptSpan } from '../../src/delivery/trace.js';
import type { ClaimedDelivery } from '../../src/store/port.js';

// With no OpenTelemetry SDK registered (the default), tracing builds nothing per message or
// attempt. With one, test/tracing.test.ts checks the spans and the traceparent they send.
describe('tracing without an SDK', () => {
  const claimed = {
    delivery: { id: 'dlv_1', appId: 'app_1', attempts: 0 },
    message: { id: 'msg_1', eventType: 'a.b', traceContext: null },
    endpoint: { id: 'ep_1', url: 'https://example.com/hook?token=x' },
    triggerType: 0,
  } as unknown as ClaimedDelivery;

  it('hands out one shared no-op: no span, no headers, no context stored', async () => {
    const a = startAttemptSpan(claimed);
    expect(startAttemptSpan(claimed)).toBe(a);
    expect(a.headers).toEqual({});
    expect(captureTraceContext()).toBeNull();
    const seen = await inSpan('message.create', { 'hookway.app.id': 'app_1' }, async (span) => span);
    expect(seen.isRecording()).toBe(false);
    expect(trace.getActiveSpan()).toBeUndefined();
    // A failure still reaches the caller.
    await expect(
      inSpan('message.create', {}, async () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
  });
});
