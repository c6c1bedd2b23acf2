import { useState } from 'preact/hooks';
import { seg } from '../api';
import { AttemptStatusBadge, Badge } from '../components/Badges';
import { Body, HeadersTable } from '../components/Code';
import { useCtx } from '../context';
import { dateTime, duration, errorText } from '../format';
import { useAsync } from '../hooks';
import { appApi } from '../links';
import type { Attempt, Message } from '../types';

interface Props {
  appId: string;
  attempt: Attempt;
  onReplayed: () => void;
}

/**
 * One attempt: the request Hookway sent and the response it got. Replay resends the message to
 * the same endpoint; the server records that as a manual attempt linked to this one.
 */
export function AttemptDetail({ appId, attempt: summary, onReplayed }: Props) {
  const { api, toast } = useCtx();
  const app = appApi(appId);
  const full = useAsync(
    () => api.get<Attempt>(`${app}/msg/${seg(summary.msgId)}/attempt/${seg(summary.id)}`).catch(() => summary),
    [summary.id],
  );
  const a = full.data ?? summary;
  // The request body is the message payload unless the attempt recorded a different one (a transformation).
  const needsPayload = full.data !== undefined && (a.requestBody === null || a.requestBody === undefined);
  const msg = useAsync(
    () =>
      needsPayload ? api.get<Message>(`${app}/msg/${seg(a.msgId)}`, { with_content: true }) : Promise.resolve(null),
    [a.msgId, needsPayload],
  );
  const [busy, setBusy] = useState(false);

  const replay = async () => {
    setBusy(true);
    try {
      await api.post(`${app}/msg/${seg(a.msgId)}/endpoint/${seg(a.endpointId)}/resend`, {});
      toast('Replay queued: a manual attempt linked to this one will appear', 'success');
      onReplayed();
    } catch (e) {
      toast(`Replay failed: ${errorText(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="detail" data-testid="attempt-detail">
      <div class="detail-head">
        <AttemptStatusBadge status={a.status} />
        {a.triggerType === 1 && <Badge text="manual" tone="info" testid="attempt-manual" />}
        <button type="button" class="primary" data-testid="replay" disabled={busy} onClick={replay}>
          Replay
        </button>
      </div>
      <dl class="facts">
        <dt>Attempt</dt>
        <dd>
          <code>{a.id}</code>
        </dd>
        {a.parentId && (
          <>
            <dt>Replay of</dt>
            <dd>
              <code data-testid="attempt-parent">{a.parentId}</code>
            </dd>
          </>
        )}
        <dt>Message</dt>
        <dd>
          <code>{a.msgId}</code>
        </dd>
        <dt>URL</dt>
        <dd class="break" data-testid="attempt-url">
          {a.url}
        </dd>
        {a.eventType && (
          <>
            <dt>Event type</dt>
            <dd>{a.eventType}</dd>
          </>
        )}
        <dt>Time</dt>
        <dd>{dateTime(a.timestamp)}</dd>
      </dl>
      <h3>Request</h3>
      <h4>Headers</h4>
      <HeadersTable headers={a.requestHeaders} testid="request-headers" />
      <h4>Body</h4>
      <Body body={a.requestBody ?? msg.data?.payload ?? ''} testid="request-body" />
      <h3>Response</h3>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-testid="response-status">{a.responseStatusCode || '—'}</dd>
        <dt>Duration</dt>
        <dd data-testid="response-duration">{duration(a.responseDurationMs)}</dd>
        <dt>Error kind</dt>
        <dd data-testid="error-kind">{a.errorKind ?? '—'}</dd>
        <dt>Error</dt>
        <dd class="break" data-testid="error-detail">
          {a.errorDetail ?? '—'}
        </dd>
      </dl>
      <h4>Headers</h4>
      <HeadersTable headers={a.responseHeaders} testid="response-headers" />
      <h4>Body</h4>
      <Body body={a.response} testid="response-body" />
    </div>
  );
}
