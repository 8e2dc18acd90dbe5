import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resumable subscriptions: every change a GraphQL subscription delivers (a journal entry, an event,
 * a message created or changing status, an inbox message delivered, read or archived, a
 * conversation topic or message, a broadcast run starting, progressing or changing status) is also
 * appended to `live_changes` by a trigger, in the transaction that made it.
 *
 * A change's position is (xid, id): the id of the transaction that wrote it, then the row's serial.
 * A bigserial alone is not commit-ordered (a transaction can take id 10, another id 11 and commit
 * first), so a reader hands out only changes of transactions below the snapshot's xmin (all ended)
 * in (xid, id) order: any change that becomes visible later has a larger xid, hence comes after every
 * cursor already handed out. The rows hold only keys (the item is re-read when it is sent) and are
 * pruned after the retention the gateway applies (LIVE_CHANGE_RETENTION_DAYS). Broadcast changes,
 * which had no notification, are announced on `continuum_broadcast` (payload: the broadcast id).
 */
export class LiveChanges1732528000000 implements MigrationInterface {
  name = 'LiveChanges1732528000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE live_changes (
        id bigserial PRIMARY KEY,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        stream text NOT NULL CHECK (stream IN ('activity', 'inbox', 'conversation', 'broadcast')),
        scope text NOT NULL,
        instance_id text,
        run_id text,
        kind text NOT NULL,
        ref text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    // scope: the customer (activity, inbox, conversation) or the broadcast (broadcast).
    await queryRunner.query(`CREATE INDEX live_changes_scope_idx ON live_changes (workspace_id, stream, scope, xid, id)`);
    await queryRunner.query(`CREATE INDEX live_changes_instance_idx ON live_changes (workspace_id, instance_id, run_id, xid, id) WHERE kind = 'JOURNEY_STEP'`);
    await queryRunner.query(`CREATE INDEX live_changes_conversation_idx ON live_changes (workspace_id, xid, id) WHERE stream = 'conversation'`);

    await queryRunner.query(`
      CREATE FUNCTION continuum_log_activity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'events' THEN
          INSERT INTO live_changes (workspace_id, stream, scope, kind, ref) VALUES (NEW.workspace_id, 'activity', NEW.user_id, 'EVENT', NEW.id::text);
        ELSIF TG_TABLE_NAME = 'journal_entries' THEN
          INSERT INTO live_changes (workspace_id, stream, scope, instance_id, run_id, kind, ref)
          VALUES (NEW.workspace_id, 'activity', NEW.customer_id, NEW.instance_id, NEW.run_id, 'JOURNEY_STEP', NEW.id::text);
        ELSE
          INSERT INTO live_changes (workspace_id, stream, scope, instance_id, kind, ref) VALUES (NEW.workspace_id, 'activity', NEW.customer_id, NEW.instance_id, 'MESSAGE', NEW.id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER journal_entries_log_change AFTER INSERT ON journal_entries FOR EACH ROW EXECUTE FUNCTION continuum_log_activity()`);
    await queryRunner.query(`CREATE TRIGGER events_log_change AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION continuum_log_activity()`);
    await queryRunner.query(`CREATE TRIGGER messages_log_change AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION continuum_log_activity()`);
    await queryRunner.query(`
      CREATE TRIGGER messages_log_status AFTER UPDATE OF status ON messages
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION continuum_log_activity()`);

    await queryRunner.query(`
      CREATE FUNCTION continuum_log_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO live_changes (workspace_id, stream, scope, kind, ref) VALUES (NEW.workspace_id, 'inbox', NEW.customer_id, 'DELIVERED', NEW.id::text);
        ELSE
          IF OLD.read_at IS NULL AND NEW.read_at IS NOT NULL THEN
            INSERT INTO live_changes (workspace_id, stream, scope, kind, ref) VALUES (NEW.workspace_id, 'inbox', NEW.customer_id, 'READ', NEW.id::text);
          END IF;
          IF OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN
            INSERT INTO live_changes (workspace_id, stream, scope, kind, ref) VALUES (NEW.workspace_id, 'inbox', NEW.customer_id, 'ARCHIVED', NEW.id::text);
          END IF;
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER inbox_messages_log_delivered AFTER INSERT ON inbox_messages FOR EACH ROW EXECUTE FUNCTION continuum_log_inbox()`);
    await queryRunner.query(`
      CREATE TRIGGER inbox_messages_log_changed AFTER UPDATE OF read_at, archived_at ON inbox_messages
      FOR EACH ROW WHEN (OLD.read_at IS DISTINCT FROM NEW.read_at OR OLD.archived_at IS DISTINCT FROM NEW.archived_at)
      EXECUTE FUNCTION continuum_log_inbox()`);

