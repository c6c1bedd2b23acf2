// Burst probe (profiling aid): one endpoint, `total` messages posted by 64 clients in a closed
// loop; prints deliveries per 250 ms so a stall (work left pending until a poll) shows.
// `node bench/burst-probe.mjs [total] [sqlite|postgres://...]`; BENCH_PROFILE_DIR profiles the server.
import { closedLoop, now, sleep, startReceiver, startServer } from './lib.mjs';

const TOKEN = 'hw_bench_token_0123456789abcdef0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const total = Number(process.argv[2] ?? 3000);
const db = process.argv[3];

const receiver = await startReceiver();
const server = await startServer({
  HOOKWAY_ADMIN_TOKEN: TOKEN,
  HOOKWAY_API_RATE_LIMIT: '0',
  ...(db && db !== 'sqlite' && { HOOKWAY_DATABASE_URL: db }),
});
try {
  const json = async (method, path, body) =>
    (await fetch(server.url + path, { method, headers: AUTH, body: JSON.stringify(body) })).json();
  const app = await json('POST', '/api/v1/app', { name: 'burst' });
  await json('POST', `/api/v1/app/${app.id}/endpoint`, { url: `${receiver.url}/hook/0` });
  const request = {
    method: 'POST',
    path: `/api/v1/app/${app.id}/msg`,
    headers: AUTH,
    body: JSON.stringify({ eventType: 'bench.event', payload: { hello: 'world' } }),
  };
  await receiver.reset({ expect: total });
  const t0 = now();
  let last = 0;
  const ticker = setInterval(async () => {
    const s = await receiver.stats();
    console.log(`${Math.round(now() - t0)} ms: delivered ${s.count} (+${s.count - last})`);
    last = s.count;
  }, 250);
  const r = await closedLoop({ origin: server.url, total, concurrency: 64, request: () => request });
  console.log(`accepted ${r.ok} in ${Math.round(r.ms)} ms`);
  const got = await receiver.reached(60_000);
  clearInterval(ticker);
  console.log(`delivered ${got.count} in ${Math.round(got.lastAt - t0)} ms`);
  await sleep(100);
} finally {
  await server.stop();
  await receiver.close();
}
