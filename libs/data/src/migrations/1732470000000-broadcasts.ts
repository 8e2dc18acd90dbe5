import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Broadcasts: a template sent to every member of an audience, and what happened to each recipient. */
export class Broadcasts1732470000000 implements MigrationInterface {
  name = 'Broadcasts1732470000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE broadcasts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        audience_id uuid NOT NULL REFERENCES audiences(id) ON DELETE RESTRICT,
        template text NOT NULL,
        channel text NOT NULL,
        rate_per_second double precision NOT NULL CHECK (rate_per_second > 0),
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'paused', 'cancelled', 'completed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE broadcast_recipients (
        broadcast_id uuid NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('sent', 'skipped', 'failed')),
        reason text,
        message_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (broadcast_id, customer_id)
      )`);
    await queryRunner.query(`CREATE INDEX broadcast_recipients_outcome_idx ON broadcast_recipients (broadcast_id, outcome, reason)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS broadcast_recipients`);
    await queryRunner.query(`DROP TABLE IF EXISTS broadcasts`);
  }
}
