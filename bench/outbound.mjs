// Outbound rows, written once for any system (Hookway or the peer, bench/systems.mjs):
// delivered msg/s, create-to-delivered latency at a steady rate, fan-out, and a healthy
// endpoint's latency next to a dead one. Plus the raw baseline: the same generator posting the
// same body straight to the same receiver.
import { closedLoop, cpuMs, latencyOf, now, openLoop, sleep } from './lib.mjs';

const BODY = JSON.stringify({ eventType: 'bench.event', payload: { hello: 'world', n: 1 } });
const perSecond = (n, ms) => Math.round((n * 1000) / ms);

/** Generator -> receiver with nothing in between: the ceiling of this machine for this load. */
export async function rawBaseline(receiver, { total, concurrency }) {
  const u = new URL(receiver.url);
  const request = { method: 'POST', path: '/hook', headers: { 'content-type': 'application/json' }, body: BODY };
  await receiver.reset({ expect: total });
  // What the load itself costs: the generator (this process) and the receiver, per request.
  const gen0 = process.cpuUsage();
  const rec0 = cpuMs([receiver.pid]);
  const r = await closedLoop({ origin: u.origin, total, concurrency, request: () => request });
  const gen = process.cpuUsage(gen0);
  const cpu = (gen.user + gen.system) / 1000 + cpuMs([receiver.pid]) - rec0;
  return { perSecond: perSecond(r.ok, r.ms), cpuUsPerRequest: Math.round((cpu * 1000) / Math.max(1, r.ok)) };
}

/**
 * The latency floor of this machine: the same generator posting straight to the same receiver at
 * `rate` for `seconds` (open loop, each request its own `webhook-id`). Whatever this p99 is, no
 * system measured through the same generator and receiver can beat it.
 */
export async function rawLatency(receiver, { rate, seconds, warmup = 1000 }) {
  const u = new URL(receiver.url);
  const request = (i) => ({
    method: 'POST',
    path: '/hook',
    headers: { 'content-type': 'application/json', 'webhook-id': `raw_${i}` },
    body: BODY,
    id: `raw_${i}`,
  });
  await receiver.reset({ expect: warmup });
  await closedLoop({ origin: u.origin, total: warmup, concurrency: 16, request });
  const { figures } = await timedOpenLoop(receiver, { origin: u.origin, rate, seconds, request });
  return figures;
}

/** One open-loop phase at `rate` for `seconds`, each send matched to its arrival at the receiver. */
async function timedOpenLoop(receiver, { origin, rate, seconds, request }) {
  await receiver.reset({ expect: Math.round(rate * seconds), record: true });
  const run = await openLoop({ origin, rate, seconds, request });
  const got = await receiver.reached(5000);
  const figures = { rate, seconds, failed: run.failed, ...latencyOf(run.sent, await receiver.arrivals()) };
  return { figures, delivered: got.count };
}

async function appWithEndpoints(sys, urls) {
  const app = await sys.createApp();
  const endpoints = [];
  for (const url of urls) endpoints.push(await sys.createEndpoint(app.id, url));
  return { app, endpoints, request: sys.msg(app.id, BODY) };
}

/** Not counted: JIT, lazily compiled statements, connections, the first page cache misses. */
async function warmUp(sys, receiver, request, { messages, deliveries }) {
  await receiver.reset({ expect: deliveries });
  await closedLoop({ origin: sys.url, total: messages, concurrency: 16, request: () => request });
  await receiver.reached(30_000);
  await sleep(500);
}

/**
 * Closed loop: `total` messages with `concurrency` in flight, each fanned out to `fanout`
 * endpoints; deliveries per second from the first POST to the last delivery.
 */
export async function throughput(sys, receiver, { total, concurrency, fanout = 1, warmup = 1000 }) {
  const urls = Array.from({ length: fanout }, (_, i) => `${receiver.url}/hook/${i}`);
  const { request } = await appWithEndpoints(sys, urls);
  await warmUp(sys, receiver, request, { messages: warmup, deliveries: warmup * fanout });
  await receiver.reset({ expect: total * fanout });
  const cpu0 = cpuMs(sys.pids);
  const t0 = now();
  const r = await closedLoop({ origin: sys.url, total, concurrency, request: () => request });
  const got = await receiver.reached(Math.max(60_000, total * fanout));
  const cpu = cpuMs(sys.pids) - cpu0;
  return {
    /** CPU the system used per delivery (all its processes and threads), in microseconds. */
    cpuUsPerDelivery: Math.round((cpu * 1000) / Math.max(1, got.count)),
    accepted: r.ok,
    acceptedPerSecond: perSecond(r.ok, r.ms),
    delivered: got.count,
    deliveredPerSecond: perSecond(got.count, got.lastAt - t0),
    failedByStatus: r.failedByStatus,
    timedOut: Boolean(got.timedOut),
  };
}

/** Open loop at `rate` messages/s for `seconds`; create (POST sent) to delivered (receiver has it). */
export async function latency(sys, receiver, { rate, seconds, warmup = 1000 }) {
  const { request } = await appWithEndpoints(sys, [`${receiver.url}/hook/0`]);
  await warmUp(sys, receiver, request, { messages: warmup, deliveries: warmup });
  const cpu0 = cpuMs(sys.pids);
  const { figures, delivered } = await timedOpenLoop(receiver, {
    origin: sys.url,
    rate,
    seconds,
    request: () => request,
  });
  // At a set rate the CPU per message is the system's own cost, not how it shares a saturated machine.
  const cpuUsPerDelivery = Math.round(((cpuMs(sys.pids) - cpu0) * 1000) / Math.max(1, delivered));
  return { ...figures, cpuUsPerDelivery };
}

/**
 * The healthy endpoint's create-to-delivered latency at `rate / 2` messages/s, alone
 * (`withDead: false`) or with every other message (the other `rate / 2`) sent to an endpoint
 * whose server accepts connections and never answers (another app, so nothing is fanned out).
 */
export async function isolation(sys, receiver, { rate, seconds, withDead, warmup = 1000 }) {
  const healthy = await appWithEndpoints(sys, [`${receiver.url}/hook/healthy`]);
  const dead = withDead ? await appWithEndpoints(sys, [`${receiver.deadUrl}/hook/dead`]) : null;
  await warmUp(sys, receiver, healthy.request, { messages: warmup, deliveries: warmup });
  const healthyRate = rate / 2;
  const total = Math.round(healthyRate * seconds);
  await receiver.reset({ expect: total, record: true });
  const healthyReq = { ...healthy.request, tag: 'healthy' };
  const deadReq = dead && { ...dead.request, tag: 'dead' };
  const run = await openLoop({
    origin: sys.url,
    rate: withDead ? rate : healthyRate,
    seconds,
    request: (i) => (withDead && i % 2 === 1 ? deadReq : healthyReq),
  });
  await receiver.reached(5000);
  const sent = run.sent.filter((s) => s.tag === 'healthy');
  return { healthyRate, withDead, failed: run.failed, ...latencyOf(sent, await receiver.arrivals()) };
}
