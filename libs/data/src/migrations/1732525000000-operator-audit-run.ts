import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OperatorAuditRun1732525000000 implements MigrationInterface {
  name = 'OperatorAuditRun1732525000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The run acted on: a journey instance in the API is one run of a workflow id. Null for rows
    // written before, and for actions refused before an instance was found.
    await queryRunner.query(`ALTER TABLE operator_audit ADD COLUMN run_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE operator_audit DROP COLUMN IF EXISTS run_id`);
  }
}
