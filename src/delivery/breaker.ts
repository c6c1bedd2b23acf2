/**
 * The circuit breaker, per node and in memory: it protects this node's
 * worker capacity, so it need not be shared (the failure streak that decides
 * auto-disable is in the database; see health.ts).
 *
 * closed -> open: in the last `windowMs`, at least `minAttempts` attempts and
 *   at least `failurePercent`% of them failed. The endpoint is paused: its
 *   deliveries stay pending, nothing is dropped.
 * open -> half-open: after `probeMs`, the endpoint is let through until one
 *   delivery starts (the probe); then it is paused again until that result.
 * half-open -> closed on a success (window cleared), -> open on a failure.
 *
 * The claim that picks up the probe may hand over a few more deliveries of
 * the endpoint (at most its in-flight cap); they are sent as probes too.
 */
export interface BreakerOptions {
  minAttempts: number;
  failurePercent: number;
  windowMs: number;
  probeMs: number;
}

type State = 'closed' | 'open' | 'half-open';

const SLOTS = 10;

interface Circuit {
  state: State;
  /** Attempts and failures per slot of windowMs / SLOTS; `slotAt` is the start of the newest slot. */
  total: number[];
  failed: number[];
  slotAt: number;
  nextProbeAt: number;
  probing: boolean;
}

export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly opts: BreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  private circuit(id: string, at: number): Circuit {
    let c = this.circuits.get(id);
    if (!c) {
      c = { state: 'closed', total: [0], failed: [0], slotAt: at, nextProbeAt: 0, probing: false };
      this.circuits.set(id, c);
    }
    const slotMs = this.opts.windowMs / SLOTS;
    while (at - c.slotAt >= slotMs) {
      c.total.unshift(0);
      c.failed.unshift(0);
      c.total.length = Math.min(c.total.length, SLOTS);
      c.failed.length = Math.min(c.failed.length, SLOTS);
      c.slotAt += slotMs;
      if (c.total.every((n) => n === 0)) {
        c.slotAt = at;
        break;
      }
    }
    return c;
  }

  /** An attempt's result. */
  record(id: string, ok: boolean, at = this.now()): void {
    const c = this.circuit(id, at);
    c.total[0] = (c.total[0] ?? 0) + 1;
    if (!ok) c.failed[0] = (c.failed[0] ?? 0) + 1;
    if (c.state === 'half-open') {
      if (ok) this.close(c);
      else this.open(c, at);
      return;
    }
    if (c.state === 'open') return;
    if (ok) {
      if (c.failed.every((n) => n === 0)) this.circuits.delete(id);
      return;
    }
    const total = c.total.reduce((a, b) => a + b, 0);
    const failed = c.failed.reduce((a, b) => a + b, 0);
    if (total >= this.opts.minAttempts && failed * 100 >= total * this.opts.failurePercent) this.open(c, at);
  }

  /** A delivery to `id` is about to be sent: in half-open, that is the probe. */
  starting(id: string): void {
    const c = this.circuits.get(id);
    if (c?.state === 'half-open') c.probing = true;
  }

  /** Endpoints whose circuit is open (or half-open with its probe in flight). */
  paused(at = this.now()): string[] {
    const out: string[] = [];
    for (const [id, c] of this.circuits) {
      if (c.state === 'open' && at >= c.nextProbeAt) {
        c.state = 'half-open';
        c.probing = false;
      }
      if (c.state === 'open' || (c.state === 'half-open' && c.probing)) out.push(id);
    }
    return out;
  }

  /** When the earliest open circuit is due for a probe (null if none is open). */
  nextProbeAt(): number | null {
    let next: number | null = null;
    for (const c of this.circuits.values()) {
      if (c.state === 'open') next = next === null ? c.nextProbeAt : Math.min(next, c.nextProbeAt);
    }
    return next;
  }

  stateOf(id: string): State {
    return this.circuits.get(id)?.state ?? 'closed';
  }

  private open(c: Circuit, at: number): void {
    c.state = 'open';
    c.probing = false;
    c.nextProbeAt = at + this.opts.probeMs;
  }

  private close(c: Circuit): void {
    c.state = 'closed';
    c.probing = false;
    c.total = [0];
    c.failed = [0];
  }
}
