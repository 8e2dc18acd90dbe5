import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { DEFAULT_WORKSPACE_ID, InboxStore, JournalStore, LIVE_ORIGIN, LiveChangeStore, type LiveChangeFilter, type LivePosition } from '../index';
import { LiveChanges1732528000000 } from '../migrations/1732528000000-live-changes';
import { recognisePartitionsInActivityTriggers } from '../migrations/1732671000001-time-partitions';

describe('LiveChangeStore: the change log of resumable subscriptions (real PostgreSQL)', () => {
  let db: TestDatabase;
  let changes: LiveChangeStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    changes = new LiveChangeStore(db.dataSource);
  });

  afterAll(async () => {
    await db?.teardown();
  });

  const scope = (customer: string): LiveChangeFilter => ({ workspaceId: DEFAULT_WORKSPACE_ID, stream: 'inbox', scope: customer });
  const append = (runner: { query: (sql: string, params: unknown[]) => Promise<unknown> }, customer: string, ref: string) =>
    runner.query(`INSERT INTO live_changes (workspace_id, stream, scope, kind, ref) VALUES ($1, 'inbox', $2, 'DELIVERED', $3)`, [DEFAULT_WORKSPACE_ID, customer, ref]);

  it('never hands out a change before one of an earlier transaction that commits later, even when its serial is smaller', async () => {
    const slow = db.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      await append(slow, 'lc-other', 'xid-taken'); // the slow transaction has its xid now
      await append(db.dataSource, 'lc-ann', 'fast'); // committed first, with a larger xid
      await append(slow, 'lc-ann', 'slow'); // a larger serial than `fast`, an earlier transaction
      const meanwhile = await changes.after(scope('lc-ann'), LIVE_ORIGIN, 10);
      expect(meanwhile).toEqual({ changes: [], more: false, pending: true });
      await slow.commitTransaction();
    } finally {
      await slow.release();
    }
    const read = await changes.after(scope('lc-ann'), LIVE_ORIGIN, 10);
    expect(read.changes.map((change) => change.ref)).toEqual(['slow', 'fast']);
    expect(read.pending).toBe(false);
    // Resuming after the first hands out exactly the rest.
    const resumed = await changes.after(scope('lc-ann'), read.changes[0]!, 10);
    expect(resumed.changes.map((change) => change.ref)).toEqual(['fast']);
  });

  it('pages in order, saying when more follow, and starts "now" at the latest change', async () => {
    for (let i = 0; i < 5; i++) await append(db.dataSource, 'lc-bo', `m${i}`);
    const first = await changes.after(scope('lc-bo'), LIVE_ORIGIN, 3);
    expect(first.changes.map((change) => change.ref)).toEqual(['m0', 'm1', 'm2']);
    expect(first.more).toBe(true);
    const rest = await changes.after(scope('lc-bo'), first.changes.at(-1)!, 3);
    expect(rest.changes.map((change) => change.ref)).toEqual(['m3', 'm4']);
    expect(rest.more).toBe(false);
    const latest = await changes.latest(scope('lc-bo'));
    expect(latest).toEqual({ xid: rest.changes.at(-1)!.xid, id: rest.changes.at(-1)!.id });
    expect((await changes.after(scope('lc-bo'), latest, 3)).changes).toEqual([]);
    expect(await changes.latest(scope('lc-nobody'))).toEqual(LIVE_ORIGIN);
  });

  it('records inbox deliveries, reads and archives, and journal entries per run, from the triggers', async () => {
    const inbox = new InboxStore(db.dataSource);
    const message = await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'lc-cy', messageId: null, body: 'hello' });
    await inbox.markRead(DEFAULT_WORKSPACE_ID, message.id);
    await inbox.markRead(DEFAULT_WORKSPACE_ID, message.id); // again: no change
    await inbox.archive(DEFAULT_WORKSPACE_ID, message.id);
    const inboxChanges = (await changes.after(scope('lc-cy'), LIVE_ORIGIN, 10)).changes;
    expect(inboxChanges.map((change) => [change.kind, change.ref])).toEqual([
      ['DELIVERED', message.id],
      ['READ', message.id],
      ['ARCHIVED', message.id],
    ]);

    const journal = new JournalStore(db.dataSource);
    const entry = (runId: string, seq: number) => ({
      workspaceId: DEFAULT_WORKSPACE_ID,
      instanceId: 'journey/j/lc-cy/k',
      runId,
      seq,
      journeyId: 'j',
      customerId: 'lc-cy',
      key: 'k',
      type: 'entered',
      step: 'start',
      status: 'active' as const,
      detail: {},
      at: new Date(),
    });
    await journal.record(entry('run-a', 0));
    await journal.record(entry('run-b', 0));
    await journal.record(entry('run-a', 1));
    const runA = await changes.after({ workspaceId: DEFAULT_WORKSPACE_ID, stream: 'activity', instanceId: 'journey/j/lc-cy/k', runId: 'run-a' }, LIVE_ORIGIN, 10);
    expect(runA.changes.map((change) => change.kind)).toEqual(['JOURNEY_STEP', 'JOURNEY_STEP']);
    const activity = await changes.after({ workspaceId: DEFAULT_WORKSPACE_ID, stream: 'activity', scope: 'lc-cy' }, LIVE_ORIGIN, 10);
    expect(activity.changes).toHaveLength(3);
  });

  it("knows its own positions, refuses another scope's, and tells pruned ones apart", async () => {
    await append(db.dataSource, 'lc-dee', 'd1');
    const [own] = (await changes.after(scope('lc-dee'), LIVE_ORIGIN, 1)).changes;
    expect(await changes.check(scope('lc-dee'), own!)).toBe('known');
    expect(await changes.check(scope('lc-ann'), own!)).toBe('unknown');
    expect(await changes.check(scope('lc-dee'), { xid: own!.xid, id: String(BigInt(own!.id) + 1000n) })).toBe('unknown');
    await db.dataSource.query(`UPDATE live_changes SET at = now() - interval '8 days' WHERE id = $1`, [own!.id]);
    expect(await changes.prune(new Date(Date.now() - 7 * 24 * 3600 * 1000))).toBe(1);
    await db.dataSource.query(`DELETE FROM live_changes WHERE id < $1`, [own!.id]); // as if everything older had been pruned too
    expect(await changes.check(scope('lc-dee'), own!)).toBe('pruned');
  });

  it('migrates down (writes no longer logged) and up again', async () => {
    const migration = new LiveChanges1732528000000();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await new InboxStore(db.dataSource).deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'lc-eve', messageId: null, body: 'unlogged' });
      await migration.up(runner);
      await recognisePartitionsInActivityTriggers(runner); // as the later TimePartitions migration left them
    } finally {
      await runner.release();
    }
    await append(db.dataSource, 'lc-eve', 'after-up');
    expect((await changes.after(scope('lc-eve'), LIVE_ORIGIN, 10)).changes.map((change) => change.ref)).toEqual(['after-up']);
  });

  it('costs one small insert per change written (measured: events inserted with and without the log trigger)', async () => {
    const insert = async (prefix: string, count: number) => {
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        await db.dataSource.query(
          `INSERT INTO events (workspace_id, user_id, type, name, message_id, properties, timestamp, received_at) VALUES ($1, $2, 'track', 'Cost', $3, '{}', now(), now())`,
          [DEFAULT_WORKSPACE_ID, `lc-cost-${i % 50}`, `${prefix}-${i}`],
        );
      }
      return (performance.now() - started) / count;
    };
    const timings: Record<string, number[]> = { logged: [], unlogged: [] };
    for (let round = 0; round < 2; round++) {
      timings.logged!.push(await insert(`logged-${round}`, 200));
      await db.dataSource.query(`ALTER TABLE events DISABLE TRIGGER events_log_change`);
      try {
        timings.unlogged!.push(await insert(`unlogged-${round}`, 200));
      } finally {
        await db.dataSource.query(`ALTER TABLE events ENABLE TRIGGER events_log_change`);
      }
    }
    const best = (values: number[]) => Math.min(...values);
    console.log(`event insert (one statement, autocommit): ${best(timings.logged!).toFixed(3)} ms with the change log, ${best(timings.unlogged!).toFixed(3)} ms without`);
    const [{ count }] = (await db.dataSource.query(`SELECT count(*)::int AS count FROM live_changes WHERE scope LIKE 'lc-cost-%'`)) as Array<{ count: number }>;
    expect(count).toBe(400);
  });

  it('hands a reader resuming from its last position every committed change exactly once, whatever the interleaving of concurrent transactions (fast-check)', async () => {
    let run = 0;
    // Each transaction: how many changes it writes and whether it commits; `order` interleaves their steps and the reads.
    const transaction = fc.record({ writes: fc.integer({ min: 1, max: 3 }), commits: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(transaction, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 6 }), fc.infiniteStream(fc.nat()), async (transactions, reads, keys) => {
        run += 1;
        const customer = `lc-prop-${run}`;
        const tokens: Array<{ kind: 'step'; t: number } | { kind: 'read' }> = [];
        transactions.forEach((tx, t) => {
          for (let i = 0; i <= tx.writes; i++) tokens.push({ kind: 'step', t });
        });
        for (let i = 0; i < reads; i++) tokens.push({ kind: 'read' });
        const sortKeys = [...keys.take(tokens.length)];
        const order = tokens.map((token, i) => ({ token, key: sortKeys[i]! })).sort((a, b) => a.key - b.key).map(({ token }) => token);

        const runners = transactions.map(() => db.dataSource.createQueryRunner());
        const done = transactions.map(() => 0);
        const committed: string[] = [];
        const delivered: string[] = [];
        let position: LivePosition = LIVE_ORIGIN;
        const read = async () => {
          for (;;) {
            const page = await changes.after(scope(customer), position, 2);
            for (const change of page.changes) {
              delivered.push(change.ref);
              position = change;
            }
            if (!page.more) return;
          }
        };
        try {
          for (const token of order) {
            if (token.kind === 'read') {
              await read();
              continue;
            }
            const { t } = token;
            const runner = runners[t]!;
            const step = done[t]++;
            if (step === 0) await runner.startTransaction();
            if (step < transactions[t]!.writes) {
              await append(runner, customer, `t${t}-${step}`);
            } else if (transactions[t]!.commits) {
              await runner.commitTransaction();
              for (let i = 0; i < transactions[t]!.writes; i++) committed.push(`t${t}-${i}`);
            } else await runner.rollbackTransaction();
          }
        } finally {
          await Promise.all(runners.map((runner) => runner.release()));
        }
        await read(); // every transaction has ended
        expect(new Set(delivered).size).toBe(delivered.length); // nothing twice
        expect([...delivered].sort()).toEqual([...committed].sort()); // nothing missed, nothing rolled back
        // In (xid, id) order: each transaction's changes together, in the order it wrote them.
        const rows: Array<{ ref: string }> = await db.dataSource.query(`SELECT ref FROM live_changes WHERE scope = $1 ORDER BY xid, id`, [customer]);
        expect(delivered).toEqual(rows.map((row) => row.ref));
      }),
      { numRuns: 25 },
    );
  });
});
