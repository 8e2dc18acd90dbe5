import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data that grows forever is kept for a retention period: `events` (by `received_at`) and
 * `journal_entries` (by `at`) become range-partitioned by month, so that a month past every
 * workspace's retention goes with one DROP TABLE (see RetentionStore). PostgreSQL wants every unique
 * key of a partitioned table to hold the partition key: the primary keys become (id, time), the
 * journal's idempotency key (instance_id, run_id, seq, at) (a retried activity writes the same `at`),
 * and an event's messageId is made unique by `event_message_ids`, a narrow table the retention prunes
 * too. A workspace may keep its data for less than the others (`workspaces.retention_days`).
 *
 * The rows are copied into the partitioned tables: on a large database this migration takes time
 * proportional to the rows (docs/operating.md, "Retention").
 */
export class TimePartitions1732671000001 implements MigrationInterface {
  name = 'TimePartitions1732671000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE workspaces ADD COLUMN retention_days integer CHECK (retention_days BETWEEN 1 AND 36500)`);
    await queryRunner.query(`
      CREATE TABLE event_message_ids (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        message_id text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, message_id)
      )`);
    await queryRunner.query(`CREATE INDEX event_message_ids_received_idx ON event_message_ids (received_at)`);
    await queryRunner.query(`INSERT INTO event_message_ids (workspace_id, message_id, received_at) SELECT workspace_id, message_id, received_at FROM events`);

    // Messages stay one table (the send outbox: see RetentionStore); the retention deletes a workspace's old ones by this index.
    await queryRunner.query(`CREATE INDEX messages_retention_idx ON messages (workspace_id, created_at)`);
    await recognisePartitionsInActivityTriggers(queryRunner);
    for (const table of PARTITIONED) await toPartitioned(queryRunner, table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...PARTITIONED].reverse()) await toUnpartitioned(queryRunner, table);
    await queryRunner.query(NOTIFY_ACTIVITY);
    await queryRunner.query(LOG_ACTIVITY);
    await queryRunner.query(`DROP INDEX messages_retention_idx`);
    await queryRunner.query(`DROP TABLE event_message_ids`);
    await queryRunner.query(`ALTER TABLE workspaces DROP COLUMN retention_days`);
  }
}

export interface PartitionedTable {
  table: string;
  /** The time column the table is partitioned by. */
  key: string;
  foreignKeys: string[];
  /** Indexes of the partitioned table (each partition gets its own). */
  indexes: string[];
  /** The indexes before: unique ones without the partition key. */
  unpartitionedIndexes: string[];
  triggers: string[];
  /** The id comes from `<table>_id_seq` (default true; false: a uuid default). */
  sequence?: boolean;
}

