import type { FilterError } from '../core/fanout.js';
import type { Message } from '../core/types.js';

/**
 * A message to insert with its deliveries. Its own file because both the
 * outbound port and the inbound port (forwarding) write messages.
 */
export interface NewMessage {
  message: Message;
  /** One delivery is created per endpoint id, in the same transaction. */
  endpointIds: string[];
  /** Endpoints skipped because their filter failed on this message, and why; kept with the message. */
  filterErrors?: readonly FilterError[];
  /**
   * Deliveries leased to this node in the same transaction (endpoint id ->
   * delivery id), to be handed to its sender in memory once committed: no
   * claim, no re-read. The other endpoints' deliveries are created pending,
   * for claims (any node's).
   */
  leased?: { ids: ReadonlyMap<string, string>; until: number } | undefined;
}
