import { type Api, ApiError, seg } from '../api';
import type { Ctx } from '../context';
import { duration, errorText } from '../format';
import { appApi } from '../links';
import type { Attempt, Endpoint, Message } from '../types';
import { isBrokerUrl } from './endpointForm';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Svix's built-in test event: the server sends it without a catalogue entry or an example. */
export const PING_EVENT = 'svix.ping';

/**
 * The event type a test uses: one the endpoint subscribes to by exact name, else the first
 * matching one in the catalogue, else the built-in ping (so a fresh install can test at once).
 */
export function testEventType(ep: Endpoint, catalogue: string[]): string {
  const exact = (ep.filterTypes ?? []).find((t) => !t.includes('*'));
  if (exact) return exact;
  const prefixes = (ep.filterTypes ?? []).map((t) => t.replace(/\*$/, ''));
  return catalogue.find((t) => prefixes.length === 0 || prefixes.some((p) => t.startsWith(p))) ?? PING_EVENT;
}

/**
 * Send an example event to one endpoint and report in toasts: first that it was queued, then
 * (when the first attempt is recorded within ~12 s) whether the delivery succeeded.
 */
export async function sendTest(ctx: Ctx, appId: string, ep: Endpoint, catalogue: string[]): Promise<void> {
  let eventType = testEventType(ep, catalogue);
  const send = (type: string) =>
    ctx.api.post<Message>(`${appApi(appId)}/endpoint/${seg(ep.id)}/send-example`, { eventType: type });
  let msg: Message;
  try {
    msg = await send(eventType).catch((e: unknown) => {
      // A catalogue type without an example payload is refused (4xx): the ping still tests the endpoint.
      if (eventType === PING_EVENT || !(e instanceof ApiError) || e.status < 400 || e.status >= 500) throw e;
      eventType = PING_EVENT;
      return send(eventType);
    });
  } catch (e) {
    ctx.toast(`Test event not sent: ${errorText(e)}`, 'error');
    return;
  }
  ctx.toast(`Test event sent (${eventType})`, 'success');
  if (msg?.id) await followAttempt(ctx.api, ctx.toast, appId, msg.id, ep.id);
}

/** `HTTP 500 (http_error)` or `network: connect ECONNREFUSED 127.0.0.1:9` when nothing answered. */
export function failureText(a: Pick<Attempt, 'responseStatusCode' | 'errorKind' | 'errorDetail'>): string {
  const kind = a.errorKind ?? 'error';
  if (a.responseStatusCode) return `HTTP ${a.responseStatusCode} (${kind})`;
  return a.errorDetail ? `${kind}: ${a.errorDetail}` : kind;
}

async function followAttempt(api: Api, toast: Ctx['toast'], appId: string, msgId: string, endpointId: string) {
  for (let i = 0; i < 8; i++) {
    await sleep(1500);
    const page = await api
      .list<Attempt>(`${appApi(appId)}/attempt/msg/${seg(msgId)}`, { endpoint_id: endpointId, limit: 5 })
      .catch(() => null);
    const attempt = page?.data.find((a) => a.status === 0 || a.status === 2);
    if (!attempt) continue;
    if (attempt.status === 0) {
      const how = isBrokerUrl(attempt.url ?? '') ? 'published' : `HTTP ${attempt.responseStatusCode}`;
      toast(`Test delivery succeeded: ${how} in ${duration(attempt.responseDurationMs)}`, 'success');
    } else {
      toast(`Test delivery failed: ${failureText(attempt)}`, 'error');
    }
    return;
  }
}
