import type { DataSource, EntityManager } from 'typeorm';
import type { Channel, ConsentChange, ConsentStatus } from '@continuum/domain';

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
 * Consent per customer, channel and purpose (`subscribed` / `unsubscribed`; no row is `unknown`),
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

  async history(workspaceId: string, customerId: string, limit = 100): Promise<ConsentChangeRecord[]> {
    return this.dataSource.query(
      `SELECT id::text, channel, purpose, status, source, detail, changed_at AS "updatedAt" FROM consent_changes
       WHERE workspace_id = $1 AND customer_id = $2 ORDER BY id DESC LIMIT $3`,
      [workspaceId, customerId, limit],
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
