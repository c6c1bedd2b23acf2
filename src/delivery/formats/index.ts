import type { EndpointFormat } from '../../core/formats.js';
import { buildStandardRequest, type OutboundRequest } from '../request.js';
import type { FormatInput } from './common.js';
import { buildDiscordRequest } from './discord.js';
import { buildHmacHexXWebhookSignatureRequest } from './hmac-hex-x-webhook-signature.js';
import { buildHmacXHookwaySignatureRequest } from './hmac-x-hookway-signature.js';
import { buildHmacXSignatureRequest } from './hmac-x-signature.js';
import { buildSlackRequest } from './slack.js';

export type { FormatInput } from './common.js';

/** One builder per endpoint `format`; `standard` is the core's Standard Webhooks request. */
const BUILDERS: Record<EndpointFormat, (input: FormatInput) => OutboundRequest> = {
  standard: (i) =>
    buildStandardRequest(i.endpoint, i.body === undefined ? i.message : { ...i.message, payload: i.body }, i.nowMs),
  slack: buildSlackRequest,
  discord: buildDiscordRequest,
  'hmac-sha256-x-signature': buildHmacXSignatureRequest,
  'hmac-sha256-x-hookway-signature': buildHmacXHookwaySignatureRequest,
  'hmac-sha256-hex-x-webhook-signature': buildHmacHexXWebhookSignatureRequest,
};

export function buildFormattedRequest(input: FormatInput): OutboundRequest {
  const build = BUILDERS[input.endpoint.format] ?? BUILDERS.standard;
  return build(input);
}
