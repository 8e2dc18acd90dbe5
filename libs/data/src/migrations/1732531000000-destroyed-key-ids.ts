import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer erased and later seen again (a reused user id, a late event) gets a fresh data key;
 * the ids of the keys destroyed before stay listed, so decoding their payloads still says
 * "destroyed" rather than "unknown key".
 */
export class DestroyedKeyIds1732531000000 implements MigrationInterface {
  name = 'DestroyedKeyIds1732531000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE customer_data_keys ADD COLUMN destroyed_key_ids uuid[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`UPDATE customer_data_keys SET destroyed_key_ids = ARRAY[key_id] WHERE destroyed_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE customer_data_keys DROP COLUMN destroyed_key_ids`);
  }
}
