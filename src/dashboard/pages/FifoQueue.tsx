import { useState } from 'preact/hooks';
import { seg } from '../api';
import { AttemptError, Badge } from '../components/Badges';
import { Section } from '../components/States';
import { useCtx } from '../context';
import { count, dateTime, errorText } from '../format';
import { useAsync } from '../hooks';
import { appApi } from '../links';
import type { Message, FifoQueue as Queue } from '../types';
import { MessageDrawer } from './MessageDrawer';

/**
 * A FIFO endpoint's queue: the message at its head and how many wait behind it. When the head's
 * last attempt failed, the queue is held: it says so, with the error and the next attempt, and
 * the head opens as a message (its attempts, a resend).
 */
export function FifoQueue({ appId, path }: { appId: string; path: string }) {
  const { api, toast } = useCtx();
  const queue = useAsync(() => api.get<Queue>(`${path}/fifo`), [path]);
  const [open, setOpen] = useState<Message | null>(null);

  const openHead = (msgId: string) =>
    api
      .get<Message>(`${appApi(appId)}/msg/${seg(msgId)}`)
      .then(setOpen, (err: unknown) => toast(errorText(err), 'error'));

  return (
    <>
      <div class="page-head">
        <h2>FIFO queue</h2>
        <button type="button" data-testid="fifo-refresh" onClick={queue.reload}>
          Refresh
        </button>
      </div>
      <Section {...queue} empty="No queue.">
        {(q) =>
          q.head === null ? (
            <p class="muted" data-testid="fifo-empty">
              Nothing queued: every message was delivered or ran out of attempts.
            </p>
          ) : (
            <div data-testid="fifo-queue">
              <p data-testid="fifo-summary">
                {q.held ? (
                  <>
                    <Badge text="held" tone="bad" testid="fifo-held" /> The message at the head keeps failing; the{' '}
                    {count(q.waiting)} behind it wait until it is delivered or runs out of attempts.
                  </>
                ) : (
                  <>
                    <Badge text={q.head.state} tone={q.head.state === 'sending' ? 'info' : 'warn'} /> {count(q.waiting)}{' '}
                    waiting behind the head.
                  </>
                )}
              </p>
              <dl class="facts">
                <dt>Head</dt>
                <dd>
                  <button type="button" class="link" data-testid="fifo-head" onClick={() => openHead(q.head!.msgId)}>
                    <code>{q.head.msgId}</code>
                  </button>{' '}
                  <span class="muted">{q.head.eventType}</span>
                </dd>
                <dt>Attempts</dt>
                <dd data-testid="fifo-attempts">{q.head.attempts}</dd>
                <dt>Next attempt</dt>
                <dd data-testid="fifo-next">{q.head.nextAttempt ? dateTime(q.head.nextAttempt) : 'now'}</dd>
                {q.head.lastAttempt && q.held && (
                  <>
                    <dt>Last error</dt>
                    <dd class="break" data-testid="fifo-last-error">
                      <AttemptError kind={q.head.lastAttempt.errorKind} detail={q.head.lastAttempt.errorDetail} />{' '}
                      <span class="muted">
                        {q.head.lastAttempt.responseStatusCode
                          ? `HTTP ${q.head.lastAttempt.responseStatusCode} · `
                          : ''}
                        {dateTime(q.head.lastAttempt.timestamp)}
                      </span>
                    </dd>
                  </>
                )}
                <dt>Waiting</dt>
                <dd data-testid="fifo-waiting">{count(q.waiting)}</dd>
              </dl>
            </div>
          )
        }
      </Section>
      {open && <MessageDrawer appId={appId} message={open} onClose={() => setOpen(null)} />}
    </>
  );
}
