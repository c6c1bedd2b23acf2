import { isReservedHeader } from '../request.js';
import type { SendRequest } from '../sender.js';

/**
 * The headers a broker message carries: the Standard Webhooks trio
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`, computed exactly as
 * for HTTP, so a consumer verifies them the same way), `event-type`, and the
 * endpoint's custom headers. HTTP transport headers (content-type,
 * user-agent) are left out; each broker has its own place for them.
 */
const TRANSPORT = new Set(['content-type', 'user-agent', 'content-length', 'host', 'connection']);

export function brokerHeaders(req: SendRequest): { webhookId: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const n = name.toLowerCase();
    if (!TRANSPORT.has(n) && (n.startsWith('webhook-') || !isReservedHeader(n))) headers[n] = value;
  }
  if (req.eventType !== undefined) headers['event-type'] = req.eventType;
  return { webhookId: headers['webhook-id'] ?? '', headers };
}
