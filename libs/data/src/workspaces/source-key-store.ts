import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { affectedRows } from '../affected-rows';
import { DEFAULT_WORKSPACE_ID } from '../migrations';
import { hashApiKey } from './workspace-store';

/** The workspace and source a write key belongs to. */
export interface WriteKeyPrincipal {
  workspaceId: string;
  workspaceSlug: string;
  sourceId: string;
  sourceName: string;
}

export interface SourceWriteKey {
  id: string;
  workspaceId: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/**
 * Source write keys of the tracking API (the HTTP Basic user name of Segment's clients): each
 * belongs to one workspace and is stored only as its SHA-256 hash.
 */
export class SourceKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Issues a write key for a source (returned once, stored hashed); an existing key is kept. */
  async createWriteKey(workspaceId: string, name: string, key = `wk_${randomBytes(24).toString('base64url')}`): Promise<string> {
    await this.dataSource.query(
      `INSERT INTO source_write_keys (workspace_id, name, key_hash) VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING`,
      [workspaceId, name, hashApiKey(key)],
    );
    return key;
  }

  /** Makes sure the development write key exists in the default workspace. */
  async ensureDevWriteKey(key: string): Promise<void> {
    await this.createWriteKey(DEFAULT_WORKSPACE_ID, 'development', key);
  }

  async authenticate(key: string): Promise<WriteKeyPrincipal | undefined> {
    const rows: Array<{ id: string; name: string; workspace_id: string; slug: string }> = await this.dataSource.query(
      `SELECT k.id, k.name, k.workspace_id, w.slug FROM source_write_keys k JOIN workspaces w ON w.id = k.workspace_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashApiKey(key)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { workspaceId: row.workspace_id, workspaceSlug: row.slug, sourceId: row.id, sourceName: row.name };
  }

  async list(workspaceId: string): Promise<SourceWriteKey[]> {
    return this.dataSource.query(
      `SELECT id, workspace_id AS "workspaceId", name, created_at AS "createdAt", revoked_at AS "revokedAt"
       FROM source_write_keys WHERE workspace_id = $1 ORDER BY created_at`,
      [workspaceId],
    );
  }

  /** Stops a key from authenticating; returns false when it was unknown or already revoked. */
  async revoke(workspaceId: string, sourceId: string): Promise<boolean> {
    const result: unknown = await this.dataSource.query(
      `UPDATE source_write_keys SET revoked_at = now() WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL`,
      [workspaceId, sourceId],
    );
    return affectedRows(result) > 0;
  }
}
