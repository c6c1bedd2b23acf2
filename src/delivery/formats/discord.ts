import type { OutboundRequest } from '../request.js';
import { clamp, codeBlock, customHeaders, type FormatInput, isRecord, parsePayload } from './common.js';
import type { Format } from './format.js';

/**
 * Discord "Execute Webhook": `content` at most 2000
 * characters, at most 10 embeds whose text adds up to at most 6000, and
 * `allowed_mentions: {parse: []}` always, so an event's text can never ping
 * @everyone. Without `?wait=true` Discord answers 204 (200 with it), which
 * any 2xx already covers. A payload that already carries `content` or
 * `embeds` is passed through, clamped. A 429 says how long to wait in its
 * JSON `retry_after` too; a 404 means the webhook was deleted and, Discord
 * says, must not be used again.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  total: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
};

type Embed = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The characters Discord counts toward the 6000 total of one embed. */
export function embedChars(e: Embed): number {
  const fields = Array.isArray(e.fields) ? e.fields : [];
  return (
    str(e.title).length +
    str(e.description).length +
    (isRecord(e.footer) ? str(e.footer.text).length : 0) +
    (isRecord(e.author) ? str(e.author.name).length : 0) +
    fields.reduce<number>((n, f) => n + (isRecord(f) ? str(f.name).length + str(f.value).length : 0), 0)
  );
}

function clampEmbed(e: Embed): Embed {
  const out: Embed = { ...e };
  delete out.type;
  if (typeof out.title === 'string') out.title = clamp(out.title, DISCORD_LIMITS.title);
  if (typeof out.description === 'string') out.description = clamp(out.description, DISCORD_LIMITS.description);
  if (isRecord(out.footer)) out.footer = { ...out.footer, text: clamp(str(out.footer.text), DISCORD_LIMITS.footer) };
  if (isRecord(out.author)) out.author = { ...out.author, name: clamp(str(out.author.name), DISCORD_LIMITS.author) };
  if (Array.isArray(out.fields)) {
    out.fields = out.fields.slice(0, DISCORD_LIMITS.fields).map((f) =>
      isRecord(f)
        ? {
            ...f,
            name: clamp(str(f.name), DISCORD_LIMITS.fieldName),
            value: clamp(str(f.value), DISCORD_LIMITS.fieldValue),
          }
        : f,
    );
  }
  return out;
}

/** Keeps the sum under 6000 by cutting descriptions from the last embed backwards, then dropping embeds. */
function fitTotal(embeds: Embed[]): Embed[] {
  const out = embeds.map((e) => ({ ...e }));
  let total = out.reduce((n, e) => n + embedChars(e), 0);
  for (let i = out.length - 1; i >= 0 && total > DISCORD_LIMITS.total; i--) {
    const e = out[i] as Embed;
    const d = str(e.description);
    if (d.length === 0) continue;
    const keep = Math.max(0, d.length - (total - DISCORD_LIMITS.total));
    e.description = keep > 1 ? clamp(d, keep) : '';
    total = out.reduce((n, x) => n + embedChars(x), 0);
  }
  while (out.length > 0 && total > DISCORD_LIMITS.total) {
    out.pop();
    total = out.reduce((n, x) => n + embedChars(x), 0);
  }
  return out;
}

export function discordBody(input: FormatInput): Record<string, unknown> {
  const { message } = input;
  const payload = parsePayload(message);
  if (isRecord(payload) && (typeof payload.content === 'string' || Array.isArray(payload.embeds))) {
    const embeds = Array.isArray(payload.embeds)
      ? fitTotal(payload.embeds.slice(0, DISCORD_LIMITS.embeds).filter(isRecord).map(clampEmbed))
      : undefined;
    return {
      ...payload,
      ...(typeof payload.content === 'string' && { content: clamp(payload.content, DISCORD_LIMITS.content) }),
      ...(embeds && { embeds }),
      allowed_mentions: { parse: [] },
    };
  }
  const embed: Embed = {
    title: clamp(message.eventType, DISCORD_LIMITS.title),
    description: codeBlock(JSON.stringify(payload, null, 2), DISCORD_LIMITS.description),
    timestamp: new Date(message.createdAt).toISOString(),
    footer: { text: message.id },
  };
  return {
    content: clamp(`**${message.eventType}**`, DISCORD_LIMITS.content),
    embeds: fitTotal([embed]),
    allowed_mentions: { parse: [] },
  };
}

export function buildDiscordRequest(input: FormatInput): OutboundRequest {
  const body = input.body ?? JSON.stringify(discordBody(input));
  return {
    url: input.endpoint.url,
    headers: { ...customHeaders(input.endpoint), 'content-type': 'application/json' },
    body,
  };
}

export const discord: Format = {
  build: buildDiscordRequest,
  retryAfterSeconds(body) {
    try {
      const parsed = JSON.parse(body) as { retry_after?: unknown };
      if (typeof parsed.retry_after === 'number' && parsed.retry_after >= 0) return parsed.retry_after;
    } catch {
      // not JSON
    }
    return undefined;
  },
  gone: (statusCode) => statusCode === 404,
};
