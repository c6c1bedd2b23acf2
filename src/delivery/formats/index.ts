import type { EndpointFormat } from '../../core/types.js';
import { buildStandardRequest, type OutboundRequest } from '../request.js';
import type { FormatInput } from './common.js';
import { buildDiscordRequest } from './discord.js';
import { buildSeed002Request } from './seed002.js';
import { buildSeed003Request } from './seed003.js';
import { buildSeed004Request } from './seed004.js';
import { buildSlackRequest } from './slack.js';

export type { FormatInput } from './common.js';

/** One builder per endpoint `format`; `standard` is the core's Standard Webhooks request. */
const BUILDERS: Record<EndpointFormat, (input: FormatInput) => OutboundRequest> = {
  standard: (i) =>
    buildStandardRequest(i.endpoint, i.body === undefined ? i.message : { ...i.message, payload: i.body }, i.nowMs),
  slack: buildSlackRequest,
  discord: buildDiscordRequest,
  seed002: buildSeed002Request,
  seed003: buildSeed003Request,
  seed004: buildSeed004Request,
};

export function buildFormattedRequest(input: FormatInput): OutboundRequest {
  const build = BUILDERS[input.endpoint.format] ?? BUILDERS.standard;
  return build(input);
}
