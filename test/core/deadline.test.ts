import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { deadline } from '../../src/core/deadline.js';

describe('a send deadline', () => {
  it('fires a TimeoutError at the deadline', async () => {
    const d = deadline(20);
    const reason = await new Promise<unknown>((r) => d.signal.addEventListener('abort', () => r(d.signal.reason)));
    expect((reason as DOMException).name).toBe('TimeoutError');
    d.done();
  });

  it('follows its parent, and one already aborted', () => {
    const parent = new AbortController();
    const d = deadline(60_000, parent.signal);
    parent.abort(new Error('shutting down'));
    expect(d.signal.aborted).toBe(true);
    expect((d.signal.reason as Error).message).toBe('shutting down');
    d.done();
    expect(deadline(60_000, parent.signal).signal.aborted).toBe(true);
  });

  it('leaves nothing on a long-lived parent once done (AbortSignal.any would)', () => {
    const parent = new AbortController();
    for (let i = 0; i < 1000; i++) deadline(60_000, parent.signal).done();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    const live = deadline(60_000, parent.signal);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    live.done();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('does not fire once done', async () => {
    const d = deadline(10);
    d.done();
    await new Promise((r) => setTimeout(r, 40));
    expect(d.signal.aborted).toBe(false);
  });
});

describe('a deadline left running', () => {
  it('lets go of its parent when it fires, and when the parent aborts', async () => {
    const parent = new AbortController();
    deadline(10, parent.signal);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    const d = deadline(60_000, parent.signal);
    parent.abort();
    expect(d.signal.aborted).toBe(true);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('has no deadline when given 0 ms, and still follows its parent', async () => {
    const parent = new AbortController();
    const d = deadline(0, parent.signal);
    await new Promise((r) => setTimeout(r, 20));
    expect(d.signal.aborted).toBe(false);
    parent.abort(new Error('stop'));
    expect((d.signal.reason as Error).message).toBe('stop');
  });
});
