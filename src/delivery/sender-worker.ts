import { setMaxListeners } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { createDestinations } from './destinations/index.js';
import type { SenderOptions, SendResult } from './sender.js';

/** One send, main thread -> sender thread. */
export interface SendCall {
  id: number;
  /** 0: no abort signal; else the sends sharing one signal on the main thread. */
  group: number;
  url: string;
  headers: Record<string, string>;
  body: string | Buffer;
  timeoutMs: number;
  eventType: string | undefined;
}

/** What the main thread posts: a batch of sends, or `{abort: group}` to cut a group's sends short. */
export type SenderCall = SendCall[] | { abort: number };

export interface SenderReply {
  id: number;
  result: SendResult;
}

// The sender thread (see sender-thread.ts): the same destinations as in process, fed by messages.
if (parentPort) {
  const port = parentPort;
  const sender = createDestinations((workerData as { opts: SenderOptions }).opts);
  const controllers = new Map<number, AbortController>();
  const signalOf = (group: number): AbortSignal | undefined => {
    if (group === 0) return undefined;
    let c = controllers.get(group);
    if (!c) {
      c = new AbortController();
      // Every send of the group in flight listens to it (see deadline.ts).
      setMaxListeners(0, c.signal);
      controllers.set(group, c);
    }
    return c.signal;
  };
  // Results that complete together (one poll of the sockets) go back as one message (see sender-thread.ts).
  let replies: SenderReply[] = [];
  const flush = () => {
    const batch = replies;
    replies = [];
    port.postMessage(batch);
  };
  const answer = (reply: SenderReply) => {
    replies.push(reply);
    if (replies.length === 1) setImmediate(flush);
  };
  port.on('message', (message: SenderCall) => {
    if (!Array.isArray(message)) {
      signalOf(message.abort);
      controllers.get(message.abort)?.abort(new Error('Hookway is shutting down'));
      return;
    }
    for (const call of message) {
      const signal = signalOf(call.group);
      void sender
        .send({
          url: call.url,
          headers: call.headers,
          body: call.body,
          timeoutMs: call.timeoutMs,
          ...(signal && { signal }),
          ...(call.eventType !== undefined && { eventType: call.eventType }),
        })
        .then((result) => answer({ id: call.id, result }));
    }
  });
}
