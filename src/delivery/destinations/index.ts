import { type DestinationKind, destinationKind } from '../../core/destination-url.js';
import { compileAllowlist } from '../guard/blocked-ranges.js';
import { failure, type Sender, type SenderOptions, type SendResult } from '../sender.js';
import { createHttpDestination } from './http.js';

/**
 * The transport seam: one Sender for the dispatcher that hands each attempt
 * to the destination its URL's scheme names (http, rabbitmq, nats,
 * redis-stream). Every destination answers a SendResult and never throws, so
 * lanes, retries, the attempt log and stats are the same for all of them.
 * Broker clients are only created when an endpoint first needs them, and
 * their modules only loaded then: amqplib, ioredis and the NATS client cost
 * ~30 MB of RSS in each thread that loads them (measured: importing the three
 * in a bare Node 20 process), which a server sending only HTTP never needs.
 */
export function createDestinations(opts: SenderOptions): Sender {
  const allow = compileAllowlist(opts.allowedTargets);
  const brokerOpts = { allow, lookup: opts.lookup };
  const factories: Record<DestinationKind, () => Sender> = {
    http: () => createHttpDestination(opts),
    rabbitmq: () => lazy(() => import('./rabbitmq.js').then((m) => m.createRabbitDestination(brokerOpts))),
    nats: () => lazy(() => import('./nats.js').then((m) => m.createNatsDestination(brokerOpts))),
    'redis-stream': () =>
      lazy(() => import('./redis-stream.js').then((m) => m.createRedisStreamDestination(brokerOpts))),
  };
  const made = new Map<DestinationKind, Sender>();
  const of = (kind: DestinationKind): Sender => {
    let s = made.get(kind);
    if (!s) {
      s = factories[kind]();
      made.set(kind, s);
    }
    return s;
  };
  // HTTP is made up front: it is the common case and its pool should exist from the start.
  of('http');

  return {
    send(req) {
      const kind = destinationKind(req.url);
      if (kind === null) return Promise.resolve(unsupported(req.url));
      return of(kind).send(req);
    },
    async close() {
      await Promise.all([...made.values()].map((s) => s.close()));
    },
  };
}

/** A destination whose module loads on its first send. */
function lazy(load: () => Promise<Sender>): Sender {
  let loaded: Promise<Sender> | null = null;
  return {
    send(req) {
      loaded ??= load();
      return loaded.then(
        (s) => s.send(req),
        (err: Error) => failure('network', `the destination's client failed to load: ${err.message}`, 0),
      );
    },
    async close() {
      // A module that failed to load has nothing to close.
      await loaded?.then(
        (s) => s.close(),
        () => {},
      );
    },
  };
}

function unsupported(url: string): SendResult {
  let scheme = 'this URL';
  try {
    scheme = `scheme ${new URL(url).protocol}`;
  } catch {
    // not a URL at all
  }
  return {
    statusCode: 0,
    headers: null,
    body: '',
    durationMs: 0,
    errorKind: 'blocked',
    errorDetail: `${scheme} is not a destination Hookway delivers to`,
  };
}