const PARTITIONED: PartitionedTable[] = [
  {
    table: 'events',
    key: 'received_at',
    foreignKeys: [
      `FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE`,
      `FOREIGN KEY (source_id) REFERENCES source_write_keys(id) ON DELETE SET NULL`,
    ],
    indexes: [
      `CREATE INDEX events_message_id_idx ON events (workspace_id, message_id)`,
      `CREATE INDEX events_user_idx ON events (workspace_id, user_id, received_at)`,
      `CREATE INDEX events_unrouted_idx ON events (id) WHERE routed_at IS NULL`,
      `CREATE INDEX events_anonymous_idx ON events (workspace_id, anonymous_id) WHERE anonymous_id IS NOT NULL`,
      `CREATE INDEX events_user_id_idx ON events (workspace_id, user_id, id)`,
      `CREATE INDEX events_user_timestamp_idx ON events (workspace_id, user_id, timestamp)`,
      `CREATE INDEX events_name_user_time_idx ON events (workspace_id, user_id, name, timestamp) WHERE type = 'track'`,
      `CREATE INDEX events_unrouted_by_partition_idx ON events (routing_partition, id) WHERE routed_at IS NULL`,
      `CREATE INDEX events_unrouted_by_customer_idx ON events (workspace_id, user_id, id) WHERE routed_at IS NULL`,
    ],
    unpartitionedIndexes: [
      `CREATE UNIQUE INDEX events_message_id_uq ON events (workspace_id, message_id)`,
      `CREATE INDEX events_user_idx ON events (workspace_id, user_id, received_at)`,
      `CREATE INDEX events_unrouted_idx ON events (id) WHERE routed_at IS NULL`,
      `CREATE INDEX events_anonymous_idx ON events (workspace_id, anonymous_id) WHERE anonymous_id IS NOT NULL`,
      `CREATE INDEX events_user_id_idx ON events (workspace_id, user_id, id)`,
      `CREATE INDEX events_user_timestamp_idx ON events (workspace_id, user_id, timestamp)`,
      `CREATE INDEX events_name_user_time_idx ON events (workspace_id, user_id, name, timestamp) WHERE type = 'track'`,
      `CREATE INDEX events_unrouted_by_partition_idx ON events (routing_partition, id) WHERE routed_at IS NULL`,
      `CREATE INDEX events_unrouted_by_customer_idx ON events (workspace_id, user_id, id) WHERE routed_at IS NULL`,
    ],
    triggers: [
      `CREATE TRIGGER events_notify_activity AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION continuum_notify_activity('EVENT')`,
      `CREATE TRIGGER events_log_change AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION continuum_log_activity()`,
    ],
  },
  {
    table: 'journal_entries',
    key: 'at',
    foreignKeys: [`FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE`],
    indexes: [
      `CREATE UNIQUE INDEX journal_entries_instance_seq_uq ON journal_entries (instance_id, run_id, seq, at)`,
      `CREATE INDEX journal_entries_customer_idx ON journal_entries (workspace_id, customer_id, at)`,
      `CREATE INDEX journal_entries_journey_at_idx ON journal_entries (workspace_id, journey_id, at) INCLUDE (instance_id, run_id, type, step)`,
      `CREATE INDEX journal_entries_experiment_idx ON journal_entries (workspace_id, journey_id, step, at) INCLUDE (customer_id) WHERE type = 'experiment.assigned'`,
    ],
    unpartitionedIndexes: [
      `CREATE UNIQUE INDEX journal_entries_instance_seq_uq ON journal_entries (instance_id, run_id, seq)`,
      `CREATE INDEX journal_entries_customer_idx ON journal_entries (workspace_id, customer_id, at)`,
      `CREATE INDEX journal_entries_journey_at_idx ON journal_entries (workspace_id, journey_id, at) INCLUDE (instance_id, run_id, type, step)`,
      `CREATE INDEX journal_entries_experiment_idx ON journal_entries (workspace_id, journey_id, step, at) INCLUDE (customer_id) WHERE type = 'experiment.assigned'`,
    ],
    triggers: [
      `CREATE TRIGGER journal_entries_notify_activity AFTER INSERT ON journal_entries FOR EACH ROW EXECUTE FUNCTION continuum_notify_activity('JOURNEY_STEP')`,
      `CREATE TRIGGER journal_entries_log_change AFTER INSERT ON journal_entries FOR EACH ROW EXECUTE FUNCTION continuum_log_activity()`,
    ],
  },
];

/** The trigger functions as LiveUpdates and LiveChanges made them (they told the tables apart by TG_TABLE_NAME). */
const NOTIFY_ACTIVITY = `
  CREATE OR REPLACE FUNCTION continuum_notify_activity() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    kind text := TG_ARGV[0];
    customer text;
    instance text;
    payload text;
  BEGIN
    IF TG_TABLE_NAME = 'events' THEN
      customer := NEW.user_id;
    ELSE
      customer := NEW.customer_id;
      instance := NEW.instance_id;
    END IF;
    payload := json_build_object('workspace_id', NEW.workspace_id, 'customer_id', customer, 'instance_id', instance, 'kind', kind, 'id', NEW.id::text)::text;
    IF octet_length(payload) > 7900 THEN
      payload := json_build_object('workspace_id', NEW.workspace_id, 'customer_id', NULL, 'instance_id', NULL, 'kind', kind, 'id', NEW.id::text)::text;
    END IF;
    PERFORM pg_notify('continuum_activity', payload);
    RETURN NULL;
  END
  $$`;
const LOG_ACTIVITY = `
  CREATE OR REPLACE FUNCTION continuum_log_activity() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_TABLE_NAME = 'events' THEN
      INSERT INTO live_changes (workspace_id, stream, scope, kind, ref) VALUES (NEW.workspace_id, 'activity', NEW.user_id, 'EVENT', NEW.id::text);
    ELSIF TG_TABLE_NAME = 'journal_entries' THEN
      INSERT INTO live_changes (workspace_id, stream, scope, instance_id, run_id, kind, ref)
      VALUES (NEW.workspace_id, 'activity', NEW.customer_id, NEW.instance_id, NEW.run_id, 'JOURNEY_STEP', NEW.id::text);
    ELSE
      INSERT INTO live_changes (workspace_id, stream, scope, instance_id, kind, ref) VALUES (NEW.workspace_id, 'activity', NEW.customer_id, NEW.instance_id, 'MESSAGE', NEW.id::text);
    END IF;
    RETURN NULL;
  END
  $$`;

/**
 * A row trigger of a partitioned table runs with the partition's name as TG_TABLE_NAME
 * (`events_p202612`): the activity trigger functions recognise the partitions of events and of the
 * journal by name. Run again after an older migration re-creates them (a test migrating down and up).
 */
