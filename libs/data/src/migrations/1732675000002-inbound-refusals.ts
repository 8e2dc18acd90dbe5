import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbound messages to a number or address no workspace has (docs/messaging.md, "Inbound to its
 * workspace"): refused, and kept here for operators (who wrote, to what, when, through which provider).
 */
export class InboundRefusals1732675000002 implements MigrationInterface {
  name = 'InboundRefusals1732675000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbound_refusals (
        id bigserial PRIMARY KEY,
        provider text NOT NULL CHECK (provider IN ('twilio', 'sendgrid')),
        channel text NOT NULL,
        to_address text NOT NULL,
        from_address text NOT NULL,
        provider_message_id text,
        reason text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX inbound_refusals_received_idx ON inbound_refusals (received_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS inbound_refusals`);
  }
}
