import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { Attempt } from '../core/types.js';
import type { ClaimedDelivery, DeliveryUpdate } from '../store/port.js';

/**
 * Tracing through the OpenTelemetry API only: with no SDK started (the
 * default, see src/tracing.ts) every call here is a cheap no-op and no
 * context is captured or sent.
 *
 * One trace runs from message create (or inbound receive) to every attempt:
 * the context of the `message.create` span is stored with the message, so an
 * attempt made later, after a restart or by another node, restores it as its
 * parent and sends it on as `traceparent`.
 */

/**
 * Hookway's tracer, or null while no OpenTelemetry SDK is registered. Without
 * one every span is a no-op, and building them still cost ~5% of the API
 * thread's allocations at 1,000 messages/s (a heap sampling profile: span
 * attributes, contexts, the attempt's URL parsed for its span, an async
 * wrapper per span), so callers build nothing. The API's global provider is a
 * proxy that gets a delegate when an SDK registers; another kind of provider
 * counts as tracing.
 */
function activeTracer(): Tracer | null {
  const provider = trace.getTracerProvider();
  if (provider instanceof ProxyTracerProvider) return provider.getDelegateTracer('hookway') ?? null;
  return provider.getTracer('hookway');
}

const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
const NO_ATTEMPT_SPAN: AttemptSpan = Object.freeze({ headers: Object.freeze({}), end() {} });

/** The active trace context as stored with a message: `traceparent`, then `tracestate` after a newline. */
export function captureTraceContext(ctx?: Context): string | null {
  if (!activeTracer()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx ?? context.active(), carrier);
  if (!carrier.traceparent) return null;
  return carrier.tracestate ? `${carrier.traceparent}\n${carrier.tracestate}` : carrier.traceparent;
}

export function restoreTraceContext(stored: string | null | undefined): Context {
  if (!stored) return ROOT_CONTEXT;
  const [traceparent, tracestate] = stored.split('\n');
  return propagation.extract(ROOT_CONTEXT, { traceparent, ...(tracestate && { tracestate }) });
}

/** Runs `fn` in a new active span; a throw marks the span as an error and is rethrown. */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = activeTracer();
  if (!tracer) return fn(NO_SPAN);
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

export interface AttemptSpan {
  /** `traceparent` (and `tracestate`) naming this attempt's span; empty when not tracing. */
  headers: Record<string, string>;
  end(attempt: Attempt, next: DeliveryUpdate['kind']): void;
}

/** A URL without query or credentials: query strings of webhook URLs often carry tokens. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '';
  }
}

/** A client span for one attempt, child of the context stored with the message. */
export function startAttemptSpan(c: ClaimedDelivery): AttemptSpan {
  const tracer = activeTracer();
  if (!tracer) return NO_ATTEMPT_SPAN;
  const parent = restoreTraceContext(c.message.traceContext);
  const span = tracer.startSpan(
    'webhook.attempt',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'POST',
        'url.full': safeUrl(c.endpoint.url),
        'hookway.app.id': c.delivery.appId,
        'hookway.message.id': c.message.id,
        'hookway.event_type': c.message.eventType,
        'hookway.endpoint.id': c.endpoint.id,
        'hookway.delivery.id': c.delivery.id,
        'hookway.attempt.number': c.delivery.attempts + 1,
        'hookway.attempt.trigger': c.triggerType === 1 ? 'manual' : 'scheduled',
      },
    },
    parent,
  );
  const headers: Record<string, string> = {};
  if (span.isRecording()) propagation.inject(trace.setSpan(parent, span), headers);
  return {
    headers,
    end(attempt, next) {
      span.setAttributes({
        'hookway.attempt.id': attempt.id,
        'hookway.attempt.status': attempt.status,
        'hookway.delivery.next': next,
        ...(attempt.responseStatusCode > 0 && { 'http.response.status_code': attempt.responseStatusCode }),
        ...(attempt.errorKind && { 'error.type': attempt.errorKind }),
      });
      if (attempt.status === 'failed') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.errorDetail ?? attempt.errorKind ?? 'failed' });
      }
      span.end();
    },
  };
}