    await queryRunner.query(`
      CREATE FUNCTION continuum_log_conversation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO live_changes (workspace_id, stream, scope, kind, ref)
        VALUES (NEW.workspace_id, 'conversation', NEW.customer_id, CASE TG_TABLE_NAME WHEN 'conversation_topics' THEN 'TOPIC' ELSE 'MESSAGE' END, NEW.id::text);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER conversation_topics_log_opened AFTER INSERT ON conversation_topics FOR EACH ROW EXECUTE FUNCTION continuum_log_conversation()`);
    await queryRunner.query(`
      CREATE TRIGGER conversation_topics_log_changed AFTER UPDATE ON conversation_topics
      FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status OR OLD.assigned_agent IS DISTINCT FROM NEW.assigned_agent OR OLD.claimed_at IS DISTINCT FROM NEW.claimed_at
        OR OLD.escalated_at IS DISTINCT FROM NEW.escalated_at OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at OR OLD.reopened IS DISTINCT FROM NEW.reopened
        OR OLD.channel IS DISTINCT FROM NEW.channel)
      EXECUTE FUNCTION continuum_log_conversation()`);
    await queryRunner.query(`CREATE TRIGGER conversation_messages_log_added AFTER INSERT ON conversation_messages FOR EACH ROW EXECUTE FUNCTION continuum_log_conversation()`);
    await queryRunner.query(`
      CREATE TRIGGER conversation_messages_log_status AFTER UPDATE ON conversation_messages
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION continuum_log_conversation()`);

    await queryRunner.query(`
      CREATE FUNCTION continuum_log_broadcast_run() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        kind text;
      BEGIN
        IF TG_OP = 'INSERT' THEN kind := 'STARTED';
        ELSIF NEW.status = 'paused' THEN kind := 'PAUSED';
        ELSIF NEW.status = 'running' THEN kind := 'RESUMED';
        ELSIF NEW.status = 'cancelled' THEN kind := 'CANCELLED';
        ELSE kind := 'FINISHED';
        END IF;
        INSERT INTO live_changes (workspace_id, stream, scope, kind, ref)
        SELECT b.workspace_id, 'broadcast', NEW.broadcast_id::text, kind, NEW.id::text FROM broadcasts b WHERE b.id = NEW.broadcast_id;
        PERFORM pg_notify('continuum_broadcast', NEW.broadcast_id::text);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER broadcast_runs_log_started AFTER INSERT ON broadcast_runs FOR EACH ROW EXECUTE FUNCTION continuum_log_broadcast_run()`);
    await queryRunner.query(`
      CREATE TRIGGER broadcast_runs_log_status AFTER UPDATE OF status ON broadcast_runs
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION continuum_log_broadcast_run()`);
    // Progress: one change per statement that records or settles recipients, per run it touched.
    await queryRunner.query(`
      CREATE FUNCTION continuum_log_broadcast_progress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO live_changes (workspace_id, stream, scope, kind, ref)
        SELECT b.workspace_id, 'broadcast', r.broadcast_id::text, 'PROGRESSED', r.run_id::text
        FROM (SELECT DISTINCT broadcast_id, run_id FROM changed_recipients) r JOIN broadcasts b ON b.id = r.broadcast_id;
        PERFORM pg_notify('continuum_broadcast', broadcast_id::text) FROM (SELECT DISTINCT broadcast_id FROM changed_recipients) r;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER broadcast_recipients_log_recorded AFTER INSERT ON broadcast_recipients
      REFERENCING NEW TABLE AS changed_recipients FOR EACH STATEMENT EXECUTE FUNCTION continuum_log_broadcast_progress()`);
    await queryRunner.query(`
      CREATE TRIGGER broadcast_recipients_log_settled AFTER UPDATE ON broadcast_recipients
      REFERENCING NEW TABLE AS changed_recipients FOR EACH STATEMENT EXECUTE FUNCTION continuum_log_broadcast_progress()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER broadcast_recipients_log_settled ON broadcast_recipients`);
    await queryRunner.query(`DROP TRIGGER broadcast_recipients_log_recorded ON broadcast_recipients`);
    await queryRunner.query(`DROP FUNCTION continuum_log_broadcast_progress()`);
    await queryRunner.query(`DROP TRIGGER broadcast_runs_log_status ON broadcast_runs`);
    await queryRunner.query(`DROP TRIGGER broadcast_runs_log_started ON broadcast_runs`);
    await queryRunner.query(`DROP FUNCTION continuum_log_broadcast_run()`);
    await queryRunner.query(`DROP TRIGGER conversation_messages_log_status ON conversation_messages`);
    await queryRunner.query(`DROP TRIGGER conversation_messages_log_added ON conversation_messages`);
    await queryRunner.query(`DROP TRIGGER conversation_topics_log_changed ON conversation_topics`);
    await queryRunner.query(`DROP TRIGGER conversation_topics_log_opened ON conversation_topics`);
    await queryRunner.query(`DROP FUNCTION continuum_log_conversation()`);
    await queryRunner.query(`DROP TRIGGER inbox_messages_log_changed ON inbox_messages`);
    await queryRunner.query(`DROP TRIGGER inbox_messages_log_delivered ON inbox_messages`);
    await queryRunner.query(`DROP FUNCTION continuum_log_inbox()`);
    await queryRunner.query(`DROP TRIGGER messages_log_status ON messages`);
    await queryRunner.query(`DROP TRIGGER messages_log_change ON messages`);
    await queryRunner.query(`DROP TRIGGER events_log_change ON events`);
    await queryRunner.query(`DROP TRIGGER journal_entries_log_change ON journal_entries`);
    await queryRunner.query(`DROP FUNCTION continuum_log_activity()`);
    await queryRunner.query(`DROP TABLE live_changes`);
  }
}
