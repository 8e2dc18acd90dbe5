import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Broadcasts run more than once (a recurring schedule) and may enrol members in a journey instead
 * of sending a template: each run has its own recipients (keyed by run and customer) and progress.
 * Existing broadcasts become one run each (number 1, workflow id `broadcast/<id>`), keeping their
 * recipients; their members inside quiet hours were skipped, so they keep `quiet_hours = 'skip'`.
 */
export class BroadcastRuns1732480000000 implements MigrationInterface {
  name = 'BroadcastRuns1732480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE broadcasts ALTER COLUMN template DROP NOT NULL, ALTER COLUMN channel DROP NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE broadcasts
        ADD COLUMN journey_id text,
        ADD COLUMN entry jsonb,
        ADD COLUMN quiet_hours text NOT NULL DEFAULT 'skip' CHECK (quiet_hours IN ('skip', 'queue')),
        ADD COLUMN schedule jsonb,
        ADD CONSTRAINT broadcasts_action_check CHECK (
          (template IS NOT NULL AND channel IS NOT NULL AND journey_id IS NULL) OR (template IS NULL AND journey_id IS NOT NULL AND entry IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_status_check`);
    await queryRunner.query(`ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_status_check CHECK (status IN ('scheduled', 'running', 'paused', 'cancelled', 'completed'))`);
    await queryRunner.query(`
      CREATE TABLE broadcast_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        broadcast_id uuid NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
        number integer NOT NULL,
        workflow_id text NOT NULL UNIQUE,
        scheduled_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'paused', 'cancelled', 'completed')),
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        UNIQUE (broadcast_id, number)
      )`);
    await queryRunner.query(`
      INSERT INTO broadcast_runs (broadcast_id, number, workflow_id, scheduled_at, status, started_at, ended_at)
      SELECT id, 1, 'broadcast/' || id, created_at, status, created_at, CASE WHEN status IN ('cancelled', 'completed') THEN updated_at END
      FROM broadcasts`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients ADD COLUMN run_id uuid REFERENCES broadcast_runs(id) ON DELETE CASCADE`);
    await queryRunner.query(`UPDATE broadcast_recipients r SET run_id = u.id FROM broadcast_runs u WHERE u.broadcast_id = r.broadcast_id`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients ALTER COLUMN run_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients DROP CONSTRAINT broadcast_recipients_pkey`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients ADD PRIMARY KEY (run_id, customer_id)`);
    // `entered`: a journey broadcast started the member's instance; `queued`: waiting for their quiet hours to end (until `due_at`).
    await queryRunner.query(`ALTER TABLE broadcast_recipients DROP CONSTRAINT broadcast_recipients_outcome_check`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients ADD CONSTRAINT broadcast_recipients_outcome_check CHECK (outcome IN ('sent', 'entered', 'skipped', 'failed', 'queued'))`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients ADD COLUMN due_at timestamptz`);
    // Progress per run (broadcast_recipients_outcome_idx keeps serving the broadcast's totals).
    await queryRunner.query(`CREATE INDEX broadcast_recipients_run_outcome_idx ON broadcast_recipients (run_id, outcome, reason)`);
    await queryRunner.query(`CREATE INDEX broadcast_recipients_queued_idx ON broadcast_recipients (run_id, due_at) WHERE outcome = 'queued'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Back to one set of recipients per broadcast: the first run's; journey and recurring broadcasts cannot be kept.
    await queryRunner.query(`DELETE FROM broadcasts WHERE template IS NULL OR schedule IS NOT NULL`);
    await queryRunner.query(`DELETE FROM broadcast_recipients r USING broadcast_runs u WHERE u.id = r.run_id AND u.number > 1`);
    await queryRunner.query(`DELETE FROM broadcast_recipients WHERE outcome IN ('queued', 'entered')`);
    await queryRunner.query(`DROP INDEX broadcast_recipients_queued_idx`);
    await queryRunner.query(`DROP INDEX broadcast_recipients_run_outcome_idx`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients DROP CONSTRAINT broadcast_recipients_outcome_check`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients ADD CONSTRAINT broadcast_recipients_outcome_check CHECK (outcome IN ('sent', 'skipped', 'failed'))`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients DROP CONSTRAINT broadcast_recipients_pkey`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients ADD PRIMARY KEY (broadcast_id, customer_id)`);
    await queryRunner.query(`ALTER TABLE broadcast_recipients DROP COLUMN due_at, DROP COLUMN run_id`);
    await queryRunner.query(`DROP TABLE broadcast_runs`);
    await queryRunner.query(`UPDATE broadcasts SET status = 'running' WHERE status = 'scheduled'`);
    await queryRunner.query(`ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_status_check`);
    await queryRunner.query(`ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_status_check CHECK (status IN ('running', 'paused', 'cancelled', 'completed'))`);
    await queryRunner.query(`ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_action_check`);
    await queryRunner.query(`ALTER TABLE broadcasts DROP COLUMN journey_id, DROP COLUMN entry, DROP COLUMN quiet_hours, DROP COLUMN schedule`);
    await queryRunner.query(`ALTER TABLE broadcasts ALTER COLUMN template SET NOT NULL, ALTER COLUMN channel SET NOT NULL`);
  }
}
