import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messaging governance: a token bucket per sender for the messages-per-second limit every worker
 * shares, and an index for counting a customer's recent messages per channel (frequency caps).
 */
export class MessagingGovernance1732420000000 implements MigrationInterface {
  name = 'MessagingGovernance1732420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE send_rate_buckets (
        sender text PRIMARY KEY,
        tokens double precision NOT NULL,
        refilled_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX messages_customer_channel_idx ON messages (workspace_id, customer_id, channel, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS messages_customer_channel_idx`);
    await queryRunner.query(`DROP TABLE IF EXISTS send_rate_buckets`);
  }
}
