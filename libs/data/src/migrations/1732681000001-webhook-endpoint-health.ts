import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhook endpoints (docs/webhooks.md): a rotated secret keeps signing beside the new one
 * until `previous_expires_at` (receivers move over meanwhile); an endpoint that has failed every
 * attempt since `failing_since` for longer than `WEBHOOK_DISABLE_AFTER_MS` is disabled by itself,
 * with the reason and time (`disabled_reason`, `disabled_at`; cleared when it is enabled again).
 * Deliveries are found by age for the retention.
 */
export class WebhookEndpointHealth1732681000001 implements MigrationInterface {
  name = 'WebhookEndpointHealth1732681000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints
        ADD COLUMN previous_secret bytea,
        ADD COLUMN previous_key_id uuid,
        ADD COLUMN previous_expires_at timestamptz,
        ADD COLUMN failing_since timestamptz,
        ADD COLUMN disabled_reason text CHECK (length(disabled_reason) <= 1000),
        ADD COLUMN disabled_at timestamptz`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_age_idx ON webhook_deliveries (workspace_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX webhook_deliveries_age_idx`);
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints
        DROP COLUMN previous_secret, DROP COLUMN previous_key_id, DROP COLUMN previous_expires_at,
        DROP COLUMN failing_since, DROP COLUMN disabled_reason, DROP COLUMN disabled_at`);
  }
}
