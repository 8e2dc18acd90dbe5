import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox send attempts: how many times a row's provider call was started and when the first one
 * was. A second attempt (a retried activity, a worker that died mid-call) first asks the provider
 * whether the first one was accepted after all, instead of sending again.
 */
export class OutboxSendAttempts1732430000000 implements MigrationInterface {
  name = 'OutboxSendAttempts1732430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN send_attempts integer NOT NULL DEFAULT 0, ADD COLUMN first_send_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN IF EXISTS first_send_at, DROP COLUMN IF EXISTS send_attempts`);
  }
}
