/**
 * Group commit. Items added while a flush is running, or within the same
 * tick, are flushed together: one transaction (one fsync) serves many
 * requests. Under light load a batch is one item and adds no delay; under
 * heavy load batches grow by themselves. Each `add` resolves only after the
 * flush holding its item committed, so a 2xx still means "on disk".
 */
export interface Batcher<T> {
  add(item: T): Promise<void>;
  /** Resolves when everything added so far has been flushed. */
  drain(): Promise<void>;
}

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createBatcher<T>(
  flush: (items: T[]) => Promise<void>,
  maxBatch = 500,
  /** Wait this long before a flush to gather more items (0: next tick). For writes nobody waits on. */
  lingerMs = 0,
): Batcher<T> {
  let queue: Pending<T>[] = [];
  let running: Promise<void> | null = null;
  let scheduled = false;

  async function run(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        await flush(batch.map((p) => p.item));
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
  }

  function kick(): void {
    if (running || scheduled) return;
    scheduled = true;
    const go = () => {
      scheduled = false;
      running = run().finally(() => {
        running = null;
        if (queue.length > 0) kick();
      });
    };
    if (lingerMs > 0) setTimeout(go, lingerMs);
    else setImmediate(go);
  }

  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        kick();
      });
    },
    async drain() {
      while (running || scheduled || queue.length > 0) {
        await (running ?? new Promise((r) => setTimeout(r, Math.max(1, lingerMs))));
      }
    },
  };
}

/**
 * The fallback of a group commit: commits the group whole; when that fails
 * with an error that may be one item's fault (`isolate`, by default any), the
 * items are committed one by one so only the culprit fails. `done` sees each
 * group that committed (the whole one, or one item) with what the commit
 * answered, `failed` each item that failed alone. An error not worth
 * isolating, or the failure of a group of one, is thrown.
 */
export async function commitGroup<T, R>(
  items: readonly T[],
  commit: (group: readonly T[]) => Promise<R>,
  handlers: {
    done(group: readonly T[], result: R): void;
    failed(item: T, err: unknown): void;
    isolate?(err: unknown): boolean;
  },
): Promise<void> {
  let whole: R;
  try {
    whole = await commit(items);
  } catch (err) {
    if (items.length === 1 || !(handlers.isolate?.(err) ?? true)) throw err;
    for (const item of items) {
      let one: R;
      try {
        one = await commit([item]);
      } catch (alone) {
        handlers.failed(item, alone);
        continue;
      }
      handlers.done([item], one);
    }
    return;
  }
  handlers.done(items, whole);
}
