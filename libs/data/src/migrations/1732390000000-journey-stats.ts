import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Funnels and stats per journey and version over a time range: the version an instance entered
 * with, and covering indexes so the funnel reads only one journey's rows (see JourneyStatsStore).
 */
export class JourneyStats1732390000000 implements MigrationInterface {
  name = 'JourneyStats1732390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The catalogue version published when the instance entered (null for instances from before).
    await queryRunner.query(`ALTER TABLE journey_instances ADD COLUMN journey_version integer`);
    // The cohort: one journey's instances entered in [from, to), with everything the funnel counts.
    await queryRunner.query(`
      CREATE INDEX journey_instances_stats_idx ON journey_instances (workspace_id, journey_id, started_at)
      INCLUDE (journey_version, status, exit_reason, customer_id)`);
    // The cohort's journal: one journey's entries since `from`, read from the index alone.
    await queryRunner.query(`
      CREATE INDEX journal_entries_journey_at_idx ON journal_entries (workspace_id, journey_id, at)
      INCLUDE (instance_id, run_id, type, step)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS journal_entries_journey_at_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS journey_instances_stats_idx`);
    await queryRunner.query(`ALTER TABLE journey_instances DROP COLUMN IF EXISTS journey_version`);
  }
}
