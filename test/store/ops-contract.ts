import { describe, expect, it } from 'vitest';
import { idFloorAt, newId } from '../../src/core/ids.js';
import type { Task } from '../../src/store/ops-port.js';
import type { Store } from '../../src/store/port.js';
import { attemptFor, createApp, createEndpoint, publish, T0 } from '../helpers/store-fixtures.js';

/**
 * The operations part of the Store contract (src/store/ops-port.ts), called
 * from contract.ts so every adapter runs it. `store()` is the migrated store
 * of the current test. All times are explicit.
 */
export function opsContract(store: () => Store): void {
  describe('operations', () => {
    const LEASE = 30_000;
    const WINDOW = { since: T0 - 1000, until: T0 + 1000 };

    function task(over: Partial<Task> = {}): Task {
      return {
        id: newId('task'),
        kind: 'endpoint.recover',
        status: 'running',
        appId: 'app_x',
        endpointId: 'ep_x',
        params: { since: T0 - 1000, until: null },
        total: 0,
        done: 0,
        failed: 0,
        cursor: null,
        error: null,
        owner: 'node_a',
        heartbeatAt: T0,
        createdAt: T0,
        updatedAt: T0,
        ...over,
      };
    }

    /** Publishes `n` messages to one endpoint and records one attempt each, failed (`fail`) or not. */
    async function attempted(n: number, fail: boolean) {
      const s = store();
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id);
      for (let i = 0; i < n; i++) await publish(s, app.id, [ep.id]);
      const claimed = await s.claimDeliveries(T0, 100, LEASE, []);
      const attempts = claimed.map((c, i) =>
        attemptFor(
          c,
          T0 + 10,
          fail ? { status: 'failed', responseStatusCode: 500, responseDurationMs: 10 * (i + 1) } : {},
        ),
      );
      await s.recordAttempts(
        claimed.map((c, i) => ({
          attempt: attempts[i]!,
          deliveryId: c.delivery.id,
          update: fail ? { kind: 'exhausted' as const } : { kind: 'succeeded' as const },
        })),
        T0 + 10,
      );
      return { app, ep, claimed, attempts };
    }

    it('tasks: create, read, list, progress only by the owner, stale ones adopted once', async () => {
      const s = store();
      const t = await s.createTask(task());
      expect(await s.getTask(t.id)).toEqual(t);
      expect(await s.getTask('task_nope')).toBeNull();
      const progress = { status: 'running' as const, total: 10, done: 4, failed: 1, cursor: 'dlv_x', error: null };
      expect(await s.saveTaskProgress(t.id, 'node_b', progress, T0 + 5)).toBe(false);
      expect(await s.saveTaskProgress(t.id, 'node_a', progress, T0 + 5)).toBe(true);
      expect(await s.getTask(t.id)).toMatchObject({ ...progress, heartbeatAt: T0 + 5, updatedAt: T0 + 5 });
      const done = await s.createTask(task({ status: 'finished', kind: 'endpoint.replay' }));
      expect((await s.listTasks({}, { limit: 10 })).data.map((x) => x.id)).toEqual([done.id, t.id]);
      expect((await s.listTasks({ status: 'finished' }, { limit: 10 })).data.map((x) => x.id)).toEqual([done.id]);
      expect((await s.listTasks({ kind: 'endpoint.recover' }, { limit: 10 })).data.map((x) => x.id)).toEqual([t.id]);
      // Not stale yet at T0 + 5 + 1000 with a 2 s threshold; stale at a later time; adopted once.
      expect(await s.adoptStaleTasks('node_c', T0 + 5 - 1, T0 + 1000, 10)).toEqual([]);
      const adopted = await s.adoptStaleTasks('node_c', T0 + 100, T0 + 2000, 10);
      expect(adopted.map((x) => [x.id, x.owner])).toEqual([[t.id, 'node_c']]);
      expect(await s.adoptStaleTasks('node_d', T0 + 100, T0 + 2000, 10)).toEqual([]);
      expect(await s.saveTaskProgress(t.id, 'node_a', progress, T0 + 6)).toBe(false);
    });

    it('recover requeues failed deliveries in batches as manual attempts linked to the last attempt', async () => {
      const s = store();
      const { ep, attempts } = await attempted(3, true);
      expect(await s.countFailedDeliveries(ep.id, WINDOW.since, WINDOW.until)).toBe(3);
      expect(await s.countFailedDeliveries(ep.id, T0 + 1, WINDOW.until)).toBe(0);
      const first = await s.requeueFailedDeliveries(ep.id, WINDOW.since, WINDOW.until, null, 2, T0 + 50);
      expect(first.count).toBe(2);
      const second = await s.requeueFailedDeliveries(ep.id, WINDOW.since, WINDOW.until, first.lastId, 2, T0 + 50);
      expect(second.count).toBe(1);
      expect(await s.requeueFailedDeliveries(ep.id, WINDOW.since, WINDOW.until, second.lastId, 2, T0 + 50)).toEqual({
        count: 0,
        lastId: null,
      });
      const again = await s.claimDeliveries(T0 + 50, 10, LEASE, []);
      expect(again).toHaveLength(3);
      for (const c of again) {
        expect(c.triggerType).toBe(1);
        expect(c.delivery.attempts).toBe(1);
        expect(c.parentAttemptId).toBe(attempts.find((a) => a.deliveryId === c.delivery.id)?.id);
      }
    });

    it('replay-missing adds a delivery only where none exists', async () => {
      const s = store();
      const app = await createApp(s);
      const a = await createEndpoint(s, app.id);
      const b = await createEndpoint(s, app.id);
      const m1 = await publish(s, app.id, [a.id]);
      const m2 = await publish(s, app.id, [a.id, b.id]);
      expect(await s.addMissingDeliveries(app.id, b.id, [m1.id, m2.id, 'msg_nope'], T0 + 5)).toBe(1);
      expect(await s.addMissingDeliveries(app.id, b.id, [m1.id, m2.id], T0 + 6)).toBe(0);
      const other = await createApp(s);
      expect(await s.addMissingDeliveries(other.id, b.id, [m1.id], T0 + 6)).toBe(0);
      const claimed = await s.claimDeliveries(T0 + 10, 10, LEASE, []);
      const replayed = claimed.filter((c) => c.endpoint.id === b.id && c.message.id === m1.id);
      expect(replayed.map((c) => c.triggerType)).toEqual([1]);
    });

    it('failure streaks: failures count, exhaustion starts failing, success ends it; disable once', async () => {
      const s = store();
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id);
      const after = await s.trackEndpointHealth([
        { endpointId: ep.id, kind: 'failure', at: T0 },
        { endpointId: ep.id, kind: 'failure', at: T0 + 1 },
        { endpointId: ep.id, kind: 'exhausted', at: T0 + 1 },
        { endpointId: 'ep_deleted', kind: 'failure', at: T0 + 1 },
        { endpointId: ep.id, kind: 'exhausted', at: T0 + 2 },
      ]);
      expect(after.map((x) => [x.consecutiveFailures, x.consecutiveExhausted, x.failingSince])).toEqual([
        [1, 0, null],
        [2, 0, null],
        [2, 1, T0 + 1],
        [2, 2, T0 + 1],
      ]);
      expect(await s.failingEndpoints(app.id, 10)).toEqual([
        {
          appId: app.id,
          endpointId: ep.id,
          uid: ep.uid,
          url: ep.url,
          state: 'exhausted',
          failingSince: T0 + 1,
          consecutiveFailures: 2,
          lastFailureAt: T0 + 2,
        },
      ]);
      expect(await s.failingEndpoints(null, 10)).toHaveLength(1);
      expect(await s.disableFailingEndpoints(T0 + 1, T0 + 10)).toEqual([]);
      const disabled = await s.disableFailingEndpoints(T0 + 2, T0 + 10);
      expect(disabled.map((x) => [x.endpointId, x.disabled])).toEqual([[ep.id, true]]);
      expect(await s.disableFailingEndpoints(T0 + 2, T0 + 10)).toEqual([]);
      expect((await s.getEndpoint(app.id, ep.id))?.disabled).toBe(true);
      expect(await s.failingEndpoints(app.id, 10)).toEqual([]);

      const ep2 = await createEndpoint(s, app.id);
      expect(await s.disableEndpoint(ep2.id, T0 + 20)).toBe(true);
      expect(await s.disableEndpoint(ep2.id, T0 + 21)).toBe(false);

      const [ok] = await s.trackEndpointHealth([{ endpointId: ep.id, kind: 'success', at: T0 + 30 }]);
      expect(ok).toMatchObject({
        consecutiveFailures: 0,
        consecutiveExhausted: 0,
        failingSince: null,
        lastSuccessAt: T0 + 30,
      });
      await s.trackEndpointHealth([{ endpointId: ep.id, kind: 'exhausted', at: T0 + 40 }]);
      await s.resetEndpointHealth(ep.id, T0 + 41);
      const [read] = await s.endpointHealth([ep.id]);
      expect(read).toMatchObject({
        endpointId: ep.id,
        appId: app.id,
        failingSince: null,
        consecutiveExhausted: 0,
        lastFailureAt: T0 + 40,
      });
    });

    it('stats: retrying deliveries, failed attempts by error kind, per-message counts, the log of every app', async () => {
      const s = store();
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id);
      const [m1, m2, m3] = [
        await publish(s, app.id, [ep.id]),
        await publish(s, app.id, [ep.id]),
        await publish(s, app.id, [ep.id]),
      ];
      const claimed = await s.claimDeliveries(T0, 10, LEASE, []);
      const of = (id: string) => claimed.find((c) => c.message.id === id)!;
      const failedWith = (errorKind: 'network' | 'timeout') => ({
        status: 'failed' as const,
        responseStatusCode: 0,
        errorKind,
        errorDetail: `${errorKind} trouble`,
      });
      await s.recordAttempts(
        [
          {
            attempt: attemptFor(of(m1!.id), T0 + 10, failedWith('network')),
            deliveryId: of(m1!.id).delivery.id,
            update: { kind: 'retry', nextAttemptAt: T0 + 5000 },
          },
          {
            attempt: attemptFor(of(m2!.id), T0 + 10, failedWith('timeout')),
            deliveryId: of(m2!.id).delivery.id,
            update: { kind: 'exhausted' },
          },
          {
            attempt: attemptFor(of(m3!.id), T0 + 10),
            deliveryId: of(m3!.id).delivery.id,
            update: { kind: 'succeeded' },
          },
        ],
        T0 + 10,
      );
      const scope = { ...WINDOW, appId: app.id };
      expect(await s.deliveryCounts(scope)).toEqual({
        pending: 0,
        retrying: 1,
        sending: 0,
        succeeded: 1,
        exhausted: 1,
      });
      expect(await s.attemptCounts(scope)).toEqual({
        succeeded: 1,
        failed: 2,
        byErrorKind: { network: 1, timeout: 1 },
      });
      const byMsg = async () =>
        Object.fromEntries(
          (await s.messageDeliveryCounts(app.id, [m1!.id, m2!.id, m3!.id, 'msg_none'])).map((c) => [c.msgId, c]),
        );
      expect(await byMsg()).toEqual({
        [m1!.id]: { msgId: m1!.id, pending: 0, retrying: 1, sending: 0, succeeded: 0, exhausted: 0 },
        [m2!.id]: { msgId: m2!.id, pending: 0, retrying: 0, sending: 0, succeeded: 0, exhausted: 1 },
        [m3!.id]: { msgId: m3!.id, pending: 0, retrying: 0, sending: 0, succeeded: 1, exhausted: 0 },
      });
      expect(await s.messageDeliveryCounts('app_other', [m1!.id])).toEqual([]);
      // A manual resend of the exhausted delivery is pending, not retrying.
      await s.requeueDelivery(app.id, m2!.id, ep.id, T0 + 20, null);
      expect(await s.deliveryCounts(scope)).toMatchObject({ pending: 1, retrying: 1, exhausted: 0 });
      const dests = await s.listAttemptedDestinations(app.id, m1!.id, { limit: 10 });
      expect(dests.data.map((d) => d.deliveryState)).toEqual(['retrying']);

      // The delivery log of every application: newest first, filters apply across apps.
      const other = await createApp(s);
      const otherEp = await createEndpoint(s, other.id);
      await publish(s, other.id, [otherEp.id]);
      const [c] = await s
        .claimDeliveries(T0 + 5000, 10, LEASE, [])
        .then((l) => l.filter((x) => x.endpoint.id === otherEp.id));
      await s.recordAttempts(
        [{ attempt: attemptFor(c!, T0 + 30), deliveryId: c!.delivery.id, update: { kind: 'succeeded' } }],
        T0 + 30,
      );
      const everyApp = await s.listAttempts(null, {}, { limit: 10 });
      expect(new Set(everyApp.data.map((a) => a.appId))).toEqual(new Set([app.id, other.id]));
      expect(everyApp.data[0]?.appId).toBe(other.id);
      const failedOnly = await s.listAttempts(null, { status: 'failed' }, { limit: 10 });
      expect(failedOnly.data.map((a) => a.errorKind).sort()).toEqual(['network', 'timeout']);
      expect((await s.listAttempts(null, { endpointId: otherEp.id }, { limit: 10 })).data).toHaveLength(1);
      expect(failedOnly.data[0]?.eventType).toBe('invoice.paid');
    });

    it('stats: delivery counts, series and attempt durations by app, endpoint and event type', async () => {
      const s = store();
      const failed = await attempted(4, true);
      const ok = await attempted(2, false);
      const scope = { ...WINDOW };
      expect(await s.deliveryCounts(scope)).toEqual({
        pending: 0,
        retrying: 0,
        sending: 0,
        succeeded: 2,
        exhausted: 4,
      });
      expect(await s.attemptCounts(scope)).toEqual({ succeeded: 2, failed: 4, byErrorKind: { http_error: 4 } });
      expect(await s.attemptCounts({ ...scope, endpointId: ok.ep.id })).toEqual({
        succeeded: 2,
        failed: 0,
        byErrorKind: {},
      });
      expect(await s.deliveryCounts({ ...scope, appId: failed.app.id })).toMatchObject({ exhausted: 4, succeeded: 0 });
      expect(await s.deliveryCounts({ ...scope, endpointId: ok.ep.id })).toMatchObject({ exhausted: 0, succeeded: 2 });
      expect(await s.deliveryCounts({ ...scope, eventType: 'invoice.paid' })).toMatchObject({
        succeeded: 2,
        exhausted: 4,
      });
      expect(await s.deliveryCounts({ ...scope, eventType: 'nope' })).toMatchObject({ succeeded: 0, exhausted: 0 });
      expect(await s.deliveryCounts({ since: T0 + 1, until: T0 + 2 })).toMatchObject({ succeeded: 0, exhausted: 0 });
      const series = await s.attemptSeries({ ...scope, appId: failed.app.id }, 500, scope.since);
      expect(series).toHaveLength(4);
      expect(series.map((p) => p.failed)).toEqual([0, 0, 4, 0]);
      expect(series[2]?.t).toBe(T0);
      // The window is exact; only the buckets start earlier: an origin 250 ms before `since` adds a bucket.
      const aligned = await s.attemptSeries({ since: T0 + 11, until: T0 + 1000 }, 500, T0 - 250);
      expect(aligned.map((p) => [p.t, p.failed + p.succeeded])).toEqual([
        [T0 - 250, 0],
        [T0 + 250, 0],
        [T0 + 750, 0],
      ]);
      const d = await s.attemptDurations({ ...scope, endpointId: failed.ep.id });
      expect(d).toEqual({ attempts: 4, avgMs: 25, p95Ms: 40 });
      expect(await s.attemptDurations({ since: T0 + 100, until: T0 + 200 })).toEqual({
        attempts: 0,
        avgMs: 0,
        p95Ms: 0,
      });
      expect(await s.queueSnapshot()).toEqual({ depth: 0, oldestDueAt: null });
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id);
      await publish(s, app.id, [ep.id], {}, T0 + 7);
      expect(await s.queueSnapshot()).toEqual({ depth: 1, oldestDueAt: T0 + 7 });
      expect(await s.countInboundEvents(0)).toBe(0);
    });

    it('retention: per-message expiry, default cut-off by age, and expunge', async () => {
      const s = store();
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id);
      // Message ids carry their creation time; these are made at the times the test pretends.
      const idAt = (ms: number, n: number) => `${idFloorAt('msg', ms).slice(0, -4)}${String(n).padStart(4, '0')}`;
      const short = await publish(s, app.id, [ep.id], { id: idAt(T0, 1) });
      const old = await publish(s, app.id, [ep.id], { id: idAt(T0, 2) });
      const young = await publish(s, app.id, [ep.id], { id: idAt(T0 + 10_000, 3) }, T0 + 10_000);
      await s.setMessageExpiry(app.id, short.id, T0 + 100);
      expect(await s.prunePayloads(T0 + 50, T0 - 1, 10)).toBe(0);
      expect(await s.prunePayloads(T0 + 100, T0 - 1, 10)).toBe(1);
      expect((await s.getMessage(app.id, short.id))?.payload).toBe('{}');
      expect(await s.prunePayloads(T0 + 100, T0 + 5000, 10)).toBe(1);
      expect((await s.getMessage(app.id, old.id))?.payload).toBe('{}');
      expect((await s.getMessage(app.id, young.id))?.payload).toBe('{"amount":1}');
      expect(await s.expungeMessageContent(app.id, young.id)).toBe(true);
      expect(await s.expungeMessageContent(app.id, 'msg_nope')).toBe(false);
      expect((await s.getMessage(app.id, young.id))?.payload).toBe('{}');
      const inbound = await s.exportInboundEvents(0, T0 * 2, null, 10);
      expect(inbound === null || Array.isArray(inbound)).toBe(true);
    });
  });
}
