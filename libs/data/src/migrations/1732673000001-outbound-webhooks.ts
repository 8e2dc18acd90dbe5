import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks (docs/webhooks.md): a workspace's endpoints, the deliveries owed to them and each
 * attempt made.
 *
 * Capture is an outbox filled by triggers: the statement that records a subscribed event (a message
 * changing status, a journal entry of a journey entered or ended, a conversation escalated, a consent
 * change) also inserts, in its own transaction, one delivery per enabled endpoint of that workspace
 * subscribed to the event type. So an event is never lost (it commits with the write or not at all)
 * and no writer of those tables has to know about webhooks. A delivery id (`msg_…`) is its
 * `webhook-id`: the same on every attempt and replay, for receivers to de-duplicate.
 *
 * `dispatched_at` NULL marks a delivery the worker's dispatcher has yet to hand to Temporal (a
 * NOTIFY on `continuum_webhook` wakes it; it also polls). A replay sets it NULL again with `replays`
 * one more, which names a new delivery workflow.
 */
export class OutboundWebhooks1732673000001 implements MigrationInterface {
  name = 'OutboundWebhooks1732673000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        url text NOT NULL CHECK (length(url) <= 2048),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
        event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
        enabled boolean NOT NULL DEFAULT true,
        secret bytea NOT NULL,
        key_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhook_endpoints_workspace_idx ON webhook_endpoints (workspace_id, created_at, id)`);
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id text PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        customer_id text,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        replays integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_undispatched_idx ON webhook_deliveries (created_at) WHERE dispatched_at IS NULL`);
    // Erasure deletes a customer's deliveries (their payloads name the customer).
    await queryRunner.query(`CREATE INDEX webhook_deliveries_customer_idx ON webhook_deliveries (workspace_id, customer_id)`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_failed_idx ON webhook_deliveries (endpoint_id, created_at) WHERE status = 'failed'`);
    await queryRunner.query(`
      CREATE TABLE webhook_delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        replay integer NOT NULL,
        attempt integer NOT NULL,
        status_code integer,
        error text,
        duration_ms integer NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_attempts_delivery_idx ON webhook_delivery_attempts (delivery_id, id)`);

    // One delivery per enabled endpoint of the workspace subscribed to the type; a NOTIFY wakes the dispatcher.
    await queryRunner.query(`
      CREATE FUNCTION continuum_enqueue_webhook(workspace uuid, event_type text, data jsonb) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        queued integer;
      BEGIN
        INSERT INTO webhook_deliveries (id, workspace_id, endpoint_id, customer_id, event_type, payload)
        SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), workspace, e.id, data->>'customerId', event_type,
               jsonb_build_object('type', event_type, 'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', data)
        FROM webhook_endpoints e
        WHERE e.workspace_id = workspace AND e.enabled AND event_type = ANY (e.event_types);
        GET DIAGNOSTICS queued = ROW_COUNT;
        IF queued > 0 THEN PERFORM pg_notify('continuum_webhook', ''); END IF;
      END
      $$`);

    await queryRunner.query(`
      CREATE FUNCTION continuum_webhook_message() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        event_type text;
      BEGIN
        event_type := CASE NEW.status WHEN 'sent' THEN 'message.sent' WHEN 'delivered' THEN 'message.delivered'
                                      WHEN 'failed' THEN 'message.failed' WHEN 'undelivered' THEN 'message.failed' END;
        IF event_type IS NULL THEN RETURN NULL; END IF;
        PERFORM continuum_enqueue_webhook(NEW.workspace_id, event_type, jsonb_build_object(
          'messageId', NEW.id, 'customerId', NEW.customer_id, 'channel', NEW.channel, 'status', NEW.status,
          'journeyInstanceId', NEW.instance_id, 'step', NEW.step, 'errorCode', NEW.error_code, 'errorMessage', NEW.error_message));
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER messages_webhook_created AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION continuum_webhook_message()`);
    await queryRunner.query(`
      CREATE TRIGGER messages_webhook_status AFTER UPDATE OF status ON messages
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION continuum_webhook_message()`);

    await queryRunner.query(`
      CREATE FUNCTION continuum_webhook_journal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM continuum_enqueue_webhook(NEW.workspace_id, CASE NEW.type WHEN 'entered' THEN 'journey.entered' ELSE 'journey.exited' END, jsonb_build_object(
          'journeyId', NEW.journey_id, 'journeyInstanceId', NEW.instance_id, 'runId', NEW.run_id, 'customerId', NEW.customer_id,
          'step', NEW.step, 'outcome', CASE NEW.type WHEN 'entered' THEN NULL ELSE NEW.type END, 'reason', NEW.detail->'reason', 'at', NEW.at));
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER journal_entries_webhook AFTER INSERT ON journal_entries
      FOR EACH ROW WHEN (NEW.type IN ('entered', 'exited', 'completed')) EXECUTE FUNCTION continuum_webhook_journal()`);

    await queryRunner.query(`
      CREATE FUNCTION continuum_webhook_escalation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM continuum_enqueue_webhook(NEW.workspace_id, 'conversation.escalated', jsonb_build_object(
          'topicId', NEW.id, 'customerId', NEW.customer_id, 'intent', NEW.intent, 'channel', NEW.channel,
          'reason', NEW.escalation_reason, 'escalatedAt', NEW.escalated_at));
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER conversation_topics_webhook_opened AFTER INSERT ON conversation_topics
      FOR EACH ROW WHEN (NEW.escalated_at IS NOT NULL) EXECUTE FUNCTION continuum_webhook_escalation()`);
    await queryRunner.query(`
      CREATE TRIGGER conversation_topics_webhook_escalated AFTER UPDATE OF escalated_at ON conversation_topics
      FOR EACH ROW WHEN (NEW.escalated_at IS NOT NULL AND OLD.escalated_at IS DISTINCT FROM NEW.escalated_at) EXECUTE FUNCTION continuum_webhook_escalation()`);

    await queryRunner.query(`
      CREATE FUNCTION continuum_webhook_consent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM continuum_enqueue_webhook(NEW.workspace_id, 'consent.changed', jsonb_build_object(
          'customerId', NEW.customer_id, 'channel', NEW.channel, 'purpose', NEW.purpose, 'status', NEW.status,
          'source', NEW.source, 'changedAt', NEW.changed_at));
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER consent_changes_webhook AFTER INSERT ON consent_changes FOR EACH ROW EXECUTE FUNCTION continuum_webhook_consent()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER consent_changes_webhook ON consent_changes`);
    await queryRunner.query(`DROP FUNCTION continuum_webhook_consent()`);
    await queryRunner.query(`DROP TRIGGER conversation_topics_webhook_escalated ON conversation_topics`);
    await queryRunner.query(`DROP TRIGGER conversation_topics_webhook_opened ON conversation_topics`);
    await queryRunner.query(`DROP FUNCTION continuum_webhook_escalation()`);
    await queryRunner.query(`DROP TRIGGER journal_entries_webhook ON journal_entries`);
    await queryRunner.query(`DROP FUNCTION continuum_webhook_journal()`);
    await queryRunner.query(`DROP TRIGGER messages_webhook_status ON messages`);
    await queryRunner.query(`DROP TRIGGER messages_webhook_created ON messages`);
    await queryRunner.query(`DROP FUNCTION continuum_webhook_message()`);
    await queryRunner.query(`DROP FUNCTION continuum_enqueue_webhook(uuid, text, jsonb)`);
    await queryRunner.query(`DROP TABLE webhook_delivery_attempts`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
  }
}
