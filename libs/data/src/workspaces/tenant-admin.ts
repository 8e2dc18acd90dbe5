import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_WORKSPACE_ID } from '../migrations';
import { ALL_SCOPES, InvalidScopeError, parseApiScopes, type ApiKeyScope } from './api-scopes';
import { hashApiKey } from './workspace-store';

/**
 * Tenant administration (docs/api/auth.md, "Administration"): workspaces, API keys and source write
 * keys, each action audited in `admin_audit`. Used by the gateway's admin API and by `npm run admin`.
 */

/** Who acts: an API key (`api-key:<id>`), the admin CLI (`cli`) or the bootstrap at start (`bootstrap`). */
export interface AdminActor {
  keyId: string | null;
  name: string;
}

export const CLI_ACTOR: AdminActor = { keyId: null, name: 'cli' };
export const BOOTSTRAP_ACTOR: AdminActor = { keyId: null, name: 'bootstrap' };

export function apiKeyActor(keyId: string): AdminActor {
  return { keyId, name: `api-key:${keyId}` };
}

export type AdminErrorCode = 'INVALID' | 'NOT_FOUND' | 'FAILED_PRECONDITION' | 'CONFLICT';

/** A refusal the caller can fix, naming the input field at fault (`slug`, `scopes`, `id`…). */
export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

export const MAX_SLUG_LENGTH = 63;
export const MAX_NAME_LENGTH = 100;
const SLUG = /^[a-z0-9][a-z0-9-]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A workspace slug: lower-case a-z, 0-9 and "-", not starting with "-", 1 to 63 characters. */
export function validateSlug(slug: string, field = 'slug'): string {
  if (!SLUG.test(slug) || slug.length > MAX_SLUG_LENGTH) {
    throw new AdminError('INVALID', `"${slug}" is not a slug: 1 to ${MAX_SLUG_LENGTH} of a-z, 0-9 and "-", starting with a letter or digit`, field);
  }
  return slug;
}

/** A display name: trimmed, 1 to 100 characters, no control characters. */
export function validateName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new AdminError('INVALID', 'must not be empty', field);
  if ([...trimmed].length > MAX_NAME_LENGTH) throw new AdminError('INVALID', `must be at most ${MAX_NAME_LENGTH} characters`, field);
  if (CONTROL.test(trimmed)) throw new AdminError('INVALID', 'must not contain control characters', field);
  return trimmed;
}

/** Scopes for a new key (see parseApiScopes), as an AdminError naming `field`. */
export function validateScopes(scopes: string | readonly string[], field = 'scopes'): ApiKeyScope[] {
  try {
    return parseApiScopes(scopes);
  } catch (error) {
    if (error instanceof InvalidScopeError) throw new AdminError('INVALID', error.scope === '' ? 'at least one scope is required' : error.message, field);
    throw error;
  }
}

export function validateId(id: string, field = 'id'): string {
  if (!UUID.test(id)) throw new AdminError('INVALID', `"${id}" is not a key id (a UUID)`, field);
  return id.toLowerCase();
}

export interface WorkspaceInfo {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

export interface ApiKeyInfo {
  id: string;
  workspaceId: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  revokedAt: Date | null;
}

export interface WriteKeyInfo {
  id: string;
  workspaceId: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A keyset page: `limit` rows after or before a position, in the list's order (reverse when backward). */
export interface AdminPage<P> {
  limit: number;
  backward: boolean;
  after?: P;
  before?: P;
}

/** The position of a key in its list: (created_at as PostgreSQL text, id). */
export interface KeyPosition {
  createdAt: string;
  id: string;
}

const WORKSPACE_COLUMNS = `id, slug, name, created_at AS "createdAt"`;
const API_KEY_COLUMNS = `id, workspace_id AS "workspaceId", name, scopes, created_at AS "createdAt", revoked_at AS "revokedAt", created_at::text AS position`;
const WRITE_KEY_COLUMNS = `id, workspace_id AS "workspaceId", name, created_at AS "createdAt", revoked_at AS "revokedAt", created_at::text AS position`;

type Positioned<T> = T & { position: string };

export class TenantAdmin {
  constructor(private readonly dataSource: DataSource) {}

