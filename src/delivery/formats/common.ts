import { createHmac } from 'node:crypto';
import type { Endpoint, Message } from '../../core/types.js';
import { isReservedHeader } from '../request.js';

/**
 * What every format receives: the endpoint, the message, and the body to
 * send when a transformation already produced one. Formats are pure.
 */
export interface FormatInput {
  endpoint: Endpoint;
  message: Message;
  nowMs: number;
  /** A transformation's body: sent as is (signed where the format signs). */
  body?: string | undefined;
}

/** The endpoint's custom headers, lower-cased, minus the ones transport and signature own. */
export function customHeaders(endpoint: Endpoint): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(endpoint.headers)) {
    if (!isReservedHeader(name)) out[name.toLowerCase()] = value;
  }
  return out;
}

/** The HMAC presets sign with the current secret string itself (UTF-8), as their receivers expect. */
export function hmacHex(endpoint: Endpoint, body: string): string {
  const secret = endpoint.secrets[0]?.key;
  if (!secret) throw new Error('endpoint has no secret');
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function parsePayload(message: Message): unknown {
  try {
    return JSON.parse(message.payload) as unknown;
  } catch {
    return message.payload;
  }
}

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A fenced code block of at most `max` characters in total. */
export function codeBlock(text: string, max: number): string {
  return `\`\`\`${clamp(text, max - 6)}\`\`\``;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
