import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each workspace's secret for signing the HTTP requests its journeys make (Standard Webhooks), so a
 * receiver can tell a request came from Continuum for that workspace. Sealed under the workspace's
 * own data key when payload encryption is on (`key_id` names it), in clear otherwise. The previous
 * secret is kept for a while after a rotation: requests carry both signatures until it expires.
 */
export class RequestSigningSecrets1732630000010 implements MigrationInterface {
  name = 'RequestSigningSecrets1732630000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE request_signing_secrets (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        secret bytea NOT NULL,
        key_id uuid,
        previous_secret bytea,
        previous_key_id uuid,
        previous_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE request_signing_secrets`);
  }
}
