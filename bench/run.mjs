// `npm run bench`: every row of the performance table in one run. Hookway against the
// Fastify + BullMQ + undici peer (bench/peer/) and against the raw baseline, medians of
// alternating rounds (Hookway, peer, Hookway, peer, ...), then the table with ratios and targets.
//
//   node bench/run.mjs [--quick] [--no-pg] [--no-broker] [--rows 1,2,5] [--rounds 3] [--backlog 1000000] [--json out.json]
//   node bench/run.mjs --report out.json      (reprint the table of a saved run)
import { readFileSync, writeFileSync } from 'node:fs';
import { backlog } from './backlog.mjs';
import { inboundRound } from './inbound.mjs';
import { machine, startReceiver } from './lib.mjs';
import { isolation, latency, rawBaseline, rawLatency, throughput } from './outbound.mjs';
import { startHookway, startPeer } from './systems.mjs';
import { mediansOf, printTable, tableRows } from './table.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const report = option('--report', null);
if (report) {
  // Reprint the table of an earlier `--json` file (for instance after a change to the verdicts).
  const saved = JSON.parse(readFileSync(report, 'utf8'));
  const md = mediansOf(saved.runs);
  console.log(
    `Figures of ${report} (${saved.machine}; ${saved.quick ? 'quick' : 'full'} run, ${saved.rounds} round(s))`,
  );
  printTable(tableRows(md, saved.runs.backlog, new Set(saved.rows ?? [1, 2, 3, 4, 5, 6, 7])), md, console.log);
  process.exit(0);
}
const quick = flag('--quick');
const postgres = !flag('--no-pg');
const rows = new Set(option('--rows', '1,2,3,4,5,6,7').split(',').map(Number));
const rounds = Number(option('--rounds', quick ? 1 : 3));
const size = quick
  ? { total: 3000, warmup: 300, rate: 1000, seconds: 3, fanoutMessages: 300, inboundSeconds: 3, backlog: 10_000 }
  : { total: 20_000, warmup: 1000, rate: 1000, seconds: 10, fanoutMessages: 2000, inboundSeconds: 10, backlog: 1e6 };
const backlogTotal = Number(option('--backlog', size.backlog));
const concurrency = 64;

const log = (s) => console.log(s);
const fmt = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(n));

/** Starts a system, runs one measurement on it, always stops it. */
async function on(start, fn) {
  const sys = await start();
  try {
    return await fn(sys);
  } finally {
    await sys.stop();
  }
}
const hookway = (db) => () => startHookway(db);

log(`Hookway benchmarks on ${machine()}`);
log(
  `${quick ? 'quick run' : 'full run'}; rows ${[...rows].join(',')}; ${rounds} round(s) each, Hookway and peer alternating; PostgreSQL ${postgres ? 'on' : 'off'}`,
);
log(
  'Hookway servers here run with HOOKWAY_API_RATE_LIMIT=0 and HOOKWAY_INGEST_RATE_LIMIT=0 (the default limits, 10,000/s per key and per source, are abuse protection); everything else is default.\n',
);

const receiver = await startReceiver();
const runs = { raw: [], sqliteTp: [], pgTp: [], peerTp: [], rawLat: [], sqliteLat: [], pgLat: [], peerLat: [] };
Object.assign(runs, { hwFan: [], peerFan: [], hwIso: [], hwIsoDead: [], peerIso: [], peerIsoDead: [] });
Object.assign(runs, { bare: [], store: [], forward: [], backlog: null });
const pgRows = postgres && rows.has(3);

