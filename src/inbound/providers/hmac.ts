import { digestEqual } from '../../core/crypto.js';
import type { InboundRequest, SourceConfig, Verifier, VerifyResult } from '../verify-types.js';
import {
  fail,
  header,
  hmac,
  idFromHeader,
  parseBody,
  parseUnixSeconds,
  stringField,
  timestampProblem,
  tolerance,
  usableSecrets,
} from './common.js';

/**
 * Generic HMAC for providers without a dedicated verifier (and older in-house
 * HMAC formats): signature in `config.header`, optional literal `prefix`
 * (e.g. 'sha256='), sha256|sha512, hex|base64, over the `signedContent`
 * template ('{body}' by default; placeholders {timestamp} {body} {id}).
 * The header may hold several signatures separated by spaces (', ' when the
 * header was sent twice); any one matching is enough. The secret is UTF-8.
 */
const PLACEHOLDER = /\{(timestamp|body|id)\}/g;

/** Unix seconds, Unix milliseconds (13+ digits) or an ISO 8601 date. */
export function parseFlexibleTimestamp(value: string): number | null {
  const digits = parseUnixSeconds(value);
  if (digits !== null) return digits >= 1e12 ? Math.floor(digits / 1000) : digits;
  if (value.length > 64 || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

function verify(req: InboundRequest, config: SourceConfig, nowSeconds: number): VerifyResult {
  if (!config.header) return fail('no signature header configured');
  const algorithm = config.algorithm ?? 'sha256';
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return fail('unsupported algorithm');
  const encoding = config.encoding ?? 'hex';
  if (encoding !== 'hex' && encoding !== 'base64') return fail('unsupported encoding');
  const headerName = config.header.toLowerCase();
  const value = header(req, headerName);
  if (!value) return fail(`missing ${headerName} header`);

  const prefix = config.prefix ?? '';
  const candidates = value
    .split(/\s+/)
    .map((part) => part.replace(/,$/, ''))
    .filter((part) => part.startsWith(prefix) && part.length > prefix.length)
    .map((part) => part.slice(prefix.length))
    .map((sig) => (encoding === 'hex' ? sig.toLowerCase() : sig));
  if (candidates.length === 0) return fail(`invalid ${headerName} header`);

  const template = config.signedContent ?? '{body}';
  let timestamp: string | undefined;
  if (config.timestampHeader) {
    const tsName = config.timestampHeader.toLowerCase();
    timestamp = header(req, tsName);
    if (!timestamp) return fail(`missing ${tsName} header`);
    const ts = parseFlexibleTimestamp(timestamp);
    if (ts === null) return fail(`invalid ${tsName} header`);
    const problem = timestampProblem(ts, nowSeconds, tolerance(config));
    if (problem) return fail(problem);
  }
  const id = idFromHeader(req, config);

  const parts: (string | Buffer)[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] === 'body') parts.push(req.rawBody);
    else if (match[1] === 'timestamp') {
      if (timestamp === undefined) return fail('signedContent uses {timestamp} but no timestampHeader is configured');
      parts.push(timestamp);
    } else {
      if (id === null)
        return fail(
          config.idHeader
            ? `missing ${config.idHeader.toLowerCase()} header`
            : 'signedContent uses {id} but no idHeader is configured',
        );
      parts.push(id);
    }
  }
  parts.push(template.slice(last));

  const secrets = usableSecrets(config);
  if (secrets.length === 0) return fail('no secrets configured');
  for (const secret of secrets) {
    const expected = hmac(algorithm, Buffer.from(secret, 'utf8'), parts).toString(encoding);
    for (const candidate of candidates) {
      if (digestEqual(candidate, expected)) {
        return { ok: true, providerEventId: id, eventType: stringField(parseBody(req), 'type') };
      }
    }
  }
  return fail('no matching signature');
}

export const hmacVerifier: Verifier = { type: 'hmac', verify };
