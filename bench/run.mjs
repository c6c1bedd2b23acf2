// `npm run bench`: every benchmark, each with its baseline measured in the same run.
import { machine } from './lib.mjs';
import { runOutboundBench } from './outbound.mjs';

const quick = process.argv.includes('--quick');
console.log(`Hookway benchmarks on ${machine()}\n`);
const outbound = await runOutboundBench(
  quick ? { total: 5000, seconds: 3, postgres: !process.argv.includes('--no-pg') } : {},
);
const fmt = (n) => n.toLocaleString('en-US');
console.log('Outbound (create message -> signed delivery to a local receiver)');
console.log(`  raw baseline (generator -> receiver):   ${fmt(outbound.baseline.perSecond)} req/s`);
for (const db of ['sqlite', 'postgres']) {
  const r = outbound[db];
  if (!r) continue;
  console.log(
    `  ${db}: accepted ${fmt(r.throughput.acceptedPerSecond)} msg/s, delivered ${fmt(r.throughput.deliveredPerSecond)} msg/s (${fmt(r.throughput.delivered)}/${fmt(r.throughput.accepted)})`,
  );
  console.log(
    `  ${db}: create-to-delivered at ${quick ? 1000 : 1000} msg/s steady: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (${fmt(r.latency.matched)}/${fmt(r.latency.sent)} matched)`,
  );
}
const { runInboundBench } = await import('./inbound.mjs');
const inbound = await runInboundBench({ seconds: quick ? 3 : 10 });
console.log(
  '\nInbound (POST /in/{source}: GitHub HMAC verify + dedupe + raw body stored + forward queued, answered after commit)',
);
console.log(
  `  bare Fastify route (200, no work):        ${fmt(inbound.bareFastify.perSecond)} req/s, p99 ${inbound.bareFastify.p99Ms} ms`,
);
console.log(
  `  Hookway, ${inbound.concurrency} in flight:                 ${fmt(inbound.hookway.perSecond)} events/s, p50 ${inbound.hookway.p50Ms} ms, p99 ${inbound.hookway.p99Ms} ms (${fmt(inbound.hookway.failed)} non-200)`,
);
console.log(`  ratio Hookway / bare:                     ${inbound.ratio}`);
console.log(
  `  Hookway at a steady ${inbound.steady.rate} events/s:         answer p50 ${inbound.steady.p50Ms} ms, p99 ${inbound.steady.p99Ms} ms`,
);

if (!process.argv.includes('--no-broker')) {
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
