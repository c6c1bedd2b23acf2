import type { OutboundRequest } from '../request.js';
import type { FormatInput } from './common.js';

/**
 * Everything Hookway knows about one kind of target, in the target's own
 * module: how its request is built, what counts as accepted beyond a 2xx,
 * how long a 429 asks to wait when no Retry-After header says it, and which
 * answer means the target is gone for good. The engine asks the format; it
 * never names a target itself. (410 Gone disables any endpoint whatever its
 * format: delivery/outcome.ts.)
 */
export interface Format {
  build(input: FormatInput): OutboundRequest;
  /** Why a 2xx answer is not a delivery, or null when it is. Absent: any 2xx is. */
  rejects?(statusCode: number, body: string): string | null;
  /** Seconds a 429's body asks to wait (used when the answer has no Retry-After header). */
  retryAfterSeconds?(body: string): number | undefined;
  /** The target was deleted: its endpoint is disabled at once (the attempt itself is retried as usual). */
  gone?(statusCode: number): boolean;
}
