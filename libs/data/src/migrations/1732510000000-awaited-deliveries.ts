import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AwaitedDeliveries1732510000000 implements MigrationInterface {
  name = 'AwaitedDeliveries1732510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Whether the instance that sent the message waits for its delivery report (only then is the
    // report signalled to it). True for rows written before, and by workers that predate it, which
    // signal every report as before; the outbox now writes it on every row it claims.
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN delivery_awaited boolean NOT NULL DEFAULT true`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN IF EXISTS delivery_awaited`);
  }
}
