import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An endpoint that disables itself (every attempt failed for WEBHOOK_DISABLE_AFTER_MS) is announced to
 * the workspace's other endpoints subscribed to `endpoint.disabled` (docs/webhooks.md), by the same
 * outbox as every other event: queued in the transaction that disables it. The disabled endpoint is
 * not among them (it is disabled by then); an admin disabling one is not announced.
 */
export class WebhookEndpointDisabledEvent1732683000001 implements MigrationInterface {
  name = 'WebhookEndpointDisabledEvent1732683000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION continuum_webhook_endpoint_disabled() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM continuum_enqueue_webhook(NEW.workspace_id, 'endpoint.disabled', jsonb_build_object(
          'endpointId', NEW.id, 'description', NEW.description, 'reason', NEW.disabled_reason,
          'failingSince', NEW.failing_since, 'disabledAt', NEW.disabled_at));
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER webhook_endpoints_disabled AFTER UPDATE OF disabled_at ON webhook_endpoints
      FOR EACH ROW WHEN (NEW.disabled_at IS NOT NULL AND OLD.disabled_at IS DISTINCT FROM NEW.disabled_at AND NOT NEW.enabled)
      EXECUTE FUNCTION continuum_webhook_endpoint_disabled()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM webhook_deliveries WHERE event_type = 'endpoint.disabled'`);
    await queryRunner.query(`UPDATE webhook_endpoints SET event_types = array_remove(event_types, 'endpoint.disabled')`);
    await queryRunner.query(`DROP TRIGGER webhook_endpoints_disabled ON webhook_endpoints`);
    await queryRunner.query(`DROP FUNCTION continuum_webhook_endpoint_disabled()`);
  }
}
