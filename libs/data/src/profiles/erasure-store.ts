import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { affectedRows } from '../affected-rows';
import { lockMessageReferences } from '../messages/message-store';

/** The anonymous id an erased customer's journal keeps: one-way, stable per workspace and user. */
export function erasedCustomerRef(workspaceId: string, customerId: string): string {
  return `erased:${createHash('sha256').update(`${workspaceId}:${customerId}`).digest('hex').slice(0, 32)}`;
}


export interface ErasureCounts {
  eventsDeleted: number;
  messagesDeleted: number;
  journalEntriesAnonymised: number;
}

/** Erasure of a customer (GDPR/LGPD): their data goes, the journal stays as an anonymous tombstone. */
export class ErasureStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Workflow ids of the customer's running journey instances. */
  async activeInstanceIds(workspaceId: string, customerId: string): Promise<string[]> {
    const rows: Array<{ instance_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT instance_id FROM journey_instances WHERE workspace_id = $1 AND customer_id = $2 AND status = 'active' ORDER BY instance_id`,
      [workspaceId, customerId],
    );
    return rows.map((row) => row.instance_id);
  }

  /**
   * In one transaction: deletes the customer's events, messages and profile (with its identities),
   * rewrites their journal entries and instance summaries to `customerHash` with an empty detail,
   * forgets their `once` journey entries and records the erasure. Null when the workspace has no such profile (nothing is changed).
   */
  async erase(workspaceId: string, customerId: string, customerHash: string, instancesEnded: number): Promise<ErasureCounts | null> {
    return this.dataSource.transaction(async (manager) => {
      const profile = await manager.query(
        `DELETE FROM profiles WHERE workspace_id = $1 AND user_id = $2`,
        [workspaceId, customerId],
      );
      if (affectedRows(profile) === 0) return null;
      // Their messageIds are forgotten with them: the same messageId sent again is a new event.
      await manager.query(
        `DELETE FROM event_message_ids WHERE workspace_id = $1 AND message_id IN (SELECT message_id FROM events WHERE workspace_id = $1 AND user_id = $2)`,
        [workspaceId, customerId],
      );
      const events = await manager.query(`DELETE FROM events WHERE workspace_id = $1 AND user_id = $2`, [
        workspaceId,
        customerId,
      ]);
      await lockMessageReferences(manager);
      // (their outbox keys, sids and inbox entries go with them: the foreign keys cascade)
      const messages = await manager.query(
        `DELETE FROM messages WHERE workspace_id = $1 AND customer_id = $2`,
        [workspaceId, customerId],
      );
      const journal = await manager.query(
        `UPDATE journal_entries SET customer_id = $3, detail = '{}'::jsonb WHERE workspace_id = $1 AND customer_id = $2`,
        [workspaceId, customerId, customerHash],
      );
      // The memory of `once` entries, identities, consent, in-app inbox, transactional requests and merge history are the customer's data too.
      for (const table of ['journey_entries', 'identities', 'consents', 'consent_changes', 'inbox_messages', 'transactional_messages']) {
        await manager.query(`DELETE FROM ${table} WHERE workspace_id = $1 AND customer_id = $2`, [workspaceId, customerId]);
      }
      // Outbound webhook deliveries carry the customer in their payload: those not sent yet are not sent.
      await manager.query(`DELETE FROM webhook_deliveries WHERE workspace_id = $1 AND customer_id = $2`, [workspaceId, customerId]);
      // The change log names the customer (resumable subscriptions): their changes go with them.
      await manager.query(`DELETE FROM live_changes WHERE workspace_id = $1 AND scope = $2 AND stream IN ('activity', 'inbox', 'conversation')`, [workspaceId, customerId]);
      await manager.query(`DELETE FROM profile_merges WHERE workspace_id = $1 AND (into_customer = $2 OR from_customer = $2)`, [workspaceId, customerId]);
      await manager.query(`UPDATE journey_instances SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2`, [
        workspaceId,
        customerId,
        customerHash,
      ]);
      // Operator actions keep who did what, not the customer or the event data they carried.
      await manager.query(`UPDATE operator_audit SET customer_id = $3, input = '{}'::jsonb WHERE workspace_id = $1 AND customer_id = $2`, [
        workspaceId,
        customerId,
        customerHash,
      ]);
      const counts = { eventsDeleted: affectedRows(events), messagesDeleted: affectedRows(messages), journalEntriesAnonymised: affectedRows(journal) };
      await manager.query(
        `INSERT INTO erasures (workspace_id, customer_hash, instances_ended, events_deleted, messages_deleted, journal_entries_anonymised)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [workspaceId, customerHash, instancesEnded, counts.eventsDeleted, counts.messagesDeleted, counts.journalEntriesAnonymised],
      );
      return counts;
    });
  }
}
