import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transactional messages (a receipt, a one-time code) asked for through `sendMessage`: one row per
 * (workspace, idempotency key), so the same key never sends twice, linked to its outbox message.
 */
export class TransactionalMessages1732450000000 implements MigrationInterface {
  name = 'TransactionalMessages1732450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE transactional_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        idempotency_key text NOT NULL,
        customer_id text NOT NULL,
        channel text NOT NULL,
        template text NOT NULL,
        request jsonb NOT NULL,
        fingerprint text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
        message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX transactional_messages_customer_idx ON transactional_messages (workspace_id, customer_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS transactional_messages`);
  }
}
