import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BroadcastRunRecipients1732523000000 implements MigrationInterface {
  name = 'BroadcastRunRecipients1732523000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // How many members the audience had when the run started: the run's recipient total (a run
    // reads the audience page by page, so it is what the run set out to reach). Null for runs
    // recorded before it.
    await queryRunner.query(`ALTER TABLE broadcast_runs ADD COLUMN recipients integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE broadcast_runs DROP COLUMN IF EXISTS recipients`);
  }
}
