import type { DataSource, EntityManager } from 'typeorm';
import type { Channel, ConsentChange, ConsentStatus } from '@continuum/domain';
import { keysetSql, type KeysetWindow } from '../keyset';

const CHANGE_COLUMNS = `id::text AS id, channel, purpose, status, source, detail, changed_at AS "updatedAt"`;

export interface ConsentRecord {
  channel: Channel;
  purpose: string;
  status: ConsentStatus;
  /** Who set it: `traits`, `api`, `inbound:STOP`, `provider:21610`, … */
  source: string;
  updatedAt: Date;
}

export interface ConsentChangeRecord extends ConsentRecord {
  id: string;
  status: ConsentStatus;
  detail: Record<string, unknown> | null;
}

export interface AppliedConsentChange extends ConsentChange {
  source: string;
  at: Date;
  detail?: Record<string, unknown>;
}

/**
 * Consent per customer, channel and purpose (`subscribed` / `unsubscribed` / `pending` a double
 * opt-in confirmation; no row is `unknown`),
 * with the source and time of each choice. A change older than the recorded one does not replace
 * it (events can arrive late) but is kept in the history.
 */
export class ConsentStore {
  /** An EntityManager makes the store work inside that transaction (event acceptance). */
  constructor(private readonly dataSource: DataSource | EntityManager) {}

  async apply(workspaceId: string, customerId: string, changes: AppliedConsentChange[]): Promise<void> {
    for (const change of changes) {
      await this.dataSource.query(
        `INSERT INTO consent_changes (workspace_id, customer_id, channel, purpose, status, source, detail, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
        [workspaceId, customerId, change.channel, change.purpose, change.status, change.source, change.detail ? JSON.stringify(change.detail) : null, change.at],
      );
      if (change.status === 'unknown') {
        await this.dataSource.query(
          `DELETE FROM consents WHERE workspace_id = $1 AND customer_id = $2 AND channel = $3 AND purpose = $4 AND updated_at <= $5`,
          [workspaceId, customerId, change.channel, change.purpose, change.at],
        );
        continue;
      }
      await this.dataSource.query(
        `INSERT INTO consents AS c (workspace_id, customer_id, channel, purpose, status, source, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (workspace_id, customer_id, channel, purpose) DO UPDATE SET
           status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
         WHERE c.updated_at <= EXCLUDED.updated_at`,
        [workspaceId, customerId, change.channel, change.purpose, change.status, change.source, change.at],
      );
    }
  }

  /** Every purpose on `channel` (a keyword like STOP applies to the whole channel). */
  async applyToChannel(
    workspaceId: string,
    customerId: string,
    channel: Channel,
    purposes: string[],
    status: ConsentStatus,
    source: string,
    at: Date,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    const recorded: Array<{ purpose: string }> = await this.dataSource.query(
      `SELECT purpose FROM consents WHERE workspace_id = $1 AND customer_id = $2 AND channel = $3`,
      [workspaceId, customerId, channel],
    );
    const all = [...new Set([...purposes, ...recorded.map((row) => row.purpose)])];
    await this.apply(
      workspaceId,
      customerId,
      all.map((purpose) => ({ channel, purpose, status, source, at, ...(detail ? { detail } : {}) })),
    );
  }

  async list(workspaceId: string, customerId: string): Promise<ConsentRecord[]> {
    return this.dataSource.query(
      `SELECT channel, purpose, status, source, updated_at AS "updatedAt" FROM consents
       WHERE workspace_id = $1 AND customer_id = $2 ORDER BY channel, purpose`,
      [workspaceId, customerId],
    );
  }

  /** The latest consent changes of a customer, newest first. */
  async history(workspaceId: string, customerId: string, limit = 100): Promise<ConsentChangeRecord[]> {
    return this.pageHistory(workspaceId, customerId, { limit: limit - 1 });
  }

  /** A customer's consent changes, newest first: up to `limit + 1` in fetch order (see KeysetWindow); a position is a change id. */
  async pageHistory(workspaceId: string, customerId: string, window: KeysetWindow<string>): Promise<ConsentChangeRecord[]> {
    const order = keysetSql('DESC', window.backward);
    return this.dataSource.query(
      `SELECT ${CHANGE_COLUMNS} FROM consent_changes WHERE workspace_id = $1 AND customer_id = $2
         AND ($3::bigint IS NULL OR id ${order.after} $3::bigint) AND ($4::bigint IS NULL OR id ${order.before} $4::bigint)
       ORDER BY consent_changes.id ${order.direction} LIMIT $5`,
      [workspaceId, customerId, window.after ?? null, window.before ?? null, window.limit + 1],
    );
  }

  /** The changes {@link pageHistory} pages through. */
  async countHistory(workspaceId: string, customerId: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM consent_changes WHERE workspace_id = $1 AND customer_id = $2`, [
      workspaceId,
      customerId,
    ]);
    return rows[0]?.count ?? 0;
  }

  /** Consent changes of a workspace by id, in no order, each with its customer; ids not of this workspace are left out. */
  async changesById(workspaceId: string, ids: readonly string[]): Promise<Array<ConsentChangeRecord & { customerId: string }>> {
    const valid = ids.filter((id) => /^[1-9]\d{0,17}$/.test(id));
    if (valid.length === 0) return [];
    return this.dataSource.query(`SELECT ${CHANGE_COLUMNS}, customer_id AS "customerId" FROM consent_changes WHERE workspace_id = $1 AND id = ANY($2::bigint[])`, [
      workspaceId,
      valid,
    ]);
  }

  /**
   * Of `customerIds`, those whose `purpose` consent on `channel` waits for a double opt-in
   * confirmation, with when it was asked for.
   */
  async pendingConfirmation(workspaceId: string, customerIds: string[], channel: Channel, purpose = 'marketing'): Promise<Array<{ customerId: string; since: Date; source: string }>> {
    if (customerIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT customer_id AS "customerId", updated_at AS since, source FROM consents
       WHERE workspace_id = $1 AND customer_id = ANY($2) AND channel = $3 AND purpose = $4 AND status = 'pending'`,
      [workspaceId, customerIds, channel, purpose],
    );
  }

  /** The status now; `unknown` when the customer never chose. */
  async statusOf(workspaceId: string, customerId: string, channel: Channel, purpose: string): Promise<ConsentStatus | 'unknown'> {
    const rows: Array<{ status: ConsentStatus }> = await this.dataSource.query(
      `SELECT status FROM consents WHERE workspace_id = $1 AND customer_id = $2 AND channel = $3 AND purpose = $4`,
      [workspaceId, customerId, channel, purpose],
    );
    return rows[0]?.status ?? 'unknown';
  }
}
