/**
 * Per-server notices one module raises and another observes, so modules side
 * by side (the inbound gateway, the operations module) need not import each
 * other. One instance per server (server.ts), handed down in the Context (context.ts).
 */
export type InboundOutcome = 'accepted' | 'duplicate' | 'rejected' | 'reply' | 'too_large' | 'error';

export interface InboundNotice {
  sourceId: string;
  outcome: InboundOutcome;
}

export interface RateLimitNotice {
  endpointId: string;
  /** Messages per second; null: no limit. */
  rateLimit: number | null;
  /** The endpoint's `updatedAt` after the change: a copy of it read later wins over this notice. */
  updatedAt: number;
}

export interface Signals {
  /** A request to `POST /in/{source}` was answered. */
  inbound(notice: InboundNotice): void;
  onInbound(listener: (notice: InboundNotice) => void): () => void;
  /** An endpoint's `rateLimit` was changed (committed) through this node's API. */
  rateLimitChanged(notice: RateLimitNotice): void;
  onRateLimitChanged(listener: (notice: RateLimitNotice) => void): () => void;
}

export function createSignals(): Signals {
  const inbound = new Set<(notice: InboundNotice) => void>();
  const rateLimits = new Set<(notice: RateLimitNotice) => void>();
  return {
    inbound(notice) {
      for (const listener of inbound) listener(notice);
    },
    onInbound(listener) {
      inbound.add(listener);
      return () => inbound.delete(listener);
    },
    rateLimitChanged(notice) {
      for (const listener of rateLimits) listener(notice);
    },
    onRateLimitChanged(listener) {
      rateLimits.add(listener);
      return () => rateLimits.delete(listener);
    },
  };
}
