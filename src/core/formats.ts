/**
 * Endpoint formats: how a delivery's request is shaped and signed. One list,
 * read by the API schema, the engine, the SDK types and the dashboard.
 *
 * - `standard`: Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
 * - `slack`, `discord`: the chat services' incoming-webhook bodies, unsigned.
 * - the three `hmac-sha256-*` presets: the payload signed with HMAC-SHA256 over the body
 *   (keyed by the secret string itself), named by the header they sign into and how.
 */
export const ENDPOINT_FORMATS = [
  'standard',
  'slack',
  'discord',
  'hmac-sha256-x-signature',
  'hmac-sha256-x-hookway-signature',
  'hmac-sha256-hex-x-webhook-signature',
] as const;

export type EndpointFormat = (typeof ENDPOINT_FORMATS)[number];

/** Earlier names of the HMAC presets, still accepted on input and read back under the new name. */
export const FORMAT_ALIASES: Readonly<Record<string, EndpointFormat>> = {
  seed002: 'hmac-sha256-x-signature',
  seed003: 'hmac-sha256-x-hookway-signature',
  seed004: 'hmac-sha256-hex-x-webhook-signature',
};

/** Every value the API accepts for `format`: the names, then the aliases. */
export const ACCEPTED_FORMATS: readonly string[] = [...ENDPOINT_FORMATS, ...Object.keys(FORMAT_ALIASES)];

/** The format a stored or submitted value names; unknown values fall back to `standard`. */
export function normalizeFormat(value: string | null | undefined): EndpointFormat {
  if (!value) return 'standard';
  if ((ENDPOINT_FORMATS as readonly string[]).includes(value)) return value as EndpointFormat;
  return FORMAT_ALIASES[value] ?? 'standard';
}
