/**
 * One send's abort signal: it fires at the send's deadline (a `TimeoutError`,
 * as `AbortSignal.timeout` would) or when `parent` (the dispatcher's shutdown
 * signal) aborts, and `done()` lets go of both.
 *
 * Not `AbortSignal.any([AbortSignal.timeout(ms), parent])`: on Node 20 every
 * such call leaves a weak reference in the long-lived parent that is never
 * cleaned up (nodejs/node#55351). Measured here, 1,000,000 calls against one
 * parent: 53 MB of heap kept after a full GC and 404 MB RSS, against 3 MB and
 * 60 MB with a listener removed after each call; in a 1,000,000-message drain
 * the sender thread's heap grew past 300 MB.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** The send is over: clears the timer and leaves the parent signal. */
  done(): void;
}

export function deadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  // Unref'd like AbortSignal.timeout's: a pending deadline alone does not keep the process alive.
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  timer.unref();
  let onAbort: (() => void) | null = null;
  if (parent?.aborted) controller.abort(parent.reason);
  else if (parent) {
    const follow = () => controller.abort(parent.reason);
    parent.addEventListener('abort', follow, { once: true });
    onAbort = follow;
  }
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      if (onAbort) parent?.removeEventListener('abort', onAbort);
      onAbort = null;
    },
  };
}
