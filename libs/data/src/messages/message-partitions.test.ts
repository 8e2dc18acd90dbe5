import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { DEFAULT_WORKSPACE_ID, MessageStore } from '../index';
import { MessagePartitions1732680000001 } from '../migrations/1732680000001-message-partitions';

describe('MessagePartitions migration on a database with rows (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);
  afterAll(() => db?.teardown());

  const q = (sql: string, parameters: unknown[] = []) => db.dataSource.query(sql, parameters);
  const kind = async (table: string) => ((await q(`SELECT relkind FROM pg_class WHERE relname = $1`, [table])) as Array<{ relkind: string }>)[0]!.relkind;
  const count = async (sql: string, parameters: unknown[] = []) => ((await q(sql, parameters)) as Array<{ count: number }>)[0]!.count;

  it('moves existing messages into monthly partitions and back, keeping ids, outbox keys, sids and the inbox and transactional references', async () => {
    const migration = new MessagePartitions1732680000001();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await kind('messages')).toBe('r');
      await q(
        `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status, provider_id, created_at)
         SELECT $1, 'c-' || (i % 4), 'journey/m/c/' || i, 'r', 'step', 'sms', '+14155550100', 'hi',
                CASE WHEN i = 3 THEN 'pending' ELSE 'delivered' END, CASE WHEN i = 3 THEN NULL ELSE 'SM-m-' || i END, timestamptz '2025-01-01' + i * interval '1 day'
         FROM generate_series(1, 40) AS i`,
        [DEFAULT_WORKSPACE_ID],
      );
      const before: Array<{ id: string; instance_id: string; provider_id: string | null; created_at: Date }> = await q(
        `SELECT id, instance_id, provider_id, created_at FROM messages ORDER BY instance_id`,
      );
      const idOf = (i: number) => before.find((row) => row.instance_id === `journey/m/c/${i}`)!.id;
      await q(`INSERT INTO inbox_messages (workspace_id, customer_id, message_id, body) VALUES ($1, 'c-1', $2, 'hi')`, [DEFAULT_WORKSPACE_ID, idOf(5)]);
      await q(
        `INSERT INTO transactional_messages (workspace_id, idempotency_key, customer_id, channel, template, request, fingerprint, status, message_id)
         VALUES ($1, 'receipt-6', 'c-2', 'sms', 'receipt', '{}', 'f', 'sent', $2)`,
        [DEFAULT_WORKSPACE_ID, idOf(6)],
      );

      await migration.up(runner);
      expect(await kind('messages')).toBe('p');
      expect(await q(`SELECT id, instance_id, provider_id, created_at FROM messages ORDER BY instance_id`)).toEqual(before);
      expect(await q(`SELECT tableoid::regclass::text AS partition FROM messages WHERE id = $1`, [idOf(40)])).toEqual([{ partition: 'messages_p202502' }]);
      const store = new MessageStore(db.dataSource);
      // The outbox key of before still holds: claiming it again reads the row of before, in its month.
      const again = await store.claim({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'c-3', instanceId: 'journey/m/c/3', runId: 'r', step: 'step', channel: 'sms', to: '+14155550100', body: 'hi' });
      expect(again).toMatchObject({ created: false, message: { id: idOf(3), status: 'pending' } });
      // A sid of before finds its message.
      expect(await store.applyProviderStatus('SM-m-7', 'read', null)).toMatchObject({ id: idOf(7), status: 'read', changed: true });
      // The references carry the message's time: a message deleted takes its inbox entry, and unlinks its transactional request.
      expect(await count(`SELECT count(*)::int AS count FROM inbox_messages WHERE message_created_at = $1`, [before.find((row) => row.id === idOf(5))!.created_at])).toBe(1);
      await q(`DELETE FROM messages WHERE id = ANY($1::uuid[])`, [[idOf(5), idOf(6)]]);
      expect(await count(`SELECT count(*)::int AS count FROM inbox_messages WHERE customer_id = 'c-1'`)).toBe(0);
      expect(await q(`SELECT message_id, message_created_at FROM transactional_messages WHERE idempotency_key = 'receipt-6'`)).toEqual([{ message_id: null, message_created_at: null }]);
      expect(await count(`SELECT count(*)::int AS count FROM message_keys WHERE message_id = ANY($1::uuid[])`, [[idOf(5), idOf(6)]])).toBe(0);

      await migration.down(runner);
      expect(await kind('messages')).toBe('r');
      expect(await count(`SELECT count(*)::int AS count FROM messages`)).toBe(38);
      await expect(
        q(`INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status) VALUES ($1, 'c', 'journey/m/c/3', 'r', 'step', 'sms', '+1', 'hi', 'pending')`, [
          DEFAULT_WORKSPACE_ID,
        ]),
      ).rejects.toThrow(/messages_outbox_uq/);
      await migration.up(runner);
      expect(await count(`SELECT count(*)::int AS count FROM message_keys`)).toBe(38);
      expect(await count(`SELECT count(*)::int AS count FROM message_sids`)).toBe(37);
    } finally {
      await runner.release();
    }
  });
});
