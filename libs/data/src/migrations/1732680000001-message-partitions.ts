import type { MigrationInterface, QueryRunner } from 'typeorm';
import { toPartitioned, toUnpartitioned, type PartitionedTable } from './1732671000001-time-partitions';

/**
 * `messages` (the send outbox) becomes range-partitioned by month on `created_at`, like events and
 * the journal, so that the retention drops a month with one DROP TABLE (see RetentionStore). What
 * PostgreSQL asks of a partitioned table (every unique key, every referenced key holds the partition
 * key) is met this way:
 * - the primary key is (id, created_at); ids still come from gen_random_uuid(), so `id` alone finds a row;
 * - the outbox's idempotency key (instance_id, run_id, step) lives in `message_keys`, a narrow table
 *   claimed in the same statement as the message insert (MessageStore.claim), which points at the
 *   message's (id, created_at): a retry finds the key and reads the row of the first attempt;
 * - provider sids live in `message_sids` (sid → message), unique as `messages_provider_id_uq` was;
 * - `inbox_messages` and `transactional_messages` carry `message_created_at` in their foreign keys;
 * - the key and sid tables reference the message too, so that deleting a message (erasure, a shorter
 *   retention) takes its key, its sid and its inbox entry with it, as the foreign keys did before.
 *
 * The rows are copied into the partitioned table: on a large database this takes time proportional
 * to the rows (docs/operating.md, "Retention").
 */
