import type { EndpointFormat } from '../../core/types.js';

/**
 * How a target says "accepted" beyond a 2xx. Slack's incoming webhooks
 * answer 200 with the plain-text body `ok`; a 200 with anything else is not
 * a delivery. Discord answers 204 (or 200 with `?wait=true`), which any 2xx
 * already covers. Returns why an answer does not count, or null when it does.
 */
export function unexpectedAnswer(format: EndpointFormat, statusCode: number, body: string): string | null {
  if (format === 'slack' && statusCode === 200 && body.trim() !== 'ok') {
    return `Slack answered 200 without "ok": ${JSON.stringify(body.slice(0, 100))}`;
  }
  return null;
}
