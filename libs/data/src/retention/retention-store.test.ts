import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, scriptFunnelPopulation, type TestDatabase } from '@continuum/testing';
import {
  CustomerTimelineStore,
  DEFAULT_WORKSPACE_ID,
  EventStore,
  InboxStore,
  JourneyStatsStore,
  MAX_RETENTION_DAYS,
  MessageStore,
  MIN_RETENTION_DAYS,
  RetentionInputError,
  RetentionStore,
  TransactionalStore,
  WorkspaceStore,
  parseRetentionDays,
  type DataSource,
  type NewEvent,
} from '../index';
import { TimePartitions1732671000001 } from '../migrations/1732671000001-time-partitions';

const DAY = 24 * 60 * 60 * 1000;
const ALL_PARTITIONS = Array.from({ length: 64 }, (_, i) => i);

const tableOf = async (dataSource: DataSource, table: string, where: string, parameters: unknown[]) =>
  ((await dataSource.query(`SELECT tableoid::regclass::text AS partition FROM ${table} WHERE ${where}`, parameters)) as Array<{ partition: string }>).map((row) => row.partition);

const event = (workspaceId: string, messageId: string, userId: string, receivedAt: Date, routed: boolean): NewEvent => ({
  workspaceId,
  messageId,
  userId,
  type: 'track',
  name: 'Viewed',
  properties: {},
  timestamp: receivedAt,
  receivedAt,
  ...(routed ? { routedAt: receivedAt } : {}),
});

async function journal(dataSource: DataSource, workspaceId: string, instance: string, seq: number, at: Date): Promise<void> {
  await dataSource.query(
    `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, at) VALUES ($1, $2, 'r', $3, 'j', 'c', 'entered', 'entry', $4)`,
    [workspaceId, instance, seq, at],
  );
}

