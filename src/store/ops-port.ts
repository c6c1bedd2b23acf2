import type { DeliveryCounts } from '../core/delivery-state.js';
import type { Page, PageRequest } from '../core/types.js';

/**
 * The operations part of the Store port: background tasks, the
 * failure streak of endpoints, stats, retention and export reads. Both
 * adapters implement it in `ops-*.ts` files, one function per operation, and
 * test/store/contract.ts checks them on both.
 *
 * Words used here:
 * - Task: a background job over many deliveries (recover, replay-missing),
 *   with durable progress. A task left `running` by a dead node is adopted by
 *   another one (its heartbeat went stale) and resumed from its cursor.
 * - Failure streak: per endpoint, `failingSince` (first exhausted message of
 *   the current streak), consecutive failed attempts and exhausted messages.
 */

export type TaskKind = 'endpoint.recover' | 'endpoint.replay';
export type TaskStatus = 'running' | 'finished' | 'failed';

export interface Task {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  appId: string;
  endpointId: string;
  params: { since: number; until: number | null };
  total: number;
  done: number;
  failed: number;
  /** Where the work resumes (a keyset bound), null before the first batch. */
  cursor: string | null;
  error: string | null;
  owner: string | null;
  heartbeatAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface TaskProgress {
  status: TaskStatus;
  total: number;
  done: number;
  failed: number;
  cursor: string | null;
  error: string | null;
}

export interface EndpointHealth {
  endpointId: string;
  appId: string;
  disabled: boolean;
  failingSince: number | null;
  consecutiveFailures: number;
  consecutiveExhausted: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
}

/** One attempt's effect on its endpoint's streak: a success ends it, an exhausted message extends it. */
export interface HealthEvent {
  endpointId: string;
  kind: 'success' | 'failure' | 'exhausted';
  at: number;
}

/** Which deliveries or attempts a stats read covers; times are [since, until). */
export interface StatsScope {
  appId?: string | undefined;
  endpointId?: string | undefined;
  eventType?: string | undefined;
  since: number;
  until: number;
}

/** Deliveries by state (core/delivery-state.ts says what each state means). */
export type { DeliveryCounts };

/** Attempts by outcome; every failed attempt counts, whatever its error kind. */
export interface AttemptCounts {
  succeeded: number;
  failed: number;
  /** Failed attempts by error kind: `http_error`, `network`, `timeout`, `blocked`, `invalid_response`. */
  byErrorKind: Record<string, number>;
}

/** Attempts in one bucket of a series. */
export interface SeriesPoint {
  /** Start of the bucket, ms. */
  t: number;
  succeeded: number;
  failed: number;
}

export interface DurationStats {
  attempts: number;
  avgMs: number;
  p95Ms: number;
}

/**
 * An enabled endpoint whose last attempt failed. `exhausted` when a message ran
 * out of attempts since its last success (then `failingSince` is set), else
 * `retrying`.
 */
export interface FailingEndpoint {
  appId: string;
  endpointId: string;
  uid: string | null;
  url: string;
  state: 'retrying' | 'exhausted';
  failingSince: number | null;
  consecutiveFailures: number;
  lastFailureAt: number | null;
}

/** The deliveries of one message by state (see DeliveryCounts). */
export interface MessageDeliveryCounts extends DeliveryCounts {
  msgId: string;
}

export interface InboundEventRow {
  id: string;
  sourceId: string;
  eventType: string;
  /** The provider's event id, if any (exported as `eventId`). */
  providerEventId: string | null;
  status: string;
  error: string | null;
  attempts: number;
  receivedAt: number;
}

export interface OpsStore {
  // Background tasks
  createTask(task: Task): Promise<Task>;
  getTask(id: string): Promise<Task | null>;
  listTasks(
    filter: { status?: TaskStatus | undefined; kind?: TaskKind | undefined },
    page: PageRequest,
  ): Promise<Page<Task>>;
  /** Saves progress and renews the heartbeat; false when another node adopted the task meanwhile. */
  saveTaskProgress(id: string, owner: string, progress: TaskProgress, now: number): Promise<boolean>;
  /** Adopts running tasks whose heartbeat is older than `staleBefore`, in one statement. */
  adoptStaleTasks(owner: string, staleBefore: number, now: number, limit: number): Promise<Task[]>;

