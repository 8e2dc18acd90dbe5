import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant administration: the audit trail of every workspace, API key and source write key action,
 * through GraphQL (actor: the API key) or the admin CLI (actor: "cli") or the bootstrap at start.
 */
export class AdminAudit1732529000000 implements MigrationInterface {
  name = 'AdminAudit1732529000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE admin_audit (
        id bigserial PRIMARY KEY,
        workspace_id uuid REFERENCES workspaces(id) ON DELETE CASCADE,
        actor_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        actor text NOT NULL,
        action text NOT NULL,
        target text,
        input jsonb NOT NULL DEFAULT '{}'::jsonb,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'error')),
        message text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX admin_audit_workspace_idx ON admin_audit (workspace_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS admin_audit`);
  }
}
