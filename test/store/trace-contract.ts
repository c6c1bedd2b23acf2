import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { createApp, createEndpoint, message, T0 } from '../helpers/store-fixtures.js';

/**
 * Trace context in the Store contract (called from contract.ts so every
 * adapter runs it): kept with the message, so whichever node claims a
 * delivery later continues the trace the message was created in.
 */
export function traceContract(store: () => Store): void {
  describe('trace context', () => {
    it('stores a message trace context and hands it to the claimer; none reads as absent', async () => {
      const s = store();
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id);
      const ctx = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\nvendor=abc';
      const traced = message(app.id, { traceContext: ctx });
      const plain = message(app.id);
      await s.createMessages(
        [
          { message: traced, endpointIds: [ep.id] },
          { message: plain, endpointIds: [ep.id] },
        ],
        T0,
      );
      expect((await s.getMessage(app.id, traced.id))?.traceContext).toBe(ctx);
      expect((await s.getMessage(app.id, plain.id))?.traceContext).toBeUndefined();
      const claimed = await s.claimDeliveries(T0, 10, 30_000, []);
      const byMsg = new Map(claimed.map((c) => [c.message.id, c.message.traceContext]));
      expect(byMsg.get(traced.id)).toBe(ctx);
      expect(byMsg.has(plain.id) && byMsg.get(plain.id) === undefined).toBe(true);
    });
  });
}
