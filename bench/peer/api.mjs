// The peer's API process: Fastify, one job per (message, endpoint) added to a BullMQ queue,
// 202 once Redis has the jobs. This is the hand-built stack a Node team would write in an
// afternoon; Redis runs without fsync here (--appendonly no), so a 202 is not durable.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { addEndpoint, connect, dropAll, endpointCache, PREFIX, QUEUE } from './shared.mjs';

const redis = connect();
const queue = new Queue(QUEUE, { connection: redis, prefix: PREFIX });
const endpointsOf = endpointCache(redis);
const newId = (kind) => `${kind}_${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;

// Retries: BullMQ's exponential backoff (1 s, 2 s, 4 s, ...), 8 attempts; finished jobs are removed.
const JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: 1000,
};

const app = Fastify({ logger: false });

app.post('/api/v1/app', async () => ({ id: newId('app') }));

app.post(
  '/api/v1/app/:app/endpoint',
  { schema: { body: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } } } },
  async (req) => {
    const endpoint = { id: newId('ep'), url: req.body.url, secret: `whsec_${randomBytes(24).toString('base64')}` };
    await addEndpoint(redis, req.params.app, endpoint);
    return endpoint;
  },
);

app.post(
  '/api/v1/app/:app/msg',
  {
    schema: {
      body: {
        type: 'object',
        required: ['eventType', 'payload'],
        properties: { eventType: { type: 'string' }, payload: { type: 'object' } },
      },
    },
  },
  async (req, reply) => {
    const id = newId('msg');
    const timestamp = new Date().toISOString();
    const body = JSON.stringify(req.body.payload);
    // Fan-out the natural way: one job per endpoint, so each endpoint retries on its own.
    const jobs = (await endpointsOf(req.params.app)).map((ep) => ({
      name: 'deliver',
      data: { id, url: ep.url, secret: ep.secret, body },
      opts: JOB_OPTIONS,
    }));
    if (jobs.length === 1) await queue.add(jobs[0].name, jobs[0].data, jobs[0].opts);
    else if (jobs.length > 1) await queue.addBulk(jobs);
    reply.code(202);
    return { id, eventType: req.body.eventType, payload: req.body.payload, timestamp };
  },
);

await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`PEER API http://127.0.0.1:${app.server.address().port}`);

process.on('SIGTERM', async () => {
  await app.close();
  await dropAll(redis);
  await queue.close();
  redis.disconnect();
  process.exit(0);
});
