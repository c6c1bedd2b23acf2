import { destinationKind } from '../../core/destination-url.js';
import { checkUrl, checkUrlHost, type UrlCheck, type UrlPolicy } from '../guard/check-url.js';
import { parseNatsUrl, parseRabbitUrl, parseRedisUrl } from './broker-urls.js';

/**
 * Endpoint-creation check for every destination: HTTP URLs as before (no
 * credentials), broker URLs by their own rules (credentials allowed, the
 * broker's parameters valid). The host check is the same for both; the
 * destination checks every resolved address again at connect time.
 */
export function checkDestinationUrl(url: string, opts: UrlPolicy): UrlCheck {
  const kind = destinationKind(url);
  if (kind === 'http') return checkUrl(url, opts);
  if (kind === null) {
    let scheme: string;
    try {
      scheme = new URL(url).protocol;
    } catch {
      return { ok: false, reason: 'URL is not valid' };
    }
    return {
      ok: false,
      reason: `scheme ${scheme} is not allowed (use http, https, amqp, amqps, nats, redis or rediss)`,
    };
  }
  const parsed = new URL(url);
  if (parsed.hostname === '') return { ok: false, reason: 'URL has no host' };
  if (parsed.hash !== '') return { ok: false, reason: 'a broker URL has no #fragment' };
  const params =
    kind === 'rabbitmq' ? parseRabbitUrl(parsed) : kind === 'nats' ? parseNatsUrl(parsed) : parseRedisUrl(parsed);
  if (!params.ok) return params;
  return checkUrlHost(parsed, opts.allowedTargets);
}
