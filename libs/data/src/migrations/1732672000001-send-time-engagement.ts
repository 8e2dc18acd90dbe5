import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Send-time optimisation reads when customers engaged: a message's read report (`read`, which the
 * status check lacked: a read report could not be stored) with its time (`read_at`), and inbound
 * replies and clicks (`Message Received`, `Message Clicked` events). The partial indexes keep the
 * market-wide reads (a country's or the workspace's recent engagement) off the whole tables.
 */
export class SendTimeEngagement1732672000001 implements MigrationInterface {
  name = 'SendTimeEngagement1732672000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_status_check`);
    await queryRunner.query(
      `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sending', 'queued', 'sent', 'delivered', 'read', 'undelivered', 'failed'))`,
    );
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN read_at timestamptz`);
    await queryRunner.query(`CREATE INDEX messages_read_at_idx ON messages (workspace_id, read_at) INCLUDE (customer_id, channel) WHERE read_at IS NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX events_engagement_idx ON events (workspace_id, timestamp) INCLUDE (user_id) WHERE type = 'track' AND name IN ('Message Received', 'Message Clicked')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS events_engagement_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS messages_read_at_idx`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN IF EXISTS read_at`);
    await queryRunner.query(`ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_status_check`);
    await queryRunner.query(
      `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sending', 'queued', 'sent', 'delivered', 'undelivered', 'failed'))`,
    );
  }
}