export class MessagePartitions1732680000001 implements MigrationInterface {
  name = 'MessagePartitions1732680000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE message_keys (
        instance_id text NOT NULL,
        run_id text NOT NULL,
        step text NOT NULL,
        message_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (instance_id, run_id, step)
      )`);
    await queryRunner.query(`INSERT INTO message_keys (instance_id, run_id, step, message_id, created_at) SELECT instance_id, run_id, step, id, created_at FROM messages`);
    await queryRunner.query(`
      CREATE TABLE message_sids (
        provider_id text PRIMARY KEY,
        message_id uuid NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO message_sids (provider_id, message_id, created_at) SELECT provider_id, id, created_at FROM messages WHERE provider_id IS NOT NULL`);
    for (const { table } of REFERENCING) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_message_id_fkey`);
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN message_created_at timestamptz`);
      await queryRunner.query(`UPDATE ${table} t SET message_created_at = m.created_at FROM messages m WHERE m.id = t.message_id`);
    }
    await toPartitioned(queryRunner, MESSAGES);
    for (const { table, column, onDelete } of REFERENCES) {
      // (created_at, message_id): the foreign key's lookups when a message goes, and the retention's deletes by month.
      // ON UPDATE CASCADE: Continuum never changes a message's time, but whoever does moves its references with it.
      await queryRunner.query(`CREATE INDEX ${table}_message_idx ON ${table} (${column}, message_id)`);
      await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_message_fkey FOREIGN KEY (message_id, ${column}) REFERENCES messages (id, created_at) ON DELETE ${onDelete} ON UPDATE CASCADE`);
    }
    for (const { table } of REFERENCING) {
      // Both or neither: a reference without its time would escape the foreign key.
      await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_message_time_check CHECK ((message_id IS NULL) = (message_created_at IS NULL))`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table } of REFERENCES) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_message_fkey`);
      await queryRunner.query(`DROP INDEX ${table}_message_idx`);
    }
    await toUnpartitioned(queryRunner, MESSAGES);
    for (const { table, onDelete } of REFERENCING) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_message_time_check`);
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN message_created_at`);
      // A message the plain table did not take back (a repeated outbox key or sid) is no longer referenced.
      const gone = `NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = ${table}.message_id)`;
      if (onDelete === 'CASCADE') await queryRunner.query(`DELETE FROM ${table} WHERE message_id IS NOT NULL AND ${gone}`);
      else await queryRunner.query(`UPDATE ${table} SET message_id = NULL WHERE message_id IS NOT NULL AND ${gone}`);
      await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_message_id_fkey FOREIGN KEY (message_id) REFERENCES messages(id) ON DELETE ${onDelete}`);
    }
    await queryRunner.query(`DROP TABLE message_sids`);
    await queryRunner.query(`DROP TABLE message_keys`);
  }
}

/** The tables that referenced a message by its id alone, and what happened to them when it went. */
const REFERENCING = [
  { table: 'inbox_messages', onDelete: 'CASCADE' },
  { table: 'transactional_messages', onDelete: 'SET NULL' },
] as const;

const REFERENCES = [
  { table: 'message_keys', column: 'created_at', onDelete: 'CASCADE' },
  { table: 'message_sids', column: 'created_at', onDelete: 'CASCADE' },
  ...REFERENCING.map(({ table, onDelete }) => ({ table, column: 'message_created_at', onDelete })),
] as const;

const STATUS_CHANGED = `FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)`;

const MESSAGES: PartitionedTable = {
  table: 'messages',
  key: 'created_at',
  sequence: false,
  foreignKeys: [`FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE`],
  indexes: [
    // Not unique any more: the outbox key is message_keys' primary key. Kept for an instance's messages (journey stats).
    `CREATE INDEX messages_outbox_idx ON messages (instance_id, run_id, step)`,
    `CREATE INDEX messages_customer_idx ON messages (workspace_id, customer_id, created_at)`,
    `CREATE INDEX messages_customer_channel_idx ON messages (workspace_id, customer_id, channel, created_at)`,
    `CREATE INDEX messages_customer_page_idx ON messages (workspace_id, customer_id, created_at, id)`,
    `CREATE INDEX messages_read_at_idx ON messages (workspace_id, read_at) INCLUDE (customer_id, channel) WHERE read_at IS NOT NULL`,
    `CREATE INDEX messages_retention_idx ON messages (workspace_id, created_at)`,
    // The retention keeps a month that holds a message still to be sent: this finds one without reading the month.
    `CREATE INDEX messages_unsent_idx ON messages (created_at) WHERE status IN ('pending', 'sending')`,
  ],
  unpartitionedIndexes: [
    `CREATE UNIQUE INDEX messages_outbox_uq ON messages (instance_id, run_id, step)`,
    `CREATE UNIQUE INDEX messages_provider_id_uq ON messages (provider_id) WHERE provider_id IS NOT NULL`,
    `CREATE INDEX messages_customer_idx ON messages (workspace_id, customer_id, created_at)`,
    `CREATE INDEX messages_customer_channel_idx ON messages (workspace_id, customer_id, channel, created_at)`,
    `CREATE INDEX messages_customer_page_idx ON messages (workspace_id, customer_id, created_at, id)`,
    `CREATE INDEX messages_read_at_idx ON messages (workspace_id, read_at) INCLUDE (customer_id, channel) WHERE read_at IS NOT NULL`,
    `CREATE INDEX messages_retention_idx ON messages (workspace_id, created_at)`,
  ],
  triggers: [
    `CREATE TRIGGER messages_notify_activity AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION continuum_notify_activity('MESSAGE')`,
    `CREATE TRIGGER messages_notify_status AFTER UPDATE OF status ON messages ${STATUS_CHANGED} EXECUTE FUNCTION continuum_notify_activity('MESSAGE')`,
    `CREATE TRIGGER messages_log_change AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION continuum_log_activity()`,
    `CREATE TRIGGER messages_log_status AFTER UPDATE OF status ON messages ${STATUS_CHANGED} EXECUTE FUNCTION continuum_log_activity()`,
    `CREATE TRIGGER messages_webhook_created AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION continuum_webhook_message()`,
    `CREATE TRIGGER messages_webhook_status AFTER UPDATE OF status ON messages ${STATUS_CHANGED} EXECUTE FUNCTION continuum_webhook_message()`,
  ],
};
