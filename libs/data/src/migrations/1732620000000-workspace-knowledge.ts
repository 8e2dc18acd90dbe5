import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A workspace's own knowledge base (questions and their answer per locale) and intent examples,
 * learnt on top of the built-in ones, and a version per workspace that every change bumps, so the
 * workers retrain a workspace's classifier when (and only when) its data changed.
 */
export class WorkspaceKnowledge1732620000000 implements MigrationInterface {
  name = 'WorkspaceKnowledge1732620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE knowledge_base_entries (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        position bigint GENERATED ALWAYS AS IDENTITY,
        locale text NOT NULL CHECK (locale IN ('en', 'pt-BR', 'es')),
        questions text[] NOT NULL CHECK (cardinality(questions) > 0),
        answer text NOT NULL,
        intent text CHECK (intent IN ('returns', 'sales', 'support', 'human', 'greeting', 'thanks')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX knowledge_base_entries_list_idx ON knowledge_base_entries (workspace_id, position)`);
    await queryRunner.query(`
      CREATE TABLE intent_examples (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        position bigint GENERATED ALWAYS AS IDENTITY,
        locale text NOT NULL CHECK (locale IN ('en', 'pt-BR', 'es')),
        intent text NOT NULL CHECK (intent IN ('returns', 'sales', 'support', 'human', 'greeting', 'thanks')),
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, locale, intent, text)
      )`);
    await queryRunner.query(`CREATE INDEX intent_examples_list_idx ON intent_examples (workspace_id, position)`);
    await queryRunner.query(`
      CREATE TABLE workspace_knowledge_versions (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        version bigint NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE workspace_knowledge_versions`);
    await queryRunner.query(`DROP TABLE intent_examples`);
    await queryRunner.query(`DROP TABLE knowledge_base_entries`);
  }
}
