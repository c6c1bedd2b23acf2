import type { EndpointFormat } from '../../core/formats.js';
import type { OutboundRequest } from '../request.js';
import type { FormatInput } from './common.js';
import { discord } from './discord.js';
import type { Format } from './format.js';
import { hmacHexXWebhookSignature } from './hmac-hex-x-webhook-signature.js';
import { hmacXHookwaySignature } from './hmac-x-hookway-signature.js';
import { hmacXSignature } from './hmac-x-signature.js';
import { slack } from './slack.js';
import { standard } from './standard.js';

export type { FormatInput } from './common.js';
export type { Format } from './format.js';

/** One module per endpoint `format`: the engine asks it how to build, what counts as accepted, when the target is gone. */
const FORMATS: Record<EndpointFormat, Format> = {
  standard,
  slack,
  discord,
  'hmac-sha256-x-signature': hmacXSignature,
  'hmac-sha256-x-hookway-signature': hmacXHookwaySignature,
  'hmac-sha256-hex-x-webhook-signature': hmacHexXWebhookSignature,
};

/** The endpoint's format; an unknown name is `standard`. */
export function formatOf(name: EndpointFormat): Format {
  return FORMATS[name] ?? standard;
}

export function buildFormattedRequest(input: FormatInput): OutboundRequest {
  return formatOf(input.endpoint.format).build(input);
}
