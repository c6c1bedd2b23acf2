import { cachedFilter, type FilterInput, type FilterVerdict, parsePayload } from './filter.js';
import { matchesChannels, matchesEventType } from './matching.js';
import type { Endpoint, Message } from './types.js';

/**
 * Fan-out: which of an application's endpoints get a message. Event types and
 * channels first (cheap), then the endpoint's payload filter. A filter that
 * fails on this payload skips the endpoint and says why, so the message's
 * delivery list can show the endpoint as filtered out with the error.
 */

export interface FilterError {
  endpointId: string;
  error: string;
}

export interface FanOut {
  endpointIds: string[];
  filterErrors: FilterError[];
}

type Routable = Pick<Endpoint, 'id' | 'filterTypes' | 'channels' | 'filter'>;

export function fanOut(endpoints: readonly Routable[], message: Message): FanOut {
  const out: FanOut = { endpointIds: [], filterErrors: [] };
  let payload: { value: unknown } | { error: string } | null = null;
  for (const e of endpoints) {
    if (!matchesEventType(e.filterTypes, message.eventType) || !matchesChannels(e.channels, message.channels)) continue;
    if (!e.filter) {
      out.endpointIds.push(e.id);
      continue;
    }
    // Parsed once per message, and only when some endpoint filters on it.
    payload ??= parsed(message.payload);
    if ('error' in payload) {
      out.filterErrors.push({ endpointId: e.id, error: payload.error });
      continue;
    }
    const verdict = evaluate(e.filter, {
      payload: payload.value,
      eventType: message.eventType,
      channels: message.channels ?? [],
    });
    if (verdict.error !== undefined) out.filterErrors.push({ endpointId: e.id, error: verdict.error });
    else if (verdict.pass) out.endpointIds.push(e.id);
  }
  return out;
}

/** One endpoint, one message: true when fan-out would create a delivery. */
export function wants(endpoint: Routable, message: Message): boolean {
  return fanOut([endpoint], message).endpointIds.length === 1;
}

function parsed(json: string): { value: unknown } | { error: string } {
  try {
    return { value: parsePayload(json) };
  } catch {
    return { error: 'the payload is not JSON, so the filter cannot read it' };
  }
}

function evaluate(source: string, input: FilterInput): FilterVerdict {
  try {
    return cachedFilter(source).evaluate(input);
  } catch (err) {
    // A stored filter that no longer compiles (a library upgrade) skips, it never throws fan-out.
    return { pass: false, error: `the filter does not compile: ${(err as Error).message.split('\n')[0]}` };
  }
}
