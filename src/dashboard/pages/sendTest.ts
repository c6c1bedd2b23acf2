import { type Api, seg } from '../api';
import type { Ctx } from '../context';
import { duration, errorText } from '../format';
import { appApi } from '../links';
import type { Attempt, Endpoint, Message } from '../types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The event type a test uses: one the endpoint subscribes to by exact name, else the first in the catalogue. */
export function testEventType(ep: Endpoint, catalogue: string[]): string | null {
  const exact = (ep.filterTypes ?? []).find((t) => !t.includes('*'));
  if (exact) return exact;
  const prefixes = (ep.filterTypes ?? []).map((t) => t.replace(/\*$/, ''));
  return catalogue.find((t) => prefixes.length === 0 || prefixes.some((p) => t.startsWith(p))) ?? null;
}

/**
 * Send an example event to one endpoint and report in toasts: first that it was queued, then
 * (when the first attempt is recorded within ~12 s) whether the delivery succeeded.
 */
export async function sendTest(ctx: Ctx, appId: string, ep: Endpoint, catalogue: string[]): Promise<void> {
  const eventType = testEventType(ep, catalogue);
  if (!eventType) {
    ctx.toast('A test event needs an event type: add one to the catalogue first.', 'error');
    return;
  }
  let msg: Message;
  try {
    msg = await ctx.api.post<Message>(`${appApi(appId)}/endpoint/${seg(ep.id)}/send-example`, { eventType });
  } catch (e) {
    ctx.toast(`Test event not sent: ${errorText(e)}`, 'error');
    return;
  }
  ctx.toast(`Test event sent (${eventType})`, 'success');
  if (msg?.id) await followAttempt(ctx.api, ctx.toast, appId, msg.id, ep.id);
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
      toast(
        `Test delivery succeeded: HTTP ${attempt.responseStatusCode} in ${duration(attempt.responseDurationMs)}`,
        'success',
      );
    } else {
      const kind = attempt.errorKind ? ` (${attempt.errorKind})` : '';
      toast(`Test delivery failed: HTTP ${attempt.responseStatusCode || '—'}${kind}`, 'error');
    }
    return;
  }
}
