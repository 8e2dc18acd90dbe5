import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Experiment results read one experiment's assignments (`experiment.assigned` journal entries of a
 * journey's step) from a partial index, never the whole journal (see ExperimentStore).
 */
export class ExperimentAssignments1732640000001 implements MigrationInterface {
  name = 'ExperimentAssignments1732640000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX journal_entries_experiment_idx ON journal_entries (workspace_id, journey_id, step, at)
      INCLUDE (customer_id) WHERE type = 'experiment.assigned'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS journal_entries_experiment_idx`);
  }
}
