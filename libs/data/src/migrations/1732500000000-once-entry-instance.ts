import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OnceEntryInstance1732500000000 implements MigrationInterface {
  name = 'OnceEntryInstance1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The instance a `once` entry was given to: an entry event that arrives while that instance is
    // still being started (by another gateway, or a broadcast) goes to it instead of being refused.
    await queryRunner.query(`ALTER TABLE journey_entries ADD COLUMN instance_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE journey_entries DROP COLUMN IF EXISTS instance_id`);
  }
}
