import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../affected-rows';
import { keysetSql, type KeysetWindow } from '../keyset';
import { AudienceDefinitionError, compileAudience } from './audience-definition';

export interface Audience {
  id: string;
  workspaceId: string;
  name: string;
  definition: unknown;
  refreshedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who entered and who left an audience in one evaluation. */
export interface MembershipChange {
  audienceId: string;
  audience: string;
  customerId: string;
  change: 'entered' | 'exited';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const COLUMNS = `id, workspace_id AS "workspaceId", name, definition, refreshed_at AS "refreshedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Audiences compiled to one SQL query each over the workspace's profiles (with indexes on traits,
 * country and per-customer event history). Membership is kept in `audience_members` and changed in
 * one statement per evaluation, so concurrent evaluations report each entry and exit once.
 */
export class AudienceStore {
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  /** Creates or replaces a definition (validated by compiling it). Members are recomputed by the next refresh. */
  async save(workspaceId: string, name: string, definition: unknown): Promise<Audience> {
    if (!NAME.test(name)) throw new AudienceDefinitionError('name', 'must be 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit');
    compileAudience(definition, [workspaceId, new Date()], { workspace: 1, now: 2 });
    const rows: Audience[] = await this.dataSource.query(
      `INSERT INTO audiences (workspace_id, name, definition) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, name) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()
       RETURNING ${COLUMNS}`,
      [workspaceId, name, JSON.stringify(definition)],
    );
    return rows[0]!;
  }

  async list(workspaceId: string): Promise<Audience[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM audiences WHERE workspace_id = $1 ORDER BY name`, [workspaceId]);
  }

  /** Every audience of every workspace (the periodic refresh). */
  async listAll(): Promise<Audience[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM audiences ORDER BY workspace_id, name`);
  }

  /** Audiences of a workspace by name: up to `limit + 1` in fetch order (see KeysetWindow); a position is a name. */
  async page(workspaceId: string, window: KeysetWindow<string>): Promise<Audience[]> {
    const params: unknown[] = [workspaceId];
    const conditions = ['workspace_id = $1'];
    const order = keysetSql('ASC', window.backward);
    if (window.after !== undefined) conditions.push(`name ${order.after} $${params.push(window.after)}`);
    if (window.before !== undefined) conditions.push(`name ${order.before} $${params.push(window.before)}`);
    params.push(window.limit + 1);
    return this.dataSource.query(`SELECT ${COLUMNS} FROM audiences WHERE ${conditions.join(' AND ')} ORDER BY name ${order.direction} LIMIT $${params.length}`, params);
  }

  /** How many audiences the workspace has. */
  async count(workspaceId: string): Promise<number> {
    const [row]: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM audiences WHERE workspace_id = $1`, [workspaceId]);
    return row?.count ?? 0;
  }

  /** The audiences of these ids in the workspace, in the same order; null for one not found. */
  async getByIds(workspaceId: string, ids: readonly string[]): Promise<Array<Audience | null>> {
    const valid = ids.filter((id) => UUID.test(id));
    const rows: Audience[] = valid.length === 0 ? [] : await this.dataSource.query(`SELECT ${COLUMNS} FROM audiences WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, valid]);
    return ids.map((id) => rows.find((row) => row.id.toLowerCase() === id.toLowerCase()) ?? null);
  }

  async get(workspaceId: string, name: string): Promise<Audience | null> {
    const rows: Audience[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM audiences WHERE workspace_id = $1 AND name = $2`, [workspaceId, name]);
    return rows[0] ?? null;
  }

  async remove(workspaceId: string, name: string): Promise<boolean> {
    // The driver answers a DELETE with [rows, count]: the count says whether there was one.
    return affectedRows(await this.dataSource.query(`DELETE FROM audiences WHERE workspace_id = $1 AND name = $2`, [workspaceId, name])) > 0;
  }

  /** Who the definition matches now: the count and the first `sample` customers by id (nothing is stored). */
  async preview(workspaceId: string, definition: unknown, options: { sample?: number; now?: Date } = {}): Promise<{ size: number; sample: string[] }> {
    const params: unknown[] = [workspaceId, options.now ?? new Date()];
    const condition = compileAudience(definition, params, { workspace: 1, now: 2 });
    const [counted]: Array<{ size: string }> = await this.dataSource.query(`SELECT count(*) AS size FROM profiles p WHERE p.workspace_id = $1 AND ${condition}`, params);
    const sample: Array<{ user_id: string }> = await this.dataSource.query(
      `SELECT p.user_id FROM profiles p WHERE p.workspace_id = $1 AND ${condition} ORDER BY p.user_id LIMIT ${Math.max(0, Math.min(options.sample ?? 10, 100))}`,
      params,
    );
    return { size: Number(counted!.size), sample: sample.map((row) => row.user_id) };
  }

  /** Current members by customer id: up to `limit + 1` in fetch order (see KeysetWindow); a position is a customer id. */
  async members(audienceId: string, window: KeysetWindow<string>): Promise<Array<{ customerId: string; enteredAt: Date }>> {
    const params: unknown[] = [audienceId];
    const conditions = ['audience_id = $1'];
    const order = keysetSql('ASC', window.backward);
    if (window.after !== undefined) conditions.push(`customer_id ${order.after} $${params.push(window.after)}`);
    if (window.before !== undefined) conditions.push(`customer_id ${order.before} $${params.push(window.before)}`);
    params.push(window.limit + 1);
    return this.dataSource.query(
      `SELECT customer_id AS "customerId", entered_at AS "enteredAt" FROM audience_members
       WHERE ${conditions.join(' AND ')} ORDER BY customer_id ${order.direction} LIMIT $${params.length}`,
      params,
    );
  }

  /** Memberships of these (audience id, customer id) pairs in the workspace, in the same order; null for one not a member now. */
  async membersByKeys(workspaceId: string, keys: ReadonlyArray<{ audienceId: string; customerId: string }>): Promise<Array<{ audienceId: string; customerId: string; enteredAt: Date } | null>> {
    const valid = keys.filter((key) => UUID.test(key.audienceId));
    const rows: Array<{ audienceId: string; customerId: string; enteredAt: Date }> =
      valid.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT m.audience_id AS "audienceId", m.customer_id AS "customerId", m.entered_at AS "enteredAt"
             FROM audience_members m JOIN audiences a ON a.id = m.audience_id
             JOIN unnest($2::uuid[], $3::text[]) AS k(audience_id, customer_id) ON k.audience_id = m.audience_id AND k.customer_id = m.customer_id
             WHERE a.workspace_id = $1`,
            [workspaceId, valid.map((key) => key.audienceId), valid.map((key) => key.customerId)],
          );
    return keys.map((key) => rows.find((row) => row.audienceId.toLowerCase() === key.audienceId.toLowerCase() && row.customerId === key.customerId) ?? null);
  }

  async size(audienceId: string): Promise<number> {
    const [row]: Array<{ size: string }> = await this.dataSource.query(`SELECT count(*) AS size FROM audience_members WHERE audience_id = $1`, [audienceId]);
    return Number(row!.size);
  }

  /**
   * Re-evaluates one audience for everyone (or only `customerId`): adds who now matches, removes
   * who no longer does, and returns exactly those changes.
   */
  async evaluate(audience: Pick<Audience, 'id' | 'workspaceId' | 'name' | 'definition'>, options: { customerId?: string; now?: Date } = {}): Promise<MembershipChange[]> {
    const params: unknown[] = [audience.workspaceId, options.now ?? new Date(), audience.id, options.customerId ?? null];
    const condition = compileAudience(audience.definition, params, { workspace: 1, now: 2 });
    const rows: Array<{ change: 'entered' | 'exited'; customer_id: string }> = await this.dataSource.query(
      `WITH matching AS (
         SELECT p.user_id FROM profiles p WHERE p.workspace_id = $1 AND ($4::text IS NULL OR p.user_id = $4) AND ${condition}
       ), entered AS (
         INSERT INTO audience_members (audience_id, customer_id) SELECT $3, user_id FROM matching
         ON CONFLICT DO NOTHING RETURNING customer_id
       ), exited AS (
         DELETE FROM audience_members m WHERE m.audience_id = $3 AND ($4::text IS NULL OR m.customer_id = $4)
           AND NOT EXISTS (SELECT 1 FROM matching WHERE matching.user_id = m.customer_id)
         RETURNING customer_id
       )
       SELECT 'entered' AS change, customer_id FROM entered UNION ALL SELECT 'exited', customer_id FROM exited`,
      params,
    );
    if (options.customerId === undefined) await this.dataSource.query(`UPDATE audiences SET refreshed_at = $2 WHERE id = $1`, [audience.id, options.now ?? new Date()]);
    return rows.map((row) => ({ audienceId: audience.id, audience: audience.name, customerId: row.customer_id, change: row.change }));
  }
}
