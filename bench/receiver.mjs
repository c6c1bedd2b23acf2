// The webhook receiver of the benchmarks, in its own process (forked by lib.mjs with an IPC
// channel) so that it does not share an event loop with the load generator. It answers 200 at
// once, counts deliveries, and on request remembers when each `webhook-id` arrived. A second
// server accepts connections and never answers: the dead endpoint of the isolation row.
//
// Times are CLOCK_MONOTONIC milliseconds (process.hrtime), the same clock in every process on
// the machine, so the generator's send times and this process's arrival times compare directly.
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

const now = () => Number(process.hrtime.bigint() / 1000n) / 1000;

let count = 0;
let firstAt = 0;
let lastAt = 0;
let expect = Infinity;
let record = false;
let arrivals = [];

const server = createServer((req, res) => {
  const at = now();
  req.resume();
  req.on('end', () => {
    count++;
    if (count === 1) firstAt = at;
    lastAt = at;
    if (record) arrivals.push(req.headers['webhook-id'], at);
    res.writeHead(200, { 'content-length': '2' });
    res.end('ok');
    if (count === expect) process.send({ type: 'reached', count, firstAt, lastAt });
  });
});
server.keepAliveTimeout = 60_000;

const held = new Set();
const dead = createTcpServer((socket) => {
  // Read and ignore the request; never write a byte back.
  held.add(socket);
  socket.resume();
  socket.on('error', () => {});
  socket.on('close', () => held.delete(socket));
});

await new Promise((r) => server.listen(0, '127.0.0.1', r));
await new Promise((r) => dead.listen(0, '127.0.0.1', r));

process.on('message', (m) => {
  if (m.type === 'reset') {
    count = 0;
    firstAt = 0;
    lastAt = 0;
    expect = m.expect ?? Infinity;
    record = Boolean(m.record);
    arrivals = [];
    // Connections held by the dead server belong to the round that opened them.
    for (const s of held) s.destroy();
    process.send({ id: m.id });
  } else if (m.type === 'stats') {
    process.send({ id: m.id, count, firstAt, lastAt, held: held.size });
  } else if (m.type === 'dump') {
    process.send({ id: m.id, arrivals });
  }
});
process.on('disconnect', () => process.exit(0));

process.send({
  type: 'ready',
  url: `http://127.0.0.1:${server.address().port}`,
  deadUrl: `http://127.0.0.1:${dead.address().port}`,
});
