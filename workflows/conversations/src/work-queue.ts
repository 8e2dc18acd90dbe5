import type { InboundMessage, TopicProgress } from '@continuum/contracts';
import { condition, isCancellation, uuid4 } from './temporal';

export type Work =
  | { kind: 'inbound'; message: InboundMessage }
  | { kind: 'progress'; progress: TopicProgress }
  | { kind: 'command'; id: string; run: () => Promise<unknown> };

/**
 * The conversation's work in arrival order (customers' messages, agents' reports, people's
 * commands), done one item at a time so that every reply is decided on the context before it.
 */
export class WorkQueue {
  private readonly items: Work[] = [];
  private readonly results = new Map<string, { value?: unknown; error?: unknown }>();

  get length(): number {
    return this.items.length;
  }

  push(work: Work): void {
    this.items.push(work);
  }

  /** The oldest item, taken off the queue. */
  take(): Work | undefined {
    return this.items.shift();
  }

  /** Runs a person's command in turn with the other work, and answers with its result. */
  async command<T>(run: () => Promise<T>): Promise<T> {
    const id = uuid4();
    this.items.push({ kind: 'command', id, run });
    await condition(() => this.results.has(id));
    const result = this.results.get(id)!;
    this.results.delete(id);
    if (result.error !== undefined) throw result.error;
    return result.value as T;
  }

  /** Runs a command taken off the queue; its result or failure goes back to whoever sent it. */
  async runCommand(work: Extract<Work, { kind: 'command' }>): Promise<void> {
    try {
      this.results.set(work.id, { value: await work.run() });
    } catch (error) {
      if (isCancellation(error)) throw error;
      this.results.set(work.id, { error });
    }
  }
}
