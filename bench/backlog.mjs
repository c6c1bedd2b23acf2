// Backlog row: `total` messages created while their endpoint is throttled to 1 msg/s (its
// `rateLimit`), so nearly all of them wait as pending deliveries; then the limit is lifted with
// PUT and the backlog drains. The server's RSS is sampled throughout.
import { closedLoop, now, rssMb } from './lib.mjs';
import { startHookway } from './systems.mjs';

const BODY = JSON.stringify({ eventType: 'bench.event', payload: { hello: 'world', n: 1 } });

export async function backlog(receiver, { total, concurrency = 64, sampleMs = 500, log = () => {} }) {
  const sys = await startHookway('sqlite');
  const samples = [];
  let phase = 'idle';
  const sample = () => samples.push({ phase, at: now(), rss: rssMb(sys.pid) });
  const timer = setInterval(sample, sampleMs);
  try {
    sample();
    const app = await sys.createApp();
    const url = `${receiver.url}/hook/backlog`;
    const endpoint = await sys.createEndpoint(app.id, url, { rateLimit: 1 });
    const request = sys.msg(app.id, BODY);
    await receiver.reset({ expect: total });
    phase = 'create';
    const created = await closedLoop({ origin: sys.url, total, concurrency, request: () => request });
    log(`    backlog: ${created.ok.toLocaleString('en-US')} messages created in ${(created.ms / 1000).toFixed(0)} s`);
    phase = 'drain';
    const before = (await receiver.stats()).count;
    const liftedAt = now();
    await sys.updateEndpoint(app.id, endpoint.id, { url, rateLimit: null });
    // Gives up below 20 msg/s (a loaded machine can be that slow), and after 30 minutes.
    const got = await receiver.reached(Math.min(1_800_000, Math.max(60_000, total * 50)));
    sample();
    const drained = got.count - before;
    const peak = (p) =>
      Math.max(...samples.filter((s) => p.includes(s.phase) && Number.isFinite(s.rss)).map((s) => s.rss));
    return {
      total,
      created: created.ok,
      createdPerSecond: Math.round((created.ok * 1000) / created.ms),
      deliveredWhileThrottled: before,
      drained,
      drainSeconds: Math.round(got.lastAt - liftedAt) / 1000,
      drainPerSecond: Math.round((drained * 1000) / (got.lastAt - liftedAt)),
      timedOut: Boolean(got.timedOut),
      rssIdleMb: Math.round(samples[0].rss),
      rssPeakCreateMb: Math.round(peak(['create'])),
      rssPeakDrainMb: Math.round(peak(['drain'])),
      rssPeakMb: Math.round(peak(['idle', 'create', 'drain'])),
      samples: samples.length,
    };
  } finally {
    clearInterval(timer);
    await sys.stop();
  }
}
