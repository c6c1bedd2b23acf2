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
}
