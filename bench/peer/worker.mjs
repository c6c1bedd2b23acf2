// The peer's worker process: a BullMQ Worker, 64 jobs at once, each one signed POST with undici
// (keep-alive) and Standard Webhooks headers; a non-2xx or a network error fails the job and
// BullMQ retries it with its backoff.
import { Worker } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { connect, PREFIX, QUEUE } from './shared.mjs';

const CONCURRENCY = Number(process.env.PEER_CONCURRENCY ?? 64);
// The same 15 s as Hookway's default endpoint timeout.
const agent = new Agent({ keepAliveTimeout: 60_000, headersTimeout: 15_000, bodyTimeout: 15_000 });
const signers = new Map();
const signer = (secret) => {
  let s = signers.get(secret);
  if (!s) {
    s = new Webhook(secret);
    signers.set(secret, s);
  }
  return s;
};

const worker = new Worker(
  QUEUE,
  async (job) => {
    const { id, url, secret, body } = job.data;
    const at = new Date();
    const res = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signer(secret).sign(id, at, body),
      },
      body,
    });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`endpoint answered ${res.statusCode}`);
  },
  { connection: connect(), prefix: PREFIX, concurrency: CONCURRENCY },
);
worker.on('error', () => {});
await worker.waitUntilReady();
console.log('PEER WORKER ready');

process.on('SIGTERM', async () => {
  // Jobs stuck on a dead endpoint would hold a graceful close for their whole timeout.
  await worker.close(true);
  process.exit(0);
});
