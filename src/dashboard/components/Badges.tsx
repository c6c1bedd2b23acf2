import { ATTEMPT_STATUS, type Endpoint, type EndpointStatus } from '../types';

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

const STATUS_TONE: Record<string, string> = {
  healthy: 'ok',
  failing: 'bad',
  disabled: 'muted',
  success: 'ok',
  fail: 'bad',
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
};

export function StatusBadge({ status, testid }: { status: string; testid?: string }) {
  return <Badge text={status} tone={STATUS_TONE[status] ?? 'neutral'} testid={testid} />;
}

export function AttemptStatus({ status }: { status: number }) {
  return <StatusBadge status={ATTEMPT_STATUS[status] ?? String(status)} testid="attempt-status" />;
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
