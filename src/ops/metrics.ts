import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OpsStore } from '../store/ops-port.js';

/**
 * Prometheus metrics of one Hookway instance, on a Registry of its own (never
 * prom-client's global one, so several instances in one process, as in the
 * tests, do not mix). Queue gauges are read from the database on scrape.
 */
export interface OpsMetrics {
  readonly registry: Registry;
  /** `source`: api (POST .../msg), example (send-example) or operational (operational webhooks). */
  messagesCreated(source: 'api' | 'example' | 'operational'): void;
  attempt(ok: boolean, statusCode: number): void;
  /** Seconds from message creation to its successful delivery. */
  delivered(latencySeconds: number): void;
  inboundEvent(sourceId: string, outcome: string): void;
}

export function statusClass(code: number): string {
  return code >= 100 && code < 600 ? `${Math.floor(code / 100)}xx` : 'none';
}

export function createMetrics(store: Pick<OpsStore, 'queueSnapshot'>, now: () => number = Date.now): OpsMetrics {
  const registry = new Registry();
  const messages = new Counter({
    name: 'hookway_messages_created_total',
    help: 'Messages created, by source: api, example (test deliveries), operational (operational webhooks).',
    labelNames: ['source'],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'hookway_attempts_total',
    help: 'Delivery attempts by outcome (succeeded, failed) and HTTP status class (2xx..5xx, none).',
    labelNames: ['outcome', 'status_class'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'hookway_delivery_latency_seconds',
    help: 'From message creation to successful delivery.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 36_000, 86_400],
    registers: [registry],
  });
  const inbound = new Counter({
    name: 'hookway_inbound_events_total',
    help: 'Requests to POST /in/{source} by source id and outcome: accepted, duplicate, rejected, reply, too_large, error.',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  // One read serves both gauges of a scrape.
  let snapshot: Promise<{ depth: number; oldestDueAt: number | null }> | null = null;
  const read = () => {
    snapshot ??= store.queueSnapshot().finally(() => setTimeout(() => (snapshot = null), 100).unref());
    return snapshot;
  };
  new Gauge({
    name: 'hookway_queue_depth',
    help: 'Deliveries pending or being sent.',
    registers: [registry],
    async collect() {
      this.set((await read()).depth);
    },
  });
  new Gauge({
    name: 'hookway_queue_oldest_due_age_seconds',
    help: 'How long the earliest due pending delivery has been waiting (0 when none is overdue).',
    registers: [registry],
    async collect() {
      const { oldestDueAt } = await read();
      this.set(oldestDueAt === null ? 0 : Math.max(0, (now() - oldestDueAt) / 1000));
    },
  });

  return {
    registry,
    messagesCreated: (source) => messages.inc({ source }),
    attempt: (ok, statusCode) =>
      attempts.inc({ outcome: ok ? 'succeeded' : 'failed', status_class: statusClass(statusCode) }),
    delivered: (s) => latency.observe(Math.max(0, s)),
    inboundEvent: (sourceId, outcome) => inbound.inc({ source: sourceId, outcome }),
  };
}