  /** The operator workspace: its admin keys administer every workspace (the bootstrap key lives there). */
  static readonly OPERATOR_WORKSPACE_ID = DEFAULT_WORKSPACE_ID;

  // --- workspaces -------------------------------------------------------------------------------

  async createWorkspace(actor: AdminActor, slug: string, name: string): Promise<WorkspaceInfo> {
    return this.audited(actor, null, 'createWorkspace', { slug, name }, async () => {
      const validSlug = validateSlug(slug);
      const validName = validateName(name);
      const rows: WorkspaceInfo[] = await this.dataSource.query(
        `INSERT INTO workspaces (id, slug, name) VALUES (gen_random_uuid(), $1, $2) ON CONFLICT (slug) DO NOTHING RETURNING ${WORKSPACE_COLUMNS}`,
        [validSlug, validName],
      );
      const created = rows[0];
      if (!created) throw new AdminError('CONFLICT', `a workspace with slug "${validSlug}" already exists`, 'slug');
      return { result: created, workspaceId: created.id, target: `workspace:${created.id}` };
    });
  }

  /** Workspaces ordered by slug; a position is a slug. */
  async listWorkspaces(page: AdminPage<string>, only?: string): Promise<WorkspaceInfo[]> {
    const params: unknown[] = [page.limit + 1];
    const where: string[] = [];
    if (only) where.push(`id = $${params.push(only)}`);
    if (page.after !== undefined) where.push(`slug > $${params.push(page.after)}`);
    if (page.before !== undefined) where.push(`slug < $${params.push(page.before)}`);
    return this.dataSource.query(
      `SELECT ${WORKSPACE_COLUMNS} FROM workspaces ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY slug ${page.backward ? 'DESC' : 'ASC'} LIMIT $1`,
      params,
    );
  }

  async countWorkspaces(only?: string): Promise<number> {
    const rows: Array<{ count: string }> = await this.dataSource.query(`SELECT count(*) FROM workspaces ${only ? 'WHERE id = $1' : ''}`, only ? [only] : []);
    return Number(rows[0]?.count ?? 0);
  }

  async workspacesByIds(ids: readonly string[]): Promise<WorkspaceInfo[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    return this.dataSource.query(`SELECT ${WORKSPACE_COLUMNS} FROM workspaces WHERE id = ANY($1::uuid[])`, [valid]);
  }

  /** The workspace of `slug`, or NOT_FOUND naming `field`. */
  async workspaceBySlug(slug: string, field = 'workspace'): Promise<WorkspaceInfo> {
    const rows: WorkspaceInfo[] = await this.dataSource.query(`SELECT ${WORKSPACE_COLUMNS} FROM workspaces WHERE slug = $1`, [slug]);
    if (!rows[0]) throw new AdminError('NOT_FOUND', `no workspace has the slug "${slug}"`, field);
    return rows[0];
  }

  // --- API keys ---------------------------------------------------------------------------------

  /** A new key of `workspaceId` holding `scopes`; the secret is returned here only (stored hashed). */
  async createApiKey(actor: AdminActor, workspaceId: string, name: string, scopes: string | readonly string[]): Promise<{ apiKey: ApiKeyInfo; secret: string }> {
    return this.audited(actor, workspaceId, 'createApiKey', { name, scopes }, async () => {
      const validName = validateName(name);
      const validScopes = validateScopes(scopes);
      const secret = newApiKeySecret();
      const apiKey = await this.insertApiKey(this.dataSource.manager, workspaceId, validName, validScopes, secret);
      return { result: { apiKey, secret }, workspaceId, target: `api-key:${apiKey.id}` };
    });
  }

