import { FastifyOtelInstrumentation } from '@fastify/otel';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

export { tracingRequested } from './env.js';

/**
 * OpenTelemetry tracing: off by default, on when the standard variables ask
 * for it (an OTLP endpoint, or a traces exporter other than `none`). The SDK
 * reads every other OTEL_* variable itself (sampler, headers, protocol,
 * resource attributes). Fastify's official instrumentation (@fastify/otel)
 * makes one span per API request and continues an incoming `traceparent`;
 * delivery/trace.ts adds the message and attempt spans.
 *
 * It must start before the server is built: the instrumentation attaches to
 * Fastify instances as they are created.
 */

export interface Tracing {
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Span processors to use instead of the exporters the environment names (tests: an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  env?: NodeJS.ProcessEnv;
}

export function startTracing(opts: TracingOptions = {}): Tracing {
  const env = opts.env ?? process.env;
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME (or service.name in OTEL_RESOURCE_ATTRIBUTES) wins over this default.
    ...(!env.OTEL_SERVICE_NAME && !/(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '')
      ? { serviceName: 'hookway' }
      : {}),
    instrumentations: [new FastifyOtelInstrumentation({ registerOnInitialization: true })],
    ...(opts.spanProcessors && { spanProcessors: opts.spanProcessors }),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