describe('RetentionStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let retention: RetentionStore;
  let events: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    retention = new RetentionStore(db.dataSource);
    events = new EventStore(db.dataSource);
  }, 120_000);
  afterAll(() => db?.teardown());

  it('makes the partitions of this month and the next three ahead, moving into one the rows the default partition held for its month', async () => {
    await journal(db.dataSource, DEFAULT_WORKSPACE_ID, 'ahead', 1, new Date('2031-06-15T10:00:00Z'));
    expect(await tableOf(db.dataSource, 'journal_entries', `instance_id = 'ahead'`, [])).toEqual(['journal_entries_default']);

    // (the longest retention, so that this run from the future drops nothing of today)
    const report = await retention.run({ defaultDays: MAX_RETENTION_DAYS, now: new Date('2031-05-10T00:00:00Z') });
    expect(report.ran).toBe(true);
    for (const month of ['203105', '203106', '203107', '203108']) {
      expect(report.created).toContain(`events_p${month}`);
      expect(report.created).toContain(`journal_entries_p${month}`);
    }
    expect(await tableOf(db.dataSource, 'journal_entries', `instance_id = 'ahead'`, [])).toEqual(['journal_entries_p203106']);
    const partitions = await retention.listPartitions();
    expect(partitions.find((p) => p.name === 'journal_entries_p203106')).toMatchObject({ from: new Date('2031-06-01T00:00:00Z'), to: new Date('2031-07-01T00:00:00Z') });
    // Again: nothing left to make.
    expect((await retention.run({ defaultDays: MAX_RETENTION_DAYS, now: new Date('2031-05-10T00:00:00Z') })).created).toEqual([]);
  });

  it('drops the partitions past every retention while events are routed and funnels read, keeping one with an unrouted event until it is routed', async () => {
    const population = await scriptFunnelPopulation(db.dataSource, DEFAULT_WORKSPACE_ID, 'retention-funnel');
    await retention.run({ defaultDays: MAX_RETENTION_DAYS, now: new Date('2019-01-15T00:00:00Z'), monthsAhead: 3 });
    await events.acceptBatch([
      event(DEFAULT_WORKSPACE_ID, 'old-routed', 'old-customer', new Date('2019-02-10T00:00:00Z'), true),
      event(DEFAULT_WORKSPACE_ID, 'old-unrouted', 'old-customer', new Date('2019-03-10T00:00:00Z'), false),
    ]);
    await journal(db.dataSource, DEFAULT_WORKSPACE_ID, 'old-journal', 1, new Date('2019-02-11T00:00:00Z'));
    const [oldUnrouted] = await db.dataSource.query(`SELECT id::text FROM events WHERE message_id = 'old-unrouted'`);
    const funnel = { workspaceId: DEFAULT_WORKSPACE_ID, journeyId: population.journeyId, from: population.from, to: population.to, goal: population.goal };
    const expected = await new JourneyStatsStore(db.dataSource).stats(funnel);
    expect(expected.entered).toBe(1_000);

    // Routing as a gateway does it (accept, list the unrouted of its partitions, mark them routed) and funnels and timelines read, meanwhile.
    let running = true;
    const accepted: string[] = [];
    const routing = (async () => {
      for (let batch = 0; running || batch < 3; batch++) {
        const stored = await events.acceptBatch(Array.from({ length: 20 }, (_, i) => event(DEFAULT_WORKSPACE_ID, `live-${batch}-${i}`, `live-${i % 7}`, new Date(), false)));
        accepted.push(...stored.map((e) => e.id));
        const unrouted = await events.listUnroutedIdsInPartitions(ALL_PARTITIONS, '0', 1_000);
        await events.markRoutedMany(unrouted.filter((id) => id !== oldUnrouted.id));
      }
    })();
    const reads: number[] = [];
    const reading = (async () => {
      while (running || reads.length < 3) {
        const stats = await new JourneyStatsStore(db.dataSource).stats(funnel);
        expect(stats).toEqual(expected);
        await new CustomerTimelineStore(db.dataSource).page(DEFAULT_WORKSPACE_ID, 'c-1', { limit: 20, backward: false, order: 'newest' });
        reads.push(stats.entered);
        await new Promise((resolve) => setTimeout(resolve, 20)); // a dashboard's pace, not a loop without pause
      }
    })();
    let report;
    try {
      report = await retention.run({ defaultDays: 365, lockTimeoutMs: 5_000, lockAttempts: 20 });
    } finally {
      running = false;
      await Promise.all([routing, reading]);
    }

    expect(report.dropped).toEqual(expect.arrayContaining(['events_p201901', 'events_p201902', 'events_p201904', 'journal_entries_p201901', 'journal_entries_p201902', 'journal_entries_p201903']));
    expect(report.dropped).not.toContain('events_p201903');
    expect(report.kept).toEqual([{ partition: 'events_p201903', reason: expect.stringContaining('1 unrouted event') }]);
    expect(await db.dataSource.query(`SELECT 1 FROM events WHERE message_id = 'old-routed'`)).toEqual([]);
    expect(await db.dataSource.query(`SELECT 1 FROM journal_entries WHERE instance_id = 'old-journal'`)).toEqual([]);
    // Nothing unrouted was lost: the old one is still to route, every live one was routed.
    expect(await events.listUnroutedIdsInPartitions(ALL_PARTITIONS, '0', 1_000)).toEqual([oldUnrouted.id]);
    const live: Array<{ count: number }> = await db.dataSource.query(`SELECT count(*)::int AS count FROM events WHERE id = ANY($1::bigint[]) AND routed_at IS NOT NULL`, [accepted]);
    expect(live[0]!.count).toBe(accepted.length);
    expect(reads.length).toBeGreaterThanOrEqual(3);

    await events.markRoutedMany([oldUnrouted.id]);
    const next = await retention.run({ defaultDays: 365 });
    expect(next.dropped).toEqual(['events_p201903']);
    expect(next.kept).toEqual([]);
  }, 240_000);

  it("deletes a workspace's rows past its shorter retention (not another's, not an unrouted event, not a message being sent)", async () => {
    const brand = await new WorkspaceStore(db.dataSource).createWorkspace('brand-retention', 'Brand Retention');
    await retention.setRetention(brand.id, 30);
    expect(await retention.retentionOf(brand.id)).toBe(30);
    const now = new Date();
    const old = new Date(now.getTime() - 60 * DAY);
    const recent = new Date(now.getTime() - 10 * DAY);
    for (const workspaceId of [brand.id, DEFAULT_WORKSPACE_ID]) {
      await events.acceptBatch([event(workspaceId, 'ws-old', 'ws-customer', old, true), event(workspaceId, 'ws-recent', 'ws-customer', recent, true), event(workspaceId, 'ws-old-unrouted', 'ws-customer', old, false)]);
      await journal(db.dataSource, workspaceId, `ws-old-${workspaceId}`, 1, old);
      await journal(db.dataSource, workspaceId, `ws-recent-${workspaceId}`, 1, recent);
      for (const [step, status] of [['delivered', 'delivered'], ['pending', 'pending']]) {
        await db.dataSource.query(
          `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status, created_at) VALUES ($1, 'ws-customer', $2, 'r', $3, 'sms', '+15005550006', 'hi', $4, $5)`,
          [workspaceId, `ws-msg-${workspaceId}`, step, status, old],
        );
      }
    }

    const report = await retention.run({ defaultDays: 365, now, batchSize: 1 });
    expect(report, JSON.stringify(report)).toMatchObject({ dropped: [], kept: [] });
    expect(report.deleted).toMatchObject({ events: 1, journalEntries: 1, messages: 1, eventMessageIds: 1 });
    const left = async (workspaceId: string) => ({
      events: ((await db.dataSource.query(`SELECT message_id FROM events WHERE workspace_id = $1 AND user_id = 'ws-customer' ORDER BY 1`, [workspaceId])) as Array<{ message_id: string }>).map((r) => r.message_id),
      journal: ((await db.dataSource.query(`SELECT instance_id FROM journal_entries WHERE workspace_id = $1 AND instance_id LIKE 'ws-%' ORDER BY 1`, [workspaceId])) as Array<{ instance_id: string }>).map((r) => r.instance_id),
      messages: ((await db.dataSource.query(`SELECT status FROM messages WHERE workspace_id = $1 AND customer_id = 'ws-customer' ORDER BY 1`, [workspaceId])) as Array<{ status: string }>).map((r) => r.status),
    });
    expect(await left(brand.id)).toEqual({ events: ['ws-old-unrouted', 'ws-recent'], journal: [`ws-recent-${brand.id}`], messages: ['pending'] });
    expect(await left(DEFAULT_WORKSPACE_ID)).toEqual({
      events: ['ws-old', 'ws-old-unrouted', 'ws-recent'],
      journal: [`ws-old-${DEFAULT_WORKSPACE_ID}`, `ws-recent-${DEFAULT_WORKSPACE_ID}`],
      messages: ['delivered', 'pending'],
    });
    // Its messageId went with it: sent again, it is a new event; the recent one is still a repeat.
    const [again, repeat] = await events.acceptBatch([event(brand.id, 'ws-old', 'ws-customer', now, true), event(brand.id, 'ws-recent', 'ws-customer', now, true)]);
    expect([again!.inserted, repeat!.inserted]).toEqual([true, false]);

    await retention.setRetention(brand.id, null);
    expect(await retention.retentionOf(brand.id)).toBeNull();
    await expect(retention.setRetention(brand.id, 0)).rejects.toThrow(RetentionInputError);
  });

  it('deletes rows past a shorter retention batch by batch across the months they span, every one of them and no other', async () => {
    const brand = await new WorkspaceStore(db.dataSource).createWorkspace('brand-batches', 'Brand Batches');
    await retention.setRetention(brand.id, 30);
    const now = new Date();
    // 23 journal entries and 23 messages a day apart from 40 days back (two or three months), and the same in the default workspace.
    for (const workspaceId of [brand.id, DEFAULT_WORKSPACE_ID]) {
      for (let day = 0; day < 23; day++) {
        const at = new Date(now.getTime() - (40 + day) * DAY);
        await journal(db.dataSource, workspaceId, `batch-${workspaceId}`, day, at);
        await db.dataSource.query(
          `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status, created_at) VALUES ($1, 'batch-customer', $2, 'r', $3, 'sms', '+15005550006', 'hi', 'delivered', $4)`,
          [workspaceId, `batch-${workspaceId}`, `step-${day}`, at],
        );
      }
    }
    const count = async (table: string, workspaceId: string, where: string) =>
      ((await db.dataSource.query(`SELECT count(*)::int AS count FROM ${table} WHERE workspace_id = $1 AND ${where}`, [workspaceId])) as Array<{ count: number }>)[0]!.count;

    const report = await retention.run({ defaultDays: 365, now, batchSize: 5 });
    expect(report.deleted).toMatchObject({ journalEntries: 23, messages: 23 });
    expect(report.ms.deleteRows).toBeGreaterThanOrEqual(0);
    expect([await count('journal_entries', brand.id, `instance_id = 'batch-${brand.id}'`), await count('messages', brand.id, `customer_id = 'batch-customer'`)]).toEqual([0, 0]);
    expect([
      await count('journal_entries', DEFAULT_WORKSPACE_ID, `instance_id = 'batch-${DEFAULT_WORKSPACE_ID}'`),
      await count('messages', DEFAULT_WORKSPACE_ID, `customer_id = 'batch-customer'`),
    ]).toEqual([23, 23]);
  });

  describe('messages', () => {
    const claimOf = (step: string) => ({
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: 'old-sender',
      instanceId: 'journey/old/old-sender/1',
      runId: 'r',
      step,
      channel: 'in_app' as const,
      to: 'old-sender',
      body: 'hi',
    });
    /** Moves a message into another month (its key, sid and references follow: ON UPDATE CASCADE). */
    const move = (id: string, at: string) => db.dataSource.query(`UPDATE messages SET created_at = $2 WHERE id = $1`, [id, new Date(at)]);

    it('does not make a month whose messages went to the default partition: they stay there with their references', async () => {
      const messages = new MessageStore(db.dataSource);
      const { message } = await messages.claim(claimOf('late'));
      await move(message.id, '2016-05-10T00:00:00Z');
      expect(await tableOf(db.dataSource, 'messages', 'id = $1', [message.id])).toEqual(['messages_default']);

      const report = await retention.run({ defaultDays: MAX_RETENTION_DAYS, now: new Date('2016-05-01T00:00:00Z') });
      expect(report.created).toEqual(expect.arrayContaining(['events_p201605', 'journal_entries_p201605', 'messages_p201606']));
      expect(report.created).not.toContain('messages_p201605');
      expect(report.kept).toEqual([{ partition: 'messages_p201605', reason: expect.stringContaining('holds 1 message(s) of its month') }]);
      // Still the outbox row of its key: a retried claim reads it.
      expect(await messages.claim(claimOf('late'))).toMatchObject({ created: false, message: { id: message.id } });
    });

    it('drops a month past every retention with the keys, sids and inbox entries of its messages; a month holding a message still to be sent is kept until it is sent', async () => {
      const messages = new MessageStore(db.dataSource);
      const transactional = new TransactionalStore(db.dataSource);
      expect((await retention.run({ defaultDays: MAX_RETENTION_DAYS, now: new Date('2017-01-15T00:00:00Z') })).created).toEqual(
        expect.arrayContaining(['messages_p201701', 'messages_p201702', 'messages_p201703', 'messages_p201704']),
      );
      // A sent in-app message with its inbox entry, its sid and a transactional request it answered; one still pending.
      const { message: sent } = await messages.claim(claimOf('sent'));
      const inbox = await new InboxStore(db.dataSource).deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'old-sender', messageId: sent.id, body: 'hi' });
      await messages.markAccepted(sent, `inbox:${inbox.id}`, 'delivered');
      const { message: request } = await transactional.request(DEFAULT_WORKSPACE_ID, { idempotencyKey: 'old-receipt', customerId: 'old-sender', channel: 'in_app', template: 'receipt', data: {} });
      await transactional.complete(request.id, { status: 'sent', messageId: sent.id });
      expect(await transactional.find(DEFAULT_WORKSPACE_ID, { id: request.id })).toMatchObject({ messageId: sent.id, deliveryStatus: 'delivered' });
      const { message: pending } = await messages.claim(claimOf('pending'));
      await move(sent.id, '2017-02-10T00:00:00Z');
      await move(pending.id, '2017-03-10T00:00:00Z');
      expect(await tableOf(db.dataSource, 'messages', 'id = ANY($1::uuid[]) ORDER BY created_at', [[sent.id, pending.id]])).toEqual(['messages_p201702', 'messages_p201703']);
      const references = async (id: string) =>
        (
          (await db.dataSource.query(
            `SELECT 'key' AS what FROM message_keys WHERE message_id = $1 UNION ALL SELECT 'sid' FROM message_sids WHERE message_id = $1
             UNION ALL SELECT 'inbox' FROM inbox_messages WHERE message_id = $1 UNION ALL SELECT 'transactional' FROM transactional_messages WHERE message_id = $1 ORDER BY 1`,
            [id],
          )) as Array<{ what: string }>
        ).map((row) => row.what);
      expect(await references(sent.id)).toEqual(['inbox', 'key', 'sid', 'transactional']);

      // Sends go on meanwhile (claims, with and without frequency caps, in-app deliveries, sids): the drop takes the tables they use.
      let running = true;
      let sends = 0;
      const sending = (async () => {
        const inboxes = new InboxStore(db.dataSource);
        const caps = [{ channel: '*', max: 1_000_000, windowMs: 60_000, label: '*:1000000/1 minute' }];
        for (let i = 0; running || i < 3; i++) {
          const claim = { ...claimOf('live'), instanceId: `journey/live/old-sender/${i}` };
          const claimed = i % 2 === 0 ? await messages.claim(claim) : await messages.claimWithinCaps(claim, caps);
          if (!('message' in claimed)) throw new Error('capped');
          await messages.acquireSend(claimed.message, 60_000);
          const delivered = await inboxes.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'old-sender', messageId: claimed.message.id, body: 'hi' });
          await messages.markAccepted(claimed.message, `inbox:${delivered.id}`, 'delivered');
          sends += 1;
        }
      })();
      let report;
      try {
        report = await retention.run({ defaultDays: 30, now: new Date('2017-06-15T00:00:00Z'), lockTimeoutMs: 5_000, lockAttempts: 20 });
      } finally {
        running = false;
        await sending;
      }
      expect(sends).toBeGreaterThanOrEqual(3);
      expect(report.dropped).toEqual(expect.arrayContaining(['messages_p201701', 'messages_p201702', 'messages_p201704', 'events_p201703', 'journal_entries_p201703']));
      expect(report.dropped).not.toContain('messages_p201703');
      expect(report.kept).toEqual([{ partition: 'messages_p201703', reason: expect.stringContaining('1 message(s) still to be sent') }]);
      expect(report.deleted).toMatchObject({ messageKeys: 2, inboxMessages: 1 });
      expect(await db.dataSource.query(`SELECT 1 FROM messages WHERE id = $1`, [sent.id])).toEqual([]);
      expect(await references(sent.id)).toEqual([]);
      // The transactional request stays (its own retention is not this one), without the link to a message that is gone.
      expect(await transactional.find(DEFAULT_WORKSPACE_ID, { id: request.id })).toMatchObject({ status: 'sent', messageId: null, deliveryStatus: null });
      // The pending one is still the outbox row of its key: a retried send finds it, in its month, and sends it once.
      const retried = await messages.claim(claimOf('pending'));
      expect(retried).toMatchObject({ created: false, message: { id: pending.id, status: 'pending' } });
      expect(await messages.acquireSend(retried.message, 60_000)).toMatchObject({ attempt: 1 });
      await messages.markAccepted(retried.message, 'SM-old-pending', 'queued');

      const next = await retention.run({ defaultDays: 30, now: new Date('2017-06-15T00:00:00Z') });
      expect(next.dropped).toEqual(['messages_p201703']);
      expect(next.kept).toEqual([]);
      expect(next.deleted.messageKeys).toBe(2);
      expect(await references(pending.id)).toEqual([]);
    });
  });

  it("deletes webhook deliveries past their workspace's retention with their attempts, but not one still being retried", async () => {
    const brand = await new WorkspaceStore(db.dataSource).createWorkspace('brand-webhooks', 'Brand Webhooks');
    await retention.setRetention(brand.id, 30);
    const now = new Date();
    const old = new Date(now.getTime() - 60 * DAY);
    const recent = new Date(now.getTime() - 10 * DAY);
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    for (const workspaceId of [brand.id, DEFAULT_WORKSPACE_ID]) {
      const [endpoint] = await db.dataSource.query(
        `INSERT INTO webhook_endpoints (workspace_id, url, event_types, secret) VALUES ($1, 'https://example.com/hook', '{consent.changed}', 'whsec_x') RETURNING id`,
        [workspaceId],
      );
      const rows: Array<[string, Date, string, Date]> = [
        ['delivered-old', old, 'delivered', old],
        ['failed-old', old, 'failed', old],
        ['retrying-old', old, 'pending', ago(0.1)],
        ['stale-old', old, 'pending', old],
        ['delivered-recent', recent, 'delivered', recent],
      ];
      for (const [name, createdAt, status, updatedAt] of rows) {
        await db.dataSource.query(
          `INSERT INTO webhook_deliveries (id, workspace_id, endpoint_id, event_type, payload, status, created_at, updated_at) VALUES ($1, $2, $3, 'consent.changed', '{}', $4, $5, $6)`,
          [`msg_${name}_${workspaceId}`, workspaceId, endpoint.id, status, createdAt, updatedAt],
        );
        await db.dataSource.query(`INSERT INTO webhook_delivery_attempts (delivery_id, replay, attempt, status_code, duration_ms) VALUES ($1, 0, 1, 200, 5)`, [
          `msg_${name}_${workspaceId}`,
        ]);
      }
    }
    const left = async (workspaceId: string) =>
      ((await db.dataSource.query(`SELECT split_part(id, '_', 2) AS name FROM webhook_deliveries WHERE workspace_id = $1 ORDER BY 1`, [workspaceId])) as Array<{ name: string }>).map((r) => r.name);

    const report = await retention.run({ defaultDays: 365, now, batchSize: 1 });
    expect(report.deleted.webhookDeliveries).toBe(3);
    expect(await left(brand.id)).toEqual(['delivered-recent', 'retrying-old']);
    expect(await left(DEFAULT_WORKSPACE_ID)).toEqual(['delivered-old', 'delivered-recent', 'failed-old', 'retrying-old', 'stale-old']);
    // Their attempts went with them.
    const [{ orphans }] = await db.dataSource.query(`SELECT count(*)::int AS orphans FROM webhook_delivery_attempts a WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = a.delivery_id)`);
    expect(orphans).toBe(0);
    const [{ attempts }] = await db.dataSource.query(`SELECT count(*)::int AS attempts FROM webhook_delivery_attempts WHERE delivery_id LIKE $1`, [`%_${brand.id}`]);
    expect(attempts).toBe(2);
    // The default retention applies to the rest: a year on, the default workspace's old ones go too.
    const later = await retention.run({ defaultDays: 365, now: new Date(now.getTime() + 340 * DAY), batchSize: 1000 });
    expect(later.deleted.webhookDeliveries).toBe(5);
    expect(await left(DEFAULT_WORKSPACE_ID)).toEqual(['delivered-recent', 'retrying-old']);
    expect(await left(brand.id)).toEqual([]);
    await retention.setRetention(brand.id, null);
  });

  it('runs one process at a time', async () => {
    // Another process running the retention holds its advisory lock.
    const other = db.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(1732671001)`);
      expect(await retention.run({ defaultDays: 365 })).toMatchObject({ ran: false, created: [], dropped: [] });
      await other.query(`SELECT pg_advisory_unlock(1732671001)`);
      expect((await retention.run({ defaultDays: 365 })).ran).toBe(true);
    } finally {
      await other.release();
    }
  });
});

describe('TimePartitions migration on a database with rows (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);
  afterAll(() => db?.teardown());

  const kind = async (table: string) => ((await db.dataSource.query(`SELECT relkind FROM pg_class WHERE relname = $1`, [table])) as Array<{ relkind: string }>)[0]!.relkind;

  it('moves existing events and journal entries into monthly partitions and back, keeping ids, unique keys, routing and the live change log', async () => {
    const migration = new TimePartitions1732671000001();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect([await kind('events'), await kind('journal_entries')]).toEqual(['r', 'r']);
      const q = (sql: string, parameters: unknown[] = []) => db.dataSource.query(sql, parameters);
      await q(
        `INSERT INTO events (workspace_id, message_id, user_id, type, properties, timestamp, received_at, routed_at, routing_partition)
         SELECT $1, 'm-' || i, 'u-' || (i % 10), 'track', '{}', t, t, CASE WHEN i = 3 THEN NULL ELSE t END, continuum_routing_partition($1, 'u-' || (i % 10))
         FROM generate_series(1, 60) AS i, LATERAL (SELECT timestamptz '2025-01-01' + i * interval '1 day' AS t) AS at`,
        [DEFAULT_WORKSPACE_ID],
      );
      await q(
        `INSERT INTO journal_entries (workspace_id, instance_id, run_id, seq, journey_id, customer_id, type, step, at)
         SELECT $1, 'i-' || (i % 5), 'r', i, 'j', 'c', 'entered', 'entry', timestamptz '2025-01-01' + i * interval '1 day' FROM generate_series(1, 60) AS i`,
        [DEFAULT_WORKSPACE_ID],
      );
      const before = await q(`SELECT id, message_id, received_at FROM events ORDER BY id`);

      await migration.up(runner);
      expect([await kind('events'), await kind('journal_entries')]).toEqual(['p', 'p']);
      expect(await q(`SELECT id, message_id, received_at FROM events ORDER BY id`)).toEqual(before);
      expect(await tableOf(db.dataSource, 'events', `message_id = 'm-45'`, [])).toEqual(['events_p202502']);
      expect(await tableOf(db.dataSource, 'journal_entries', `seq = 1`, [])).toEqual(['journal_entries_p202501']);
      const unrouted = await new EventStore(db.dataSource).listUnroutedIdsInPartitions(ALL_PARTITIONS, '0', 100);
      expect(unrouted).toEqual([String((before as Array<{ id: string; message_id: string }>).find((e) => e.message_id === 'm-3')!.id)]);
      // The messageIds of before are still known; a new event takes the next id and is logged for subscriptions.
      const [repeat, fresh] = await new EventStore(db.dataSource).acceptBatch([event(DEFAULT_WORKSPACE_ID, 'm-7', 'u-7', new Date(), true), event(DEFAULT_WORKSPACE_ID, 'm-new', 'u-7', new Date(), true)]);
      expect(repeat).toMatchObject({ inserted: false, id: String((before as Array<{ id: string; message_id: string }>).find((e) => e.message_id === 'm-7')!.id) });
      expect(Number(fresh!.id)).toBeGreaterThan(60);
      expect(await q(`SELECT kind FROM live_changes WHERE ref = $1`, [fresh!.id])).toEqual([{ kind: 'EVENT' }]);

      await migration.down(runner);
      expect(await kind('events')).toBe('r');
      expect((await q(`SELECT count(*)::int AS count FROM events`))[0].count).toBe(61);
      await expect(q(`INSERT INTO events (workspace_id, message_id, user_id, type, properties, timestamp, received_at) VALUES ($1, 'm-7', 'u', 'track', '{}', now(), now())`, [DEFAULT_WORKSPACE_ID])).rejects.toThrow(/events_message_id_uq/);
      await migration.up(runner);
      expect((await q(`SELECT count(*)::int AS count FROM journal_entries`))[0].count).toBe(60);
    } finally {
      await runner.release();
    }
  });
});

describe('parseRetentionDays (fast-check)', () => {
  it('takes every whole number of days in range, and "default"', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_RETENTION_DAYS, max: MAX_RETENTION_DAYS }), fc.constantFrom('', ' ', '\t'), (days, pad) => {
        expect(parseRetentionDays(`${pad}${days}${pad}`)).toBe(days);
      }),
    );
    expect(parseRetentionDays('default')).toBeNull();
  });

  it('refuses anything else with a message naming the range', () => {
    const outOfRange = fc.oneof(fc.integer({ max: MIN_RETENTION_DAYS - 1 }), fc.integer({ min: MAX_RETENTION_DAYS + 1 })).map(String);
    const notANumber = fc.string().filter((text) => !/^\s*[0-9]+\s*$/.test(text) && text.trim() !== 'default');
    fc.assert(
      fc.property(fc.oneof(outOfRange, notANumber, fc.constantFrom('1.5', '1e3', '-0', '0x10', '30d', '')), (text) => {
        expect(() => parseRetentionDays(text)).toThrow(RetentionInputError);
        expect(() => parseRetentionDays(text)).toThrow(`from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}`);
      }),
    );
  });
});
