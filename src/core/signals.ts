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

export interface Signals {
  /** A request to `POST /in/{source}` was answered. */
  inbound(notice: InboundNotice): void;
  onInbound(listener: (notice: InboundNotice) => void): () => void;
}

export function createSignals(): Signals {
  const inbound = new Set<(notice: InboundNotice) => void>();
  return {
    inbound(notice) {
      for (const listener of inbound) listener(notice);
    },
    onInbound(listener) {
      inbound.add(listener);
      return () => inbound.delete(listener);
    },
  };
}
