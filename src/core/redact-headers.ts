/** What a redacted header value reads as, wherever headers are kept for an operator to read. */
export const REDACTED = '[redacted]';

/**
 * Headers as kept for an operator to read: every name stays, and the value
 * of each header `secret(name)` answers true for becomes `[redacted]`. Who
 * decides what is secret differs: a received request hides the credentials
 * its header names give away (inbound/source-config.ts), a sent request keeps
 * only the headers Hookway sets itself, since an endpoint's custom headers
 * may carry anything (delivery/attempt-record.ts).
 */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  secret: (name: string) => boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = secret(name) ? REDACTED : value;
  return out;
}
