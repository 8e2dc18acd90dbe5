interface Waiter<V> {
  resolve: (value: V | null) => void;
  reject: (error: unknown) => void;
}

interface Batch<V> {
  key: string;
  context: { workspaceId: string };
  waiting: Map<string, Array<Waiter<V>>>;
}

/**
 * Collects the keys asked for during one tick of resolution, per workspace (or per `batchOf` of the
 * caller), and loads them with one call: a page whose every row asks for its relation costs one
 * query, not one per row. Nothing is cached between ticks.
 */
export class TickBatches<C extends { workspaceId: string }, V> {
  private readonly batches = new Map<string, Batch<V>>();

  /**
   * `loadMany` answers the keys in the same order, null (or undefined) for any not found. `batchOf`
   * names the callers one batch may serve together (by default those of one workspace): a `loadMany`
   * that depends on more of its context than the workspace needs a finer one.
   */
  constructor(
    private readonly loadMany: (context: C, keys: string[]) => Promise<ReadonlyArray<V | null | undefined>>,
    private readonly batchOf: (context: C) => string = (context) => context.workspaceId,
  ) {}

  load(context: C, key: string): Promise<V | null> {
    return new Promise((resolve, reject) => {
      const batchKey = this.batchOf(context);
      let batch = this.batches.get(batchKey);
      if (!batch) {
        const created: Batch<V> = { key: batchKey, context, waiting: new Map() };
        batch = created;
        this.batches.set(batchKey, created);
        setImmediate(() => void this.flush(created));
      }
      batch.waiting.set(key, [...(batch.waiting.get(key) ?? []), { resolve, reject }]);
    });
  }

  private async flush(batch: Batch<V>): Promise<void> {
    this.batches.delete(batch.key);
    const keys = [...batch.waiting.keys()];
    try {
      const found = await this.loadMany(batch.context as C, keys);
      keys.forEach((key, index) => batch.waiting.get(key)!.forEach((waiter) => waiter.resolve(found[index] ?? null)));
    } catch (error) {
      for (const waiters of batch.waiting.values()) waiters.forEach((waiter) => waiter.reject(error));
    }
  }
}
