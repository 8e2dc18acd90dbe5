import type { LiveChange, LiveChangeFilter, LiveChangeStore, LivePosition } from '@continuum/data';
import { describe, expect, it } from 'vitest';
import { decodeLiveCursor } from './live-cursor';
import { LIVE_PAGE_SIZE, ResumableFeed } from './resumable-feed';

/** An in-memory log: changes in (xid, id) order, the first `ended` of them readable. */
class FakeLog {
  readonly changes: LiveChange[] = [];
  ended = 0;
  reads: Array<{ after: LivePosition; limit: number }> = [];

  add(count: number, readable = true): void {
    for (let i = 0; i < count; i++) {
      const n = this.changes.length + 1;
      this.changes.push({ xid: String(100 + n), id: String(n), kind: 'DELIVERED', ref: `m${n}`, scope: 'ana', instanceId: null, at: new Date() });
    }
    if (readable) this.ended = this.changes.length;
  }

  readonly store = {
    after: async (_filter: LiveChangeFilter, after: LivePosition, limit: number) => {
      this.reads.push({ after, limit });
      const from = this.changes.findIndex((change) => BigInt(change.id) > BigInt(after.id));
      if (from === -1) return { changes: [], more: false, pending: false };
      const readable = this.changes.slice(from, this.ended);
      return { changes: readable.slice(0, limit), more: readable.length > limit, pending: readable.length <= limit && this.ended < this.changes.length };
    },
  } as unknown as LiveChangeStore;
}

function feedOf(log: FakeLog, start: LivePosition = { xid: '0', id: '0' }, load = async (changes: LiveChange[]): Promise<Array<string | null>> => changes.map((change) => change.ref)) {
  let released = 0;
  const feed = new ResumableFeed<string>(log.store, { subscription: 'inboxUpdates', filter: { workspaceId: 'w', stream: 'inbox', scope: 'ana' }, load }, start, () => (released += 1));
  return { feed, released: () => released };
}

describe('ResumableFeed', () => {
  it('replays a long gap a page at a time, reading the next page only when the last one was taken', async () => {
    const log = new FakeLog();
    log.add(LIVE_PAGE_SIZE * 2 + 5);
    const { feed } = feedOf(log);
    const refs: string[] = [];
    for (let i = 0; i < LIVE_PAGE_SIZE; i++) refs.push((await feed.next()).value!.value);
    expect(log.reads).toHaveLength(1);
    for (let i = 0; i < LIVE_PAGE_SIZE + 5; i++) refs.push((await feed.next()).value!.value);
    expect(log.reads).toHaveLength(3);
    expect(refs).toEqual(log.changes.map((change) => change.ref));
  });

  it('hands out cursors of its own subscription at each change, and skips rows gone since without losing its place', async () => {
    const log = new FakeLog();
    log.add(3);
    const { feed } = feedOf(log, { xid: '0', id: '0' }, async (changes) => changes.map((change) => (change.ref === 'm2' ? null : change.ref)));
    const first = (await feed.next()).value!;
    const third = (await feed.next()).value!;
    expect([first.value, third.value]).toEqual(['m1', 'm3']);
    expect(decodeLiveCursor(third.cursor, 'inboxUpdates')).toEqual({ xid: '103', id: '3' });
  });

  it('waits for a wake-up when caught up, and for a running transaction to end before reading past it', async () => {
    const log = new FakeLog();
    const { feed } = feedOf(log);
    const next = feed.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    log.add(1);
    log.add(1, false); // a transaction still running
    feed.signal();
    expect((await next).value!.value).toBe('m1');
    const second = feed.next();
    await new Promise((resolve) => setTimeout(resolve, 60));
    log.ended = 2; // it commits: the retry reads it without any notice
    expect((await second).value!.value).toBe('m2');
  });

  it('ends at return(), even while it waits, and unregisters once', async () => {
    const log = new FakeLog();
    const { feed, released } = feedOf(log);
    const waiting = feed.next();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await feed.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await feed.return();
    expect(released()).toBe(1);
  });
});