  // Replay
  countFailedDeliveries(endpointId: string, since: number, until: number): Promise<number>;
  /**
   * Requeues (manual trigger, parent = last attempt) up to `limit` failed deliveries of the endpoint
   * created in [since, until), in id order after `afterId`. Returns how many and the last id seen.
   */
  requeueFailedDeliveries(
    endpointId: string,
    since: number,
    until: number,
    afterId: string | null,
    limit: number,
    now: number,
  ): Promise<{ count: number; lastId: string | null }>;
  /** Creates a (manual) delivery to the endpoint for each message that has none; returns how many were new. */
  addMissingDeliveries(appId: string, endpointId: string, msgIds: readonly string[], now: number): Promise<number>;

  // Failure streaks
  /** Applies the events in order, in one transaction; answers the streak after each event (none for a deleted endpoint). */
  trackEndpointHealth(events: readonly HealthEvent[]): Promise<EndpointHealth[]>;
  endpointHealth(endpointIds: readonly string[]): Promise<EndpointHealth[]>;
  /** Clears the streak (an operator re-enabled the endpoint). */
  resetEndpointHealth(endpointId: string, now: number): Promise<void>;
  /** Disables the endpoint if it is enabled; true when this call disabled it. */
  disableEndpoint(endpointId: string, now: number): Promise<boolean>;
  /** Disables every enabled endpoint failing since before `failingBefore`; answers those it disabled. */
  disableFailingEndpoints(failingBefore: number, now: number): Promise<EndpointHealth[]>;
  /** Failing endpoints (see FailingEndpoint), most recently failed first. */
  failingEndpoints(appId: string | null, limit: number): Promise<FailingEndpoint[]>;

  // Stats
  /** Deliveries created in the window, by state. */
  deliveryCounts(scope: StatsScope): Promise<DeliveryCounts>;
  /** Attempts made in the window, by outcome and error kind. */
  attemptCounts(scope: StatsScope): Promise<AttemptCounts>;
  /**
   * Attempts made in the window per bucket; buckets start at `origin` (at or
   * before `scope.since`), every bucket of [origin, until) is present.
   */
  attemptSeries(scope: StatsScope, bucketMs: number, origin: number): Promise<SeriesPoint[]>;
  attemptDurations(scope: StatsScope): Promise<DurationStats>;
  /** The deliveries of these messages of `appId`, by state; messages without deliveries are absent. */
  messageDeliveryCounts(appId: string, msgIds: readonly string[]): Promise<MessageDeliveryCounts[]>;
  /** Pending or sending deliveries, and the earliest due time among pending ones. */
  queueSnapshot(): Promise<{ depth: number; oldestDueAt: number | null }>;
  /** Inbound events received since `since`; 0 when the inbound tables do not exist. */
  countInboundEvents(since: number): Promise<number>;

  // Retention
  setMessageExpiry(appId: string, msgId: string, expiresAt: number): Promise<void>;
  /** Drops a message's payload; false when there is no such message. */
  expungeMessageContent(appId: string, msgId: string): Promise<boolean>;
  /** Drops up to `limit` payloads past their expiry (or created before `defaultBefore` without one). */
  prunePayloads(now: number, defaultBefore: number, limit: number): Promise<number>;

  // Export
  /** A page of inbound events in id order, or null when the inbound tables do not exist. */
  exportInboundEvents(
    since: number,
    until: number,
    afterId: string | null,
    limit: number,
  ): Promise<InboundEventRow[] | null>;
}
