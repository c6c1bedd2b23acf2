import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { failure, type Sender, type SenderOptions, type SendRequest, type SendResult } from './sender.js';
import type { SendCall, SenderCall, SenderReply } from './sender-worker.js';

/**
 * The sender thread's young generation, in MB (V8's default on 64-bit: 3 x 16 MB semi-spaces).
 * Under a drain the default let the thread's heap reach 104 MB (new space 34 MB, old 68 MB with
 * 46 MB used); with 3 MB its new space stays at 2 MB and the server's RSS peak fell by ~30 MB,
 * with no more CPU per delivered message (quick row 1, alternating: 873/787 µs against
 * 923/943 µs with the default). Sends are short-lived objects that die young either way.
 */
const YOUNG_MB = 3;

/**
 * Sending on its own thread(s). The main thread keeps the API, the store and
 * the dispatcher's bookkeeping; undici's request building, socket writes,
 * response parsing and timers run on a worker thread, so both cores work.
 * Measured on the 2-core dev box (CPU profile of a 20,000-message burst to one
 * endpoint): sending was ~30% of the main thread's busy time, which was ~92%
 * busy; see docs/benchmarks.md for what the thread changes end to end.
 *
 * Sends cross in batches: the calls made in one turn of the event loop go to a
 * thread as one postMessage, and the thread answers the results that complete
 * together as one. Each message has a fixed cost on both threads (a wake-up of
 * the other thread, an event dispatched there) beside the copy of its data;
 * measured alone, a round trip cost 16.5-17.3 µs of CPU one by one and
 * 10.0-10.6 µs in batches of 32. Results are produced here on the main thread from the
 * reply, so the metrics, traces and observers that watch attempts see them as
 * before. A thread that dies fails its sends in flight (they are retried like
 * any network failure, with the same webhook-id) and is started again.
 *
 * Abort: all sends given one AbortSignal (the dispatcher's shutdown signal)
 * form a group; aborting it aborts that group's sends on every thread.
 */
export function createThreadedSender(
  opts: SenderOptions,
  threads: number,
  /** Sees each thread as it starts (tests stop one mid-send with it). */
  onThread?: (worker: Worker) => void,
): Sender {
  if (opts.lookup) throw new Error('a DNS lookup override cannot cross to a sender thread');
  const workerFile = senderWorkerFile();
  const pending = new Map<number, { resolve: (r: SendResult) => void; worker: number }>();
  const groups = new WeakMap<AbortSignal, number>();
  let nextId = 1;
  let nextGroup = 1;
  let turn = 0;
  let closing = false;
  const workers: Worker[] = [];
  /** Sends in flight per thread: a thread is ref'd exactly while it has some. */
  const inFlight = new Array<number>(threads).fill(0);
  /** Calls not yet posted, per thread: posted together once this turn's synchronous work is done. */
  const outboxes: SendCall[][] = Array.from({ length: threads }, () => []);
  const busy = (index: number) => {
    const n = (inFlight[index] ?? 0) + 1;
    inFlight[index] = n;
    if (n === 1) workers[index]?.ref();
  };
  const idle = (index: number) => {
    const n = (inFlight[index] ?? 1) - 1;
    inFlight[index] = n;
    if (n === 0) workers[index]?.unref();
  };

  function spawn(index: number): Worker {
    const w = new Worker(workerFile, { workerData: { opts }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    w.on('message', (replies: SenderReply[]) => {
      for (const reply of replies) {
        const p = pending.get(reply.id);
        if (!p) continue;
        pending.delete(reply.id);
        idle(p.worker);
        p.resolve(reply.result);
      }
    });
    w.on('error', () => {}); // 'exit' follows; the sends in flight are failed there.
    w.on('exit', () => {
      for (const [id, p] of pending) {
        if (p.worker !== index) continue;
        pending.delete(id);
        p.resolve(failure('network', 'the sender thread stopped during the send', 0));
      }
      inFlight[index] = 0;
      // Their callers were just answered with a failure: these must not go out to the next thread.
      outboxes[index] = [];
      if (!closing) workers[index] = spawn(index);
    });
    // An idle thread must not keep an otherwise finished process alive; one with sends in
    // flight must (see busy/idle below): during a shutdown, the process may have nothing else
    // to wait on but the answers of the sends it just cut off.
    w.unref();
    onThread?.(w);
    return w;
  }
  for (let i = 0; i < threads; i++) workers.push(spawn(i));

  const flush = (index: number) => {
    const calls = outboxes[index];
    if (!calls || calls.length === 0) return;
    outboxes[index] = [];
    workers[index]?.postMessage(calls satisfies SenderCall);
  };
  const flushAll = () => {
    for (let i = 0; i < workers.length; i++) flush(i);
  };

  function groupOf(signal: AbortSignal | undefined): number {
    if (!signal) return 0;
    let g = groups.get(signal);
    if (g === undefined) {
      const group = nextGroup++;
      g = group;
      groups.set(signal, group);
      const abort = () => {
        // Calls still in an outbox go first, so the abort finds them on the thread.
        flushAll();
        for (const w of workers) w.postMessage({ abort: group } satisfies SenderCall);
      };
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    }
    return g;
  }

  return {
    send(req: SendRequest): Promise<SendResult> {
      const id = nextId++;
      const index = turn;
      turn = (turn + 1) % workers.length;
      const call: SendCall = {
        id,
        group: groupOf(req.signal),
        url: req.url,
        headers: req.headers,
        body: req.body,
        timeoutMs: req.timeoutMs,
        eventType: req.eventType,
      };
      return new Promise((resolve) => {
        pending.set(id, { resolve, worker: index });
        busy(index);
        // `index` is a thread's (0 <= index < threads), so its outbox exists.
        const outbox = outboxes[index] as SendCall[];
        outbox.push(call);
        if (outbox.length === 1) queueMicrotask(() => flush(index));
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * The worker's compiled file. Tests run this module from its TypeScript source, which a worker
 * thread cannot load; they use the build in dist/ (`npm test` builds first).
 */
function senderWorkerFile(): string {
  const here = fileURLToPath(new URL('./sender-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = fileURLToPath(new URL('../../dist/delivery/sender-worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`the sender thread's file is missing (${here}); run npm run build`);
}