  /** Keys of a workspace (revoked ones included) by creation time. */
  async listApiKeys(workspaceId: string, page: AdminPage<KeyPosition>): Promise<Array<Positioned<ApiKeyInfo>>> {
    return this.dataSource.query(...keysetQuery('api_keys', API_KEY_COLUMNS, workspaceId, page));
  }

  async countApiKeys(workspaceId: string): Promise<number> {
    const rows: Array<{ count: string }> = await this.dataSource.query(`SELECT count(*) FROM api_keys WHERE workspace_id = $1`, [workspaceId]);
    return Number(rows[0]?.count ?? 0);
  }

  /** The keys of `ids` in one workspace (any workspace when `workspaceId` is null). */
  async apiKeysByIds(workspaceId: string | null, ids: readonly string[]): Promise<ApiKeyInfo[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    return this.dataSource.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ANY($1::uuid[]) ${workspaceId ? 'AND workspace_id = $2' : ''}`, workspaceId ? [valid, workspaceId] : [valid]);
  }

  /**
   * A new secret for a key: a new key with the same name and scopes, the old one revoked at once (no
   * grace period). `workspaceId` limits it to one workspace (null: any, for the operator and the CLI).
   */
  async rotateApiKey(actor: AdminActor, workspaceId: string | null, id: string): Promise<{ apiKey: ApiKeyInfo; secret: string; revoked: ApiKeyInfo }> {
    return this.audited(actor, workspaceId, 'rotateApiKey', { id }, async () => {
      const keyId = validateId(id);
      return this.dataSource.transaction(async (manager) => {
        const old = await this.lockActiveKey(manager, workspaceId, keyId);
        const secret = newApiKeySecret();
        const apiKey = await this.insertApiKey(manager, old.workspaceId, old.name, old.scopes, secret);
        const revoked = await this.markRevoked(manager, old.id);
        return { result: { apiKey, secret, revoked }, workspaceId: old.workspaceId, target: `api-key:${old.id}`, detail: { newKeyId: apiKey.id } };
      });
    });
  }

  /** Revokes a key at once; refused (FAILED_PRECONDITION) when it is its workspace's last admin key. */
  async revokeApiKey(actor: AdminActor, workspaceId: string | null, id: string): Promise<ApiKeyInfo> {
    return this.audited(actor, workspaceId, 'revokeApiKey', { id }, async () => {
      const keyId = validateId(id);
      return this.dataSource.transaction(async (manager) => {
        const key = await this.lockActiveKey(manager, workspaceId, keyId);
        if (isAdminScoped(key.scopes)) {
          const others: Array<{ count: string }> = await manager.query(
            `SELECT count(*) FROM api_keys WHERE workspace_id = $1 AND id <> $2 AND revoked_at IS NULL AND scopes && ARRAY['admin', '*']::text[]`,
            [key.workspaceId, key.id],
          );
          if (Number(others[0]?.count ?? 0) === 0) {
            throw new AdminError('FAILED_PRECONDITION', 'this is the last admin key of its workspace: create another admin key before revoking it', 'id');
          }
        }
        const revoked = await this.markRevoked(manager, key.id);
        return { result: revoked, workspaceId: key.workspaceId, target: `api-key:${key.id}` };
      });
    });
  }

  /**
   * Makes sure the bootstrap admin key exists (hashed, scope `admin`, in the operator workspace);
   * idempotent: a key already stored (even revoked) is left as it is. Returns whether it was created.
   */
  async ensureBootstrapAdminKey(secret: string): Promise<boolean> {
    if (secret.trim().length < 16) throw new AdminError('INVALID', 'must be at least 16 characters', 'CONTINUUM_BOOTSTRAP_ADMIN_KEY');
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO api_keys (workspace_id, name, key_hash, scopes) VALUES ($1, 'bootstrap-admin', $2, ARRAY['admin']::text[])
       ON CONFLICT (key_hash) DO NOTHING RETURNING id`,
      [TenantAdmin.OPERATOR_WORKSPACE_ID, hashApiKey(secret)],
    );
    if (rows[0]) await this.audit(BOOTSTRAP_ACTOR, TenantAdmin.OPERATOR_WORKSPACE_ID, 'bootstrapAdminKey', `api-key:${rows[0].id}`, {}, 'ok');
    return rows.length > 0;
  }

