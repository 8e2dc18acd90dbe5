interface Waiter<V> {
  resolve: (value: V | null) => void;
  reject: (error: unknown) => void;
}

interface Batch<V> {
  context: { workspaceId: string };
  waiting: Map<string, Array<Waiter<V>>>;
}

/**
 * Collects the keys asked for during one tick of resolution, per workspace, and loads them with one
 * call: a page whose every row asks for its relation costs one query, not one per row.
 */
export class TickBatches<C extends { workspaceId: string }, V> {
  private readonly batches = new Map<string, Batch<V>>();

  /** `loadMany` answers the keys in the same order, null (or undefined) for any not found. */
  constructor(private readonly loadMany: (context: C, keys: string[]) => Promise<ReadonlyArray<V | null | undefined>>) {}

  load(context: C, key: string): Promise<V | null> {
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(context.workspaceId);
      if (!batch) {
        const created: Batch<V> = { context, waiting: new Map() };
        batch = created;
        this.batches.set(context.workspaceId, created);
        setImmediate(() => void this.flush(created));
      }
      batch.waiting.set(key, [...(batch.waiting.get(key) ?? []), { resolve, reject }]);
    });
  }

  private async flush(batch: Batch<V>): Promise<void> {
    this.batches.delete(batch.context.workspaceId);
    const keys = [...batch.waiting.keys()];
    try {
      const found = await this.loadMany(batch.context as C, keys);
      keys.forEach((key, index) => batch.waiting.get(key)!.forEach((waiter) => waiter.resolve(found[index] ?? null)));
    } catch (error) {
      for (const waiters of batch.waiting.values()) waiters.forEach((waiter) => waiter.reject(error));
    }
  }
}
