import { signatureHeader } from '../core/signing.js';
import { createSseParser } from '../core/sse.js';
import type { Hookway } from '../sdk/client.js';
import { HookwayApiError } from '../sdk/http.js';
import type { MessageOut } from '../sdk/types.js';

/**
 * `hookway listen`, client side: reads an endpoint's event stream and
 * forwards each message to a local URL, signed with the endpoint's secret
 * exactly as a real delivery is (Standard Webhooks headers), so the local
 * code verifies as in production. After a drop it reconnects with backoff
 * and resumes after the last id it saw; nothing is skipped.
 */
export interface ListenOptions {
  hw: Hookway;
  /** What to listen to: an endpoint's messages, or every event of an inbound source. */
  target: { app: string; endpoint: string } | { source: string; secret: string };
  forwardTo: string;
  /** Resume after this message id (`0`: from the first message). */
  after?: string | undefined;
  signal: AbortSignal;
  /** One line per forwarded event. */
  onForward: (line: ForwardResult) => void;
  /** Connection notices. */
  onNotice: (message: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface ForwardResult {
  msg: MessageOut;
  status: number | null;
  durationMs: number;
  error: string | null;
}

export async function listen(o: ListenOptions): Promise<void> {
  const min = o.minBackoffMs ?? 250;
  const max = o.maxBackoffMs ?? 5_000;
  let backoff = min;
  let after = o.after;
  let secrets: string[] = [];
  // Retrying makes sense only after a drop: a server never reached is a wrong
  // URL or a server not started, and waiting would hide that.
  let connected = false;
  while (!o.signal.aborted) {
    try {
      const t = o.target;
      const options = { ...(after && { after }), signal: o.signal };
      let res: Response;
      if ('source' in t) {
        // A source has no endpoint secret of its own here: the caller's secret signs (see cli/listen.ts).
        secrets = [t.secret];
        res = await o.hw.source.stream(t.source, options);
      } else {
        // Fetched on every connect, so a rotated secret is picked up after a reconnect.
        secrets = [(await o.hw.endpoint.getSecret(t.app, t.endpoint)).key];
        res = await o.hw.endpoint.stream(t.app, t.endpoint, options);
      }
      const what = 'source' in t ? `source ${t.source}` : `${t.app}/${t.endpoint}`;
      o.onNotice(`Connected. Forwarding ${what} to ${o.forwardTo}`);
      connected = true;
      backoff = min;
      const parse = createSseParser();
      const decoder = new TextDecoder();
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const ev of parse(decoder.decode(value, { stream: true }))) {
          if (ev.event === 'ready') {
            after ??= ev.id;
            continue;
          }
          if (ev.event !== 'message') continue;
          const msg = JSON.parse(ev.data) as MessageOut;
          o.onForward(await forward(o.forwardTo, msg, secrets));
          after = ev.id;
        }
      }
      if (!o.signal.aborted) o.onNotice('Stream closed by the server; reconnecting');
    } catch (err) {
      if (o.signal.aborted) return;
      if (err instanceof HookwayApiError && err.status >= 400 && err.status < 500 && err.status !== 429) throw err;
      if (!connected) throw err;
      o.onNotice(`Disconnected (${(err as Error).message}); retrying in ${(backoff / 1000).toFixed(1)} s`);
    }
    await new Promise<void>((r) => {
      const t = setTimeout(r, backoff);
      o.signal.addEventListener('abort', () => {
        clearTimeout(t);
        r();
      });
    });
    backoff = Math.min(max, backoff * 2);
  }
}

async function forward(url: string, msg: MessageOut, secrets: string[]): Promise<ForwardResult> {
  const body = JSON.stringify(msg.payload);
  const ts = Math.floor(Date.now() / 1000);
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Hookway-listen',
        'webhook-id': msg.id,
        'webhook-timestamp': String(ts),
        'webhook-signature': signatureHeader(secrets, msg.id, ts, body),
      },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { msg, status: res.status, durationMs: Math.round(performance.now() - started), error: null };
  } catch (err) {
    const e = err as Error & { cause?: Error & { code?: string } };
    return {
      msg,
      status: null,
      durationMs: Math.round(performance.now() - started),
      error: e.cause?.code ?? e.cause?.message ?? e.message,
    };
  }
}