  // --- source write keys ------------------------------------------------------------------------

  async createWriteKey(actor: AdminActor, workspaceId: string, name: string): Promise<{ writeKey: WriteKeyInfo; secret: string }> {
    return this.audited(actor, workspaceId, 'createWriteKey', { name }, async () => {
      const validName = validateName(name);
      const secret = `wk_${randomBytes(24).toString('base64url')}`;
      const rows: WriteKeyInfo[] = await this.dataSource.query(
        `INSERT INTO source_write_keys (workspace_id, name, key_hash) VALUES ($1, $2, $3) RETURNING ${WRITE_KEY_COLUMNS}`,
        [workspaceId, validName, hashApiKey(secret)],
      );
      const writeKey = strip(rows[0]!);
      return { result: { writeKey, secret }, workspaceId, target: `write-key:${writeKey.id}` };
    });
  }

  async listWriteKeys(workspaceId: string, page: AdminPage<KeyPosition>): Promise<Array<Positioned<WriteKeyInfo>>> {
    return this.dataSource.query(...keysetQuery('source_write_keys', WRITE_KEY_COLUMNS, workspaceId, page));
  }

  async countWriteKeys(workspaceId: string): Promise<number> {
    const rows: Array<{ count: string }> = await this.dataSource.query(`SELECT count(*) FROM source_write_keys WHERE workspace_id = $1`, [workspaceId]);
    return Number(rows[0]?.count ?? 0);
  }

  async writeKeysByIds(workspaceId: string | null, ids: readonly string[]): Promise<WriteKeyInfo[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    return this.dataSource.query(
      `SELECT ${WRITE_KEY_COLUMNS} FROM source_write_keys WHERE id = ANY($1::uuid[]) ${workspaceId ? 'AND workspace_id = $2' : ''}`,
      workspaceId ? [valid, workspaceId] : [valid],
    );
  }

  /** Revokes a write key at once (write keys are not cached). */
  async revokeWriteKey(actor: AdminActor, workspaceId: string | null, id: string): Promise<WriteKeyInfo> {
    return this.audited(actor, workspaceId, 'revokeWriteKey', { id }, async () => {
      const keyId = validateId(id);
      const rows: WriteKeyInfo[] = await this.dataSource.query(
        `SELECT ${WRITE_KEY_COLUMNS} FROM source_write_keys WHERE id = $1 ${workspaceId ? 'AND workspace_id = $2' : ''}`,
        workspaceId ? [keyId, workspaceId] : [keyId],
      );
      const key = rows[0];
      if (!key) throw new AdminError('NOT_FOUND', `no write key has the id "${id}"`, 'id');
      if (key.revokedAt) throw new AdminError('FAILED_PRECONDITION', 'the write key is already revoked', 'id');
      const updated: [WriteKeyInfo[], number] = await this.dataSource.query(
        `UPDATE source_write_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING ${WRITE_KEY_COLUMNS}`,
        [keyId],
      );
      const revoked = updated[0][0];
      if (!revoked) throw new AdminError('FAILED_PRECONDITION', 'the write key is already revoked', 'id');
      return { result: strip(revoked), workspaceId: key.workspaceId, target: `write-key:${key.id}` };
    });
  }

  // --- audit ------------------------------------------------------------------------------------

