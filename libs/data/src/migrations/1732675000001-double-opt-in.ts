import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Double opt-in (docs/messaging.md, "Double opt-in"): a consent grant on a channel whose policy asks
 * for double opt-in is `pending` until the customer confirms (YES), with source and time as always.
 */
export class DoubleOptIn1732675000001 implements MigrationInterface {
  name = 'DoubleOptIn1732675000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE consents DROP CONSTRAINT consents_status_check`);
    await queryRunner.query(`ALTER TABLE consents ADD CONSTRAINT consents_status_check CHECK (status IN ('subscribed', 'unsubscribed', 'pending'))`);
    await queryRunner.query(`ALTER TABLE consent_changes DROP CONSTRAINT consent_changes_status_check`);
    await queryRunner.query(
      `ALTER TABLE consent_changes ADD CONSTRAINT consent_changes_status_check CHECK (status IN ('subscribed', 'unsubscribed', 'unknown', 'pending'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM consents WHERE status = 'pending'`);
    await queryRunner.query(`ALTER TABLE consents DROP CONSTRAINT consents_status_check`);
    await queryRunner.query(`ALTER TABLE consents ADD CONSTRAINT consents_status_check CHECK (status IN ('subscribed', 'unsubscribed'))`);
    await queryRunner.query(`DELETE FROM consent_changes WHERE status = 'pending'`);
    await queryRunner.query(`ALTER TABLE consent_changes DROP CONSTRAINT consent_changes_status_check`);
    await queryRunner.query(`ALTER TABLE consent_changes ADD CONSTRAINT consent_changes_status_check CHECK (status IN ('subscribed', 'unsubscribed', 'unknown'))`);
  }
}
