import type { Received, Script } from '../helpers/receiver.js';

/**
 * Local receivers shaped like Slack incoming webhooks and Discord "Execute
 * Webhook": they enforce the documented limits and
 * answer as the real services do, including 429 with Retry-After.
 */
type Json = Record<string, any>;

function parse(req: Received): Json | null {
  if (!req.headers['content-type']?.startsWith('application/json')) return null;
  try {
    const v = JSON.parse(req.body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** A token bucket over request arrival times: `burst` at once, then `perSecond`. */
function limiter(perSecond: number, burst: number) {
  let tokens = burst;
  let at = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - at) / 1000) * perSecond);
    at = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

export function slackProblem(body: Json | null): string | null {
  if (!body) return 'invalid_payload';
  if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) return 'no_text';
  if (typeof body.text === 'string' && body.text.length > 40_000) return 'invalid_payload';
  if (body.blocks !== undefined) {
    if (!Array.isArray(body.blocks) || body.blocks.length > 50) return 'invalid_blocks';
    if (typeof body.text !== 'string' || body.text === '') return 'no_text';
    for (const b of body.blocks) {
      if (b?.type === 'section' && typeof b.text?.text === 'string' && b.text.text.length > 3000)
        return 'invalid_blocks';
      if (b?.type === 'header' && (typeof b.text?.text !== 'string' || b.text.text.length > 150))
        return 'invalid_blocks';
      if (Array.isArray(b?.fields) && (b.fields.length > 10 || b.fields.some((f: Json) => f.text?.length > 2000))) {
        return 'invalid_blocks';
      }
    }
  }
  return null;
}

export function slackReceiver(accepted: Json[], counts: { rateLimited: number; rejected: number }): Script {
  const allow = limiter(1, 3);
  return (req) => {
    const body = parse(req);
    const problem = slackProblem(body);
    if (problem) {
      counts.rejected++;
      return { status: 400, body: problem };
    }
    if (!allow()) {
      counts.rateLimited++;
      return { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } };
    }
    accepted.push(body as Json);
    return { status: 200, body: 'ok' };
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function discordProblem(body: Json | null): string | null {
  if (!body) return 'Cannot send an empty message';
  const embeds: Json[] = body.embeds ?? [];
  if (typeof body.content !== 'string' && embeds.length === 0) return 'Cannot send an empty message';
  if (str(body.content).length > 2000) return 'content: Must be 2000 or fewer in length.';
  if (!Array.isArray(embeds) || embeds.length > 10) return 'embeds: Must be 10 or fewer in length.';
  let total = 0;
  for (const e of embeds) {
    if (str(e.title).length > 256 || str(e.description).length > 4096) return 'embeds: field too long';
    if ((e.fields ?? []).length > 25) return 'embeds: too many fields';
    total +=
      str(e.title).length +
      str(e.description).length +
      str(e.footer?.text).length +
      str(e.author?.name).length +
      (e.fields ?? []).reduce((n: number, f: Json) => n + str(f.name).length + str(f.value).length, 0);
  }
  if (total > 6000) return 'Embed size exceeds maximum size of 6000';
  // Our own check: untrusted text must never mention anyone.
  if (JSON.stringify(body.allowed_mentions) !== '{"parse":[]}') return 'allowed_mentions must be {"parse":[]}';
  return null;
}

export function discordReceiver(accepted: Json[], counts: { rateLimited: number; rejected: number }): Script {
  const allow = limiter(2.5, 5);
  return (req): ReturnType<Script> => {
    const body = parse(req);
    const problem = discordProblem(body);
    if (problem) {
      counts.rejected++;
      return {
        status: 400,
        body: JSON.stringify({ code: 50035, message: problem }),
        headers: { 'content-type': 'application/json' },
      };
    }
    if (!allow()) {
      counts.rateLimited++;
      return {
        status: 429,
        body: JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.8, global: false }),
        headers: {
          'content-type': 'application/json',
          'retry-after': '1',
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': '0.8',
          'x-ratelimit-scope': 'user',
        },
      };
    }
    accepted.push(body as Json);
    return { status: 204 };
  };
}
