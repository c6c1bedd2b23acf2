import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A server that sends only HTTP never loads the broker clients (amqplib, ioredis, the NATS
 * client): each costs memory in every thread that loads it. The check runs in a fresh Node
 * process against the build, so nothing this test runner loaded counts.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SCRIPT = `
import { createRequire } from 'node:module';
import { createDestinations } from './dist/delivery/destinations/index.js';
const cache = createRequire(process.cwd() + '/').cache;
const loaded = () => ['amqplib', 'ioredis'].filter((m) => Object.keys(cache).some((k) => k.includes('/node_modules/' + m + '/')));
const s = createDestinations({ allowedTargets: ['127.0.0.0/8'], userAgent: 'test' });
const req = (url) => ({ url, headers: {}, body: '{}', timeoutMs: 2000 });
const http = await s.send(req('http://127.0.0.1:9/hook'));
const before = loaded();
const amqp = await s.send(req('amqp://guest:guest@127.0.0.1:9/?exchange=x&routingKey=y'));
const after = loaded();
await s.close();
console.log(JSON.stringify({ before, after, http: http.errorKind, amqp: amqp.errorKind }));
`;

/** The API checks every endpoint URL it is given, broker URLs included, on the main thread. */
const CHECK_SCRIPT = `
import { createRequire } from 'node:module';
import { checkDestinationUrl } from './dist/delivery/destinations/check-url.js';
const cache = createRequire(process.cwd() + '/').cache;
const loaded = () => ['amqplib', 'ioredis'].filter((m) => Object.keys(cache).some((k) => k.includes('/node_modules/' + m + '/')));
const policy = { allowedTargets: ['127.0.0.0/8'] };
const urls = ['amqp://127.0.0.1/?exchange=x', 'redis://127.0.0.1/0?stream=s', 'nats://127.0.0.1:4222?subject=a.b', 'redis://127.0.0.1/0'];
const answers = urls.map((u) => checkDestinationUrl(u, policy).ok);
console.log(JSON.stringify({ answers, loaded: loaded() }));
`;

describe('broker destinations', () => {
  it('load their client module on the first send to such a URL, not before', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
    expect(r.http).toBe('network'); // nothing listens on port 9: the HTTP send ran and failed
    expect(r.before).toEqual([]);
    expect(r.after).toEqual(['amqplib']);
    expect(r.amqp).toBe('network');
  });

  it('are checked by the API without loading a client module', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHECK_SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
    expect(r.answers).toEqual([true, true, true, false]); // the last has no ?stream=
    expect(r.loaded).toEqual([]);
  });
});
