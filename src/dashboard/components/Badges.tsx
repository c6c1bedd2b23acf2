import { fromSvixStatus, type SvixStatus } from '../../core/svix-status';
import type { Endpoint, EndpointStatus } from '../types';

export function Badge({ text, tone = 'neutral', testid }: { text: string; tone?: string; testid?: string }) {
  return (
    <span class={`badge ${tone}`} data-testid={testid}>
      {text}
    </span>
  );
}

export function endpointStatus(ep: Endpoint): EndpointStatus {
  if (ep.disabled) return 'disabled';
  return ep.status === 'failing' ? 'failing' : 'healthy';
}

/** `healthy`, `disabled`, or `failing · retrying` / `failing · exhausted`: how the endpoint fails shows too. */
export function EndpointStatusBadge({ ep, testid = 'endpoint-status' }: { ep: Endpoint; testid?: string }) {
  const status = endpointStatus(ep);
  const state = status === 'failing' ? ep.failure?.state : undefined;
  return <Badge text={state ? `${status} · ${state}` : status} tone={STATUS_TONE[status]} testid={testid} />;
}

const STATUS_TONE: Record<string, string> = {
  healthy: 'ok',
  failing: 'bad',
  disabled: 'muted',
  pending: 'warn',
  sending: 'info',
  received: 'info',
  forwarded: 'ok',
  processed: 'ok',
  unhandled: 'muted',
  error: 'bad',
  running: 'info',
  finished: 'ok',
  failed: 'bad',
  succeeded: 'ok',
  retrying: 'warn',
  exhausted: 'bad',
  no_endpoints: 'muted',
};

/** A message's delivery status (the worst state among its deliveries). */
export function DeliveryStatusBadge({ status }: { status: string | undefined }) {
  const text = status === 'no_endpoints' ? 'no endpoints' : (status ?? '—');
  return <Badge text={text} tone={STATUS_TONE[status ?? ''] ?? 'neutral'} testid="delivery-status" />;
}

/** Why an attempt failed: the error kind and what happened (`network: connect ECONNREFUSED …`). */
export function AttemptError({
  kind,
  detail,
  testid = 'attempt-error',
}: {
  kind?: string | null;
  detail?: string | null;
  testid?: string;
}) {
  if (!kind && !detail) return null;
  return (
    <span class="attempt-error" data-testid={testid}>
      <strong>{kind ?? 'error'}</strong>
      {detail ? `: ${detail}` : ''}
    </span>
  );
}

export function StatusBadge({ status, testid }: { status: string; testid?: string }) {
  return <Badge text={status} tone={STATUS_TONE[status] ?? 'neutral'} testid={testid} />;
}

/** An attempt's status, sent in Svix's numbers, in Hookway's words (`succeeded`, `failed`). */
export function AttemptStatusBadge({ status }: { status: number }) {
  const word = status >= 0 && status <= 3 ? fromSvixStatus(status as SvixStatus, 'attempt') : String(status);
  return <StatusBadge status={word} testid="attempt-status" />;
}

export function EventTypeBadges({ types }: { types: string[] | null | undefined }) {
  if (!types || types.length === 0) return <Badge text="all events" tone="muted" />;
  return (
    <span class="badges">
      {types.map((t) => (
        <Badge key={t} text={t} testid="event-type-badge" />
      ))}
    </span>
  );
}
