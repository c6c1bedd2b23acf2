import type { OutboundRequest } from '../request.js';
import { clamp, customHeaders, type FormatInput, isRecord, parsePayload } from './common.js';
import type { Format } from './format.js';

/**
 * Slack incoming webhooks: `text` (the notification
 * fallback) and Block Kit `blocks`, always both. Limits: at most 50 blocks,
 * section text at most 3000 characters (Slack answers 400 above), header
 * text 150, top-level text 40,000. A payload that already carries `text` or
 * `blocks` is passed through, clamped to the limits; anything else becomes a
 * header with the event type and the payload as a code block.
 *
 * Slack answers 200 with the plain-text body `ok`; a 200 with anything else
 * is not a delivery. A 404 (`channel_not_found`, `no_service`) means the
 * webhook was deleted.
 */
export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, headerText: 150, text: 40_000, fields: 10, field: 2000 };

/** Slack mrkdwn needs &, < and > escaped; the cut never leaves half an entity. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clampMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

type Block = Record<string, unknown>;

function clampBlock(block: Block): Block {
  const out: Block = { ...block };
  const text = out.text;
  if (isRecord(text) && typeof text.text === 'string') {
    const max = out.type === 'header' ? SLACK_LIMITS.headerText : SLACK_LIMITS.sectionText;
    out.text = { ...text, text: clampMrkdwn(text.text, max) };
  }
  if (Array.isArray(out.fields)) {
    out.fields = out.fields
      .slice(0, SLACK_LIMITS.fields)
      .map((f) =>
        isRecord(f) && typeof f.text === 'string' ? { ...f, text: clampMrkdwn(f.text, SLACK_LIMITS.field) } : f,
      );
  }
  return out;
}

export function slackBody(input: FormatInput): Record<string, unknown> {
  const { message } = input;
  const payload = parsePayload(message);
  if (isRecord(payload) && (typeof payload.text === 'string' || Array.isArray(payload.blocks))) {
    const blocks = Array.isArray(payload.blocks)
      ? payload.blocks.slice(0, SLACK_LIMITS.blocks).map((b) => (isRecord(b) ? clampBlock(b) : b))
      : undefined;
    const text = typeof payload.text === 'string' ? payload.text : message.eventType;
    return { ...payload, text: clamp(text, SLACK_LIMITS.text), ...(blocks && { blocks }) };
  }
  const json = JSON.stringify(payload, null, 2);
  return {
    // The fallback text is mrkdwn too (notifications show it): escaped like the blocks, so `<!channel>` stays text.
    text: clampMrkdwn(escapeMrkdwn(`${message.eventType}: ${JSON.stringify(payload)}`), SLACK_LIMITS.text),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clamp(message.eventType, SLACK_LIMITS.headerText) } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `\`\`\`${clampMrkdwn(escapeMrkdwn(json), SLACK_LIMITS.sectionText - 6)}\`\`\`` },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${message.id} · ${new Date(message.createdAt).toISOString()}` }],
      },
    ],
  };
}

export function buildSlackRequest(input: FormatInput): OutboundRequest {
  const body = input.body ?? JSON.stringify(slackBody(input));
  return {
    url: input.endpoint.url,
    headers: { ...customHeaders(input.endpoint), 'content-type': 'application/json' },
    body,
  };
}

export const slack: Format = {
  build: buildSlackRequest,
  rejects(statusCode, body) {
    if (statusCode === 200 && body.trim() !== 'ok') {
      return `Slack answered 200 without "ok": ${JSON.stringify(body.slice(0, 100))}`;
    }
    return null;
  },
  gone: (statusCode) => statusCode === 404,
};
