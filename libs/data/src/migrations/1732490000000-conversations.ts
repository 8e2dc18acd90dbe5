import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversations: each customer's topics (what they contacted us about, who handles it), every
 * message in and out on every channel, and what happened to topics (opened, reopened, escalated,
 * handed back, resolved) for the continuity metrics.
 */
export class Conversations1732490000000 implements MigrationInterface {
  name = 'Conversations1732490000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE conversation_topics (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        intent text NOT NULL,
        status text NOT NULL CHECK (status IN ('automated', 'human', 'resolved')),
        channel text NOT NULL,
        opened_at timestamptz NOT NULL,
        last_message_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolved_by text,
        escalated_at timestamptz,
        escalation_reason text,
        assigned_agent text,
        claimed_at timestamptz,
        reopened integer NOT NULL DEFAULT 0,
        facts jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX conversation_topics_queue_idx ON conversation_topics (workspace_id, status, escalated_at)`);
    await queryRunner.query(`CREATE INDEX conversation_topics_customer_idx ON conversation_topics (workspace_id, customer_id, last_message_at DESC)`);
    await queryRunner.query(`CREATE INDEX conversation_topics_opened_idx ON conversation_topics (workspace_id, opened_at)`);
    await queryRunner.query(`
      CREATE TABLE conversation_messages (
        id text PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        topic_id uuid,
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        author text NOT NULL,
        channel text NOT NULL,
        body text NOT NULL,
        intent text,
        status text,
        reason text,
        outbox_id uuid,
        journey_instance text,
        at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX conversation_messages_customer_idx ON conversation_messages (workspace_id, customer_id, at)`);
    await queryRunner.query(`CREATE INDEX conversation_messages_at_idx ON conversation_messages (workspace_id, at) WHERE direction = 'in'`);
    await queryRunner.query(`CREATE INDEX conversation_messages_topic_idx ON conversation_messages (topic_id, at)`);
    await queryRunner.query(`
      CREATE TABLE conversation_topic_events (
        id text PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        topic_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('opened', 'reopened', 'escalated', 'handed-back', 'resolved')),
        channel text NOT NULL,
        previous_channel text,
        reason text,
        at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX conversation_topic_events_at_idx ON conversation_topic_events (workspace_id, type, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS conversation_topic_events`);
    await queryRunner.query(`DROP TABLE IF EXISTS conversation_messages`);
    await queryRunner.query(`DROP TABLE IF EXISTS conversation_topics`);
  }
}