try {
  if (rows.has(1) || pgRows) {
    log('Throughput (rows 1 and 3): closed loop, 64 in flight, 1 endpoint');
    const opts = { total: size.total, concurrency, warmup: size.warmup };
    for (let i = 1; i <= rounds; i++) {
      const raw = await rawBaseline(receiver, opts);
      runs.raw.push(raw);
      const parts = [`raw ${fmt(raw.perSecond)} req/s (generator + receiver: ${fmt(raw.cpuUsPerRequest)} µs CPU each)`];
      if (rows.has(1)) {
        const r = await on(hookway('sqlite'), (s) => throughput(s, receiver, opts));
        runs.sqliteTp.push(r);
        parts.push(`hookway-sqlite ${fmt(r.deliveredPerSecond)} msg/s (${fmt(r.cpuUsPerDelivery)} µs CPU each)`);
      }
      if (pgRows) {
        const r = await on(hookway('postgres'), (s) => throughput(s, receiver, opts));
        runs.pgTp.push(r);
        parts.push(
          `hookway-postgres ${fmt(r.deliveredPerSecond)} msg/s (${fmt(r.cpuUsPerDelivery)} µs CPU each, PostgreSQL's not counted)`,
        );
      }
      const p = await on(startPeer, (s) => throughput(s, receiver, opts));
      runs.peerTp.push(p);
      parts.push(
        `peer ${fmt(p.deliveredPerSecond)} msg/s (${fmt(p.cpuUsPerDelivery)} µs CPU each, API + worker + Redis)`,
      );
      log(`  round ${i}: ${parts.join(', ')}`);
    }
  }

  if (rows.has(2) || pgRows) {
    log(`Latency (rows 2 and 3): open loop, steady ${size.rate} msg/s for ${size.seconds} s, create-to-delivered`);
    const opts = { rate: size.rate, seconds: size.seconds, warmup: size.warmup };
    const show = (name, r) =>
      `${name} p50 ${fmt(r.p50)} / p99 ${fmt(r.p99)} ms (${r.delivered}/${r.sent}${r.cpuUsPerDelivery === undefined ? '' : `, ${fmt(r.cpuUsPerDelivery)} µs CPU each`})`;
    for (let i = 1; i <= rounds; i++) {
      const raw = await rawLatency(receiver, opts);
      runs.rawLat.push(raw);
      const parts = [show('raw', raw)];
      if (rows.has(2)) {
        const r = await on(hookway('sqlite'), (s) => latency(s, receiver, opts));
        runs.sqliteLat.push(r);
        parts.push(show('hookway-sqlite', r));
      }
      if (pgRows) {
        const r = await on(hookway('postgres'), (s) => latency(s, receiver, opts));
        runs.pgLat.push(r);
        parts.push(show('hookway-postgres', r));
      }
      const p = await on(startPeer, (s) => latency(s, receiver, opts));
      runs.peerLat.push(p);
      parts.push(show('peer', p));
      log(`  round ${i}: ${parts.join(', ')}`);
    }
  }

  if (rows.has(4)) {
    log(`Fan-out (row 4): ${fmt(size.fanoutMessages)} messages, each to 10 endpoints, 64 in flight`);
    const opts = { total: size.fanoutMessages, concurrency, fanout: 10, warmup: Math.round(size.warmup / 10) };
    for (let i = 1; i <= rounds; i++) {
      const h = await on(hookway('sqlite'), (s) => throughput(s, receiver, opts));
      const p = await on(startPeer, (s) => throughput(s, receiver, opts));
      runs.hwFan.push(h);
      runs.peerFan.push(p);
      log(
        `  round ${i}: hookway ${fmt(h.deliveredPerSecond)} deliveries/s (${fmt(h.cpuUsPerDelivery)} µs CPU each), peer ${fmt(p.deliveredPerSecond)} deliveries/s (${fmt(p.cpuUsPerDelivery)} µs CPU each)`,
      );
    }
  }

  if (rows.has(5)) {
    log(
      `Isolation (row 5): healthy endpoint at ${size.rate / 2} msg/s alone, then with ${size.rate / 2} msg/s more to a dead endpoint, ${size.seconds} s`,
    );
    const opts = { rate: size.rate, seconds: size.seconds, warmup: size.warmup };
    const show = (r) => `p99 ${fmt(r.p99)} ms (${r.delivered}/${r.sent})`;
    for (let i = 1; i <= rounds; i++) {
      const h = await on(hookway('sqlite'), (s) => isolation(s, receiver, { ...opts, withDead: false }));
      const hd = await on(hookway('sqlite'), (s) => isolation(s, receiver, { ...opts, withDead: true }));
      const p = await on(startPeer, (s) => isolation(s, receiver, { ...opts, withDead: false }));
      const pd = await on(startPeer, (s) => isolation(s, receiver, { ...opts, withDead: true }));
      runs.hwIso.push(h);
      runs.hwIsoDead.push(hd);
      runs.peerIso.push(p);
      runs.peerIsoDead.push(pd);
      log(
        `  round ${i}: hookway alone ${show(h)}, with dead ${show(hd)}; peer alone ${show(p)}, with dead ${show(pd)}`,
      );
    }
  }

  if (rows.has(6)) {
    log(`Backlog (row 6): ${fmt(backlogTotal)} messages created while the endpoint is limited to 1 msg/s, then lifted`);
    runs.backlog = await backlog(receiver, { total: backlogTotal, concurrency, log });
    const b = runs.backlog;
    log(
      `  drained ${fmt(b.drained)} in ${b.drainSeconds} s (${fmt(b.drainPerSecond)} msg/s${b.timedOut ? ', TIMED OUT' : ''}); RSS idle ${b.rssIdleMb} MB, peak while creating ${b.rssPeakCreateMb} MB, while draining ${b.rssPeakDrainMb} MB`,
    );
  }

  if (rows.has(7)) {
    log(`Inbound (row 7): POST /in/{source}, 64 in flight, ${size.inboundSeconds} s each`);
    const opts = { seconds: size.inboundSeconds, concurrency };
    for (let i = 1; i <= rounds; i++) {
      const parts = [];
      for (const kind of ['bare', 'store', 'forward']) {
        const r = await inboundRound(kind, receiver, opts);
        runs[kind].push(r);
        const bad = r.failed ? ` (${fmt(r.failed)} non-200 ${JSON.stringify(r.failedByStatus)})` : '';
        parts.push(`${kind} ${fmt(r.perSecond)}/s${bad}`);
      }
      log(`  round ${i}: ${parts.join(', ')}`);
    }
  }
} finally {
  await receiver.close();
}

const medians = mediansOf(runs);
const table = tableRows(medians, runs.backlog, rows);
printTable(table, medians, log);

const out = option('--json', null);
if (out)
  writeFileSync(
    out,
    JSON.stringify({ machine: machine(), quick, rounds, rows: [...rows], size, runs, medians, table }, null, 2),
  );

// Not a row of the table: RabbitMQ publishing, with its own bare-publisher baseline.
if (!flag('--no-broker') && !flag('--rows')) {
  const { runBrokerBench } = await import('./broker.mjs');
  const b = await runBrokerBench(quick ? { total: 2000 } : {});
  console.log(
    `\nBroker (RabbitMQ, persistent + mandatory publishes with publisher confirms, ${fmt(b.total)} messages)`,
  );
  console.log(
    `  bare amqplib publisher, ${b.window} in flight: ${fmt(b.bare.confirmedPerSecond)} confirmed/s, ${fmt(b.bare.consumedPerSecond)} consumed/s`,
  );
  console.log(
    `  Hookway (create message -> confirmed publish): ${fmt(b.hookway.deliveredPerSecond)} msg/s consumed (${fmt(b.hookway.consumed)}/${fmt(b.hookway.accepted)})`,
  );
}
