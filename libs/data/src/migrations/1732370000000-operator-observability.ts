import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Observability for journey teams and operators: indexes for the per-customer timeline and the
 * journey instance list, and the audit trail of operator actions on running instances.
 */
export class OperatorObservability1732370000000 implements MigrationInterface {
  name = 'OperatorObservability1732370000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // profile.timeline pages each source by its own time, newest or oldest first.
    await queryRunner.query(`CREATE INDEX events_user_timestamp_idx ON events (workspace_id, user_id, timestamp)`);
    // journeyInstances: newest entries first (a backward scan gives started_at, instance_id, run_id
    // all descending, the keyset order), in the workspace, by journey and status, by customer.
    await queryRunner.query(`CREATE INDEX journey_instances_started_idx ON journey_instances (workspace_id, started_at, instance_id, run_id)`);
    await queryRunner.query(`CREATE INDEX journey_instances_journey_started_idx ON journey_instances (workspace_id, journey_id, status, started_at)`);
    await queryRunner.query(`CREATE INDEX journey_instances_customer_started_idx ON journey_instances (workspace_id, customer_id, started_at)`);
    await queryRunner.query(`
      CREATE TABLE operator_audit (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        actor_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        actor_name text NOT NULL,
        action text NOT NULL,
        instance_id text,
        customer_id text,
        target text NOT NULL,
        input jsonb NOT NULL DEFAULT '{}'::jsonb,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'error')),
        message text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX operator_audit_workspace_idx ON operator_audit (workspace_id, id)`);
    await queryRunner.query(`CREATE INDEX operator_audit_instance_idx ON operator_audit (workspace_id, instance_id, id)`);
    await queryRunner.query(`CREATE INDEX operator_audit_customer_idx ON operator_audit (workspace_id, customer_id, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS operator_audit`);
    for (const index of ['journey_instances_customer_started_idx', 'journey_instances_journey_started_idx', 'journey_instances_started_idx', 'events_user_timestamp_idx']) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
