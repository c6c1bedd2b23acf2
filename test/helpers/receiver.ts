import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What the receiver answers to the n-th request (0-based); may delay or destroy the socket. */
export type Script = (
  req: Received,
  n: number,
) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number } | 'hang' | 'destroy';

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as scripted. */
export class Receiver {
  readonly received: Received[] = [];
  /** Requests received and not yet answered (or dropped), now and at most so far. */
  inFlight = 0;
  maxInFlight = 0;
  private server: Server;
  private hanging: ServerResponse[] = [];
  script: Script;

  private constructor(script: Script) {
    this.script = script;
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(script: Script = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
    const r = new Receiver(script);
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/webhook`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: Received = {
        at: Date.now(),
        method: req.method ?? '',
        url: req.url ?? '',
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const n = this.received.length;
      this.received.push(rec);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.once('close', () => this.inFlight--);
      const answer = this.script(rec, n);
      if (answer === 'hang') {
        this.hanging.push(res);
        return;
      }
      if (answer === 'destroy') {
        req.socket.destroy();
        return;
      }
      const send = () => {
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
