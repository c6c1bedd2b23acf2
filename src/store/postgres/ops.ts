import type { OpsStore } from '../ops-port.js';
import * as health from './ops-health.js';
import * as replay from './ops-replay.js';
import * as retention from './ops-retention.js';
import * as stats from './ops-stats.js';
import * as tasks from './ops-tasks.js';
import type { Ctx } from './sql.js';

/** The operations port on PostgreSQL (src/store/ops-port.ts): one function per operation, composed here. */
export function operationsStore(ctx: Ctx): OpsStore {
  return {
    createTask: (task) => tasks.createTask(ctx, task),
    getTask: (id) => tasks.getTask(ctx, id),
    listTasks: (filter, page) => tasks.listTasks(ctx, filter, page),
    saveTaskProgress: (id, owner, p, now) => tasks.saveTaskProgress(ctx, id, owner, p, now),
    adoptStaleTasks: (owner, stale, now, limit) => tasks.adoptStaleTasks(ctx, owner, stale, now, limit),

    countFailedDeliveries: (ep, since, until) => replay.countFailedDeliveries(ctx, ep, since, until),
    requeueFailedDeliveries: (ep, since, until, after, limit, now) =>
      replay.requeueFailedDeliveries(ctx, ep, since, until, after, limit, now),
    addMissingDeliveries: (app, ep, ids, now) => replay.addMissingDeliveries(ctx, app, ep, ids, now),

    trackEndpointHealth: (events) => health.trackEndpointHealth(ctx, events),
    endpointHealth: (ids) => health.endpointHealth(ctx, ids),
    resetEndpointHealth: (id) => health.resetEndpointHealth(ctx, id),
    disableEndpoint: (id, now) => health.disableEndpoint(ctx, id, now),
    disableFailingEndpoints: (before, now) => health.disableFailingEndpoints(ctx, before, now),
    failingEndpoints: (appId, limit) => health.failingEndpoints(ctx, appId, limit),

    deliveryCounts: (scope) => stats.deliveryCounts(ctx, scope),
    attemptCounts: (scope) => stats.attemptCounts(ctx, scope),
    attemptSeries: (scope, bucket, origin) => stats.attemptSeries(ctx, scope, bucket, origin),
    messageDeliveryCounts: (app, ids) => stats.messageDeliveryCounts(ctx, app, ids),
    attemptDurations: (scope) => stats.attemptDurations(ctx, scope),
    queueSnapshot: () => stats.queueSnapshot(ctx),
    countInboundEvents: (since) => stats.countInboundEvents(ctx, since),

    setMessageExpiry: (app, msg, at) => retention.setMessageExpiry(ctx, app, msg, at),
    expungeMessageContent: (app, msg) => retention.expungeMessageContent(ctx, app, msg),
    prunePayloads: (now, before, limit) => retention.prunePayloads(ctx, now, before, limit),
    exportInboundEvents: (since, until, after, limit) => retention.exportInboundEvents(ctx, since, until, after, limit),
  };
}
