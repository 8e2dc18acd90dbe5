import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { WorkspaceEntity } from './workspace.entity';
import { DEFAULT_WORKSPACE_ID } from '../migrations';
import { ALL_SCOPES, parseApiScopes, type ApiKeyScope } from './api-scopes';

export interface ApiKeyPrincipal {
  workspaceId: string;
  workspaceSlug: string;
  keyId: string;
  scopes: string[];
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Workspaces and the API keys that belong to them. */
export class WorkspaceStore {
  constructor(private readonly dataSource: DataSource) {}

  async createWorkspace(slug: string, name: string): Promise<WorkspaceEntity> {
    const workspace = this.dataSource.getRepository(WorkspaceEntity).create({ id: cryptoUuid(), slug, name });
    return this.dataSource.getRepository(WorkspaceEntity).save(workspace);
  }

  async getWorkspace(id: string): Promise<WorkspaceEntity | null> {
    return this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id });
  }

  /**
   * Issues a new key (returned once, stored hashed) holding `scopes` (default `*`, every scope);
   * an unknown scope name throws InvalidScopeError before anything is stored.
   */
  async createApiKey(
    workspaceId: string,
    name: string,
    key = `ck_${randomBytes(24).toString('base64url')}`,
    scopes: string | readonly string[] = [ALL_SCOPES],
  ): Promise<string> {
    const valid: ApiKeyScope[] = parseApiScopes(scopes);
    await this.dataSource
      .getRepository(ApiKeyEntity)
      .createQueryBuilder()
      .insert()
      .values({ workspaceId, name, keyHash: hashApiKey(key), scopes: valid })
      .orIgnore()
      .execute();
    return key;
  }

  /** Makes sure the development key exists in the default workspace. */
  async ensureDevApiKey(key: string): Promise<void> {
    await this.createApiKey(DEFAULT_WORKSPACE_ID, 'development', key);
  }

  async authenticate(key: string): Promise<ApiKeyPrincipal | undefined> {
    const row = await this.dataSource
      .getRepository(ApiKeyEntity)
      .createQueryBuilder('k')
      .innerJoin(WorkspaceEntity, 'w', 'w.id = k.workspace_id')
      .select(['k.id AS key_id', 'k.workspace_id AS workspace_id', 'k.scopes AS scopes', 'w.slug AS slug'])
      .where('k.key_hash = :hash AND k.revoked_at IS NULL', { hash: hashApiKey(key) })
      .getRawOne<{ key_id: string; workspace_id: string; scopes: string[]; slug: string }>();
    if (!row) return undefined;
    return { workspaceId: row.workspace_id, workspaceSlug: row.slug, keyId: row.key_id, scopes: row.scopes };
  }
}

function cryptoUuid(): string {
  return globalThis.crypto.randomUUID();
}