  async audit(actor: AdminActor, workspaceId: string | null, action: string, target: string | null, input: Record<string, unknown>, outcome: 'ok' | 'error', message?: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO admin_audit (workspace_id, actor_key_id, actor, action, target, input, outcome, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [workspaceId, actor.keyId, actor.name, action, target, JSON.stringify(input), outcome, message ?? null],
    );
  }

  /** Runs an action and records it, with its outcome; an error is recorded and rethrown. */
  private async audited<T>(
    actor: AdminActor,
    workspaceId: string | null,
    action: string,
    input: Record<string, unknown>,
    work: () => Promise<{ result: T; workspaceId: string; target: string; detail?: Record<string, unknown> }>,
  ): Promise<T> {
    let done: Awaited<ReturnType<typeof work>>;
    try {
      done = await work();
    } catch (error) {
      await this.audit(actor, workspaceId, action, null, input, 'error', error instanceof Error ? error.message : String(error));
      throw error;
    }
    await this.audit(actor, done.workspaceId, action, done.target, { ...input, ...done.detail }, 'ok');
    return done.result;
  }

  private async insertApiKey(manager: EntityManager, workspaceId: string, name: string, scopes: readonly string[], secret: string): Promise<ApiKeyInfo> {
    const rows: Array<Positioned<ApiKeyInfo>> = await manager.query(
      `INSERT INTO api_keys (workspace_id, name, key_hash, scopes) VALUES ($1, $2, $3, $4::text[]) RETURNING ${API_KEY_COLUMNS}`,
      [workspaceId, name, hashApiKey(secret), scopes],
    );
    return strip(rows[0]!);
  }

  private async lockActiveKey(manager: EntityManager, workspaceId: string | null, keyId: string): Promise<ApiKeyInfo> {
    const rows: Array<Positioned<ApiKeyInfo>> = await manager.query(
      `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = $1 ${workspaceId ? 'AND workspace_id = $2' : ''} FOR UPDATE`,
      workspaceId ? [keyId, workspaceId] : [keyId],
    );
    const key = rows[0];
    if (!key) throw new AdminError('NOT_FOUND', `no API key has the id "${keyId}"`, 'id');
    if (key.revokedAt) throw new AdminError('FAILED_PRECONDITION', 'the API key is already revoked', 'id');
    // Serialises revocations in one workspace, so that two can never each leave the other as the last admin key.
    await manager.query(`SELECT id FROM workspaces WHERE id = $1 FOR UPDATE`, [key.workspaceId]);
    return strip(key);
  }

  private async markRevoked(manager: EntityManager, id: string): Promise<ApiKeyInfo> {
    const rows: [Array<Positioned<ApiKeyInfo>>, number] = await manager.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 RETURNING ${API_KEY_COLUMNS}`, [id]);
    return strip(rows[0][0]!);
  }
}

export function isAdminScoped(scopes: readonly string[]): boolean {
  return scopes.includes('admin') || scopes.includes(ALL_SCOPES);
}

export function newApiKeySecret(): string {
  return `ck_${randomBytes(24).toString('base64url')}`;
}

function strip<T extends object>(row: T & { position?: string }): T {
  const { position: _position, ...rest } = row;
  return rest as T;
}

function keysetQuery(table: string, columns: string, workspaceId: string, page: AdminPage<KeyPosition>): [string, unknown[]] {
  const params: unknown[] = [workspaceId, page.limit + 1];
  const where = ['workspace_id = $1'];
  if (page.after) where.push(`(created_at, id) > ($${params.push(page.after.createdAt)}::timestamptz, $${params.push(page.after.id)}::uuid)`);
  if (page.before) where.push(`(created_at, id) < ($${params.push(page.before.createdAt)}::timestamptz, $${params.push(page.before.id)}::uuid)`);
  const direction = page.backward ? 'DESC' : 'ASC';
  return [`SELECT ${columns} FROM ${table} WHERE ${where.join(' AND ')} ORDER BY created_at ${direction}, id ${direction} LIMIT $2`, params];
}