export async function recognisePartitionsInActivityTriggers(queryRunner: Pick<QueryRunner, 'query'>): Promise<void> {
  const events = `(TG_TABLE_NAME = 'events' OR TG_TABLE_NAME ~ '^events_(p[0-9]{6}|default)$')`;
  const journal = `(TG_TABLE_NAME = 'journal_entries' OR TG_TABLE_NAME ~ '^journal_entries_(p[0-9]{6}|default)$')`;
  // (replaced by a function: the patterns' `$'` would be a replacement pattern)
  await queryRunner.query(NOTIFY_ACTIVITY.replace(`TG_TABLE_NAME = 'events'`, () => events));
  await queryRunner.query(LOG_ACTIVITY.replace(`TG_TABLE_NAME = 'events'`, () => events).replace(`TG_TABLE_NAME = 'journal_entries'`, () => journal));
}

/** Months of partitions made ahead of now (the retention job keeps making them, see RetentionStore). */
const MONTHS_AHEAD = 3;

const indexName = (definition: string) => /INDEX (\S+) ON/.exec(definition)![1]!;

/** Moves `table` aside, makes it again partitioned by month (one partition per month of its rows, and a default one), copies its rows over. */
export async function toPartitioned(queryRunner: QueryRunner, spec: PartitionedTable): Promise<void> {
  const { table, key } = spec;
  const old = `${table}_unpartitioned`;
  await queryRunner.query(`ALTER TABLE ${table} RENAME TO ${old}`);
  await queryRunner.query(`ALTER TABLE ${old} RENAME CONSTRAINT ${table}_pkey TO ${old}_pkey`);
  for (const definition of spec.unpartitionedIndexes) await queryRunner.query(`DROP INDEX ${indexName(definition)}`);
  await queryRunner.query(`CREATE TABLE ${table} (LIKE ${old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY RANGE (${key})`);
  await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id, ${key})`);
  for (const foreignKey of spec.foreignKeys) await queryRunner.query(`ALTER TABLE ${table} ADD ${foreignKey}`);
  const [range]: Array<{ first: Date; last: Date }> = await queryRunner.query(
    `SELECT date_trunc('month', LEAST(min(${key}), now()), 'UTC') AS first,
            date_trunc('month', GREATEST(max(${key}), now()), 'UTC') + make_interval(months => ${MONTHS_AHEAD}) AS last FROM ${old}`,
  );
  for (let month = new Date(range!.first); month <= range!.last; month = nextMonth(month)) {
    await queryRunner.query(
      `CREATE TABLE ${partitionName(table, month)} PARTITION OF ${table} FOR VALUES FROM ('${month.toISOString()}') TO ('${nextMonth(month).toISOString()}')`,
    );
  }
  await queryRunner.query(`CREATE TABLE ${table}_default PARTITION OF ${table} DEFAULT`);
  await queryRunner.query(`INSERT INTO ${table} SELECT * FROM ${old}`);
  for (const definition of spec.indexes) await queryRunner.query(definition);
  for (const trigger of spec.triggers) await queryRunner.query(trigger);
  if (spec.sequence !== false) await queryRunner.query(`ALTER SEQUENCE ${table}_id_seq OWNED BY ${table}.id`);
  await queryRunner.query(`DROP TABLE ${old}`);
}

/** The way back: one plain table with the rows of every partition and the unique keys of before. */
export async function toUnpartitioned(queryRunner: QueryRunner, spec: PartitionedTable): Promise<void> {
  const { table } = spec;
  const old = `${table}_partitioned`;
  await queryRunner.query(`ALTER TABLE ${table} RENAME TO ${old}`);
  await queryRunner.query(`ALTER TABLE ${old} RENAME CONSTRAINT ${table}_pkey TO ${old}_pkey`);
  for (const definition of spec.indexes) await queryRunner.query(`DROP INDEX ${indexName(definition)}`);
  await queryRunner.query(`CREATE TABLE ${table} (LIKE ${old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`);
  await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id)`);
  for (const foreignKey of spec.foreignKeys) await queryRunner.query(`ALTER TABLE ${table} ADD ${foreignKey}`);
  for (const definition of spec.unpartitionedIndexes) await queryRunner.query(definition);
  // The unique keys of before hold again: a repeat the partitioned table let in (same key, another time) keeps its first row.
  await queryRunner.query(`INSERT INTO ${table} SELECT * FROM ${old} ORDER BY id ON CONFLICT DO NOTHING`);
  for (const trigger of spec.triggers) await queryRunner.query(trigger);
  if (spec.sequence !== false) await queryRunner.query(`ALTER SEQUENCE ${table}_id_seq OWNED BY ${table}.id`);
  await queryRunner.query(`DROP TABLE ${old}`);
}

function nextMonth(month: Date): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
}

/** `journal_entries_p202612`: the partition of December 2026 (UTC). */
export function partitionName(table: string, month: Date): string {
  return `${table}_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}
