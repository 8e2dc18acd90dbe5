import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The governance policy of each workspace (docs/messaging.md, "Policy layers"): every save is a new
 * version (whole document, what changed, author, time); the newest is in force. The sender numbers a
 * policy names belong to its workspace (inbound messages to them land there).
 */
export class MessagingPolicies1732674000001 implements MigrationInterface {
  name = 'MessagingPolicies1732674000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE messaging_policy_versions (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 1),
        document jsonb NOT NULL,
        changes jsonb NOT NULL DEFAULT '[]'::jsonb,
        author text NOT NULL,
        author_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE messaging_policy_senders (
        address text PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX messaging_policy_senders_workspace_idx ON messaging_policy_senders (workspace_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS messaging_policy_senders`);
    await queryRunner.query(`DROP TABLE IF EXISTS messaging_policy_versions`);
  }
}
