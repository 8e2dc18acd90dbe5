/** Updates a subscriber has not taken yet; a subscriber that falls this far behind is ended with an error. */
export const MAX_PENDING_UPDATES = 1_000;

interface Subscriber<F, T> {
  filter: F;
  pending: T[];
  wake: (() => void) | null;
  ended: boolean;
  error: Error | null;
}

/**
 * The subscribers of one kind of live update on this replica (GraphQL subscriptions): each gets an
 * async iterator of the updates its filter wants, in the order they were published, until it
 * returns (unsubscribes), the hub closes, or it falls more than MAX_PENDING_UPDATES behind.
 */
export class SubscriberHub<F, T> {
  private readonly subscribers = new Set<Subscriber<F, T>>();

  get size(): number {
    return this.subscribers.size;
  }

  /** Whether any subscriber's filter passes (worth reading the update for). */
  wants(test: (filter: F) => boolean): boolean {
    for (const subscriber of this.subscribers) if (test(subscriber.filter)) return true;
    return false;
  }

  subscribe(filter: F): AsyncIterableIterator<T> {
    const subscriber: Subscriber<F, T> = { filter, pending: [], wake: null, ended: false, error: null };
    this.subscribers.add(subscriber);
    const finish = (): Promise<IteratorResult<T>> => {
      this.end(subscriber, null);
      return Promise.resolve({ value: undefined, done: true });
    };
    const iterator: AsyncIterableIterator<T> = {
      next: async () => {
        while (subscriber.pending.length === 0 && !subscriber.ended) await new Promise<void>((resolve) => (subscriber.wake = resolve));
        if (subscriber.error) throw subscriber.error;
        const value = subscriber.pending.shift();
        return value !== undefined ? { value, done: false } : { value: undefined, done: true };
      },
      return: finish,
      throw: finish,
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Hands `value` to every subscriber whose filter passes `test`. */
  publish(test: (filter: F) => boolean, value: T): void {
    for (const subscriber of [...this.subscribers]) {
      if (subscriber.ended || !test(subscriber.filter)) continue;
      if (subscriber.pending.length >= MAX_PENDING_UPDATES) {
        this.end(subscriber, new Error(`Subscription ended: more than ${MAX_PENDING_UPDATES} updates were not consumed`));
        continue;
      }
      subscriber.pending.push(value);
      this.wakeUp(subscriber);
    }
  }

  /** Ends every subscription (the gateway stops). */
  close(): void {
    for (const subscriber of [...this.subscribers]) this.end(subscriber, null);
  }

  private end(subscriber: Subscriber<F, T>, error: Error | null): void {
    subscriber.ended = true;
    subscriber.error = error;
    if (!error) subscriber.pending.length = 0;
    this.subscribers.delete(subscriber);
    this.wakeUp(subscriber);
  }

  private wakeUp(subscriber: Subscriber<F, T>): void {
    const wake = subscriber.wake;
    subscriber.wake = null;
    wake?.();
  }
}
