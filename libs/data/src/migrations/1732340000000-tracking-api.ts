import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Segment-compatible tracking API: source write keys (HTTP Basic user name), the spec's common
 * fields on events, every Segment call type, and a routing error for events no retry can deliver.
 */
export class TrackingApi1732340000000 implements MigrationInterface {
  name = 'TrackingApi1732340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE source_write_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX source_write_keys_workspace_idx ON source_write_keys (workspace_id)`);
    await queryRunner.query(`
      ALTER TABLE events
        ADD COLUMN anonymous_id text,
        ADD COLUMN group_id text,
        ADD COLUMN previous_id text,
        ADD COLUMN context jsonb,
        ADD COLUMN integrations jsonb,
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN original_timestamp timestamptz,
        ADD COLUMN source_id uuid REFERENCES source_write_keys(id) ON DELETE SET NULL,
        ADD COLUMN routing_error text`);
    await queryRunner.query(`ALTER TABLE events DROP CONSTRAINT IF EXISTS events_type_check`);
    await queryRunner.query(
      `ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN ('track', 'identify', 'page', 'screen', 'group', 'alias'))`,
    );
    await queryRunner.query(`CREATE INDEX events_anonymous_idx ON events (workspace_id, anonymous_id) WHERE anonymous_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS events_anonymous_idx`);
    await queryRunner.query(`DELETE FROM events WHERE type NOT IN ('track', 'identify')`);
    await queryRunner.query(`ALTER TABLE events DROP CONSTRAINT IF EXISTS events_type_check`);
    await queryRunner.query(`ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN ('track', 'identify'))`);
    await queryRunner.query(`
      ALTER TABLE events
        DROP COLUMN anonymous_id, DROP COLUMN group_id, DROP COLUMN previous_id, DROP COLUMN context,
        DROP COLUMN integrations, DROP COLUMN sent_at, DROP COLUMN original_timestamp, DROP COLUMN source_id,
        DROP COLUMN routing_error`);
    await queryRunner.query(`DROP TABLE IF EXISTS source_write_keys`);
  }
}
