import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../affected-rows';
import { KEY_BYTES, open, seal, type Kms } from './kms';

/** The customer whose data key was destroyed (crypto-shredding): their data cannot be decrypted. */
export class DataKeyDestroyedError extends Error {
  constructor(readonly workspaceId: string, readonly keyId?: string) {
    super(`the data key${keyId ? ` ${keyId}` : ''} was destroyed (the customer was erased): the data cannot be decrypted`);
    this.name = 'DataKeyDestroyedError';
  }
}

/** An unwrapped data key. */
export interface DataKey {
  keyId: string;
  key: Buffer;
}

/** The scope of a workspace's own data key, for payloads that belong to no customer. */
const WORKSPACE_SCOPE = 'workspace';

/** How a customer is named in the key tables: a hash, so a destroyed key's row names no one. */
export function customerKeyRef(workspaceId: string, customerId: string | undefined): string {
  if (customerId === undefined) return WORKSPACE_SCOPE;
  return `c:${createHash('sha256').update(`${workspaceId}:${customerId}`).digest('hex')}`;
}

const workspaceKeyContext = (workspaceId: string, version: number) => `continuum/workspace-key/${workspaceId}/v${version}`;
const dataKeyContext = (workspaceId: string, ref: string, keyId: string) => `continuum/data-key/${workspaceId}/${ref}/${keyId}`;

interface DataKeyRow {
  key_id: string;
  destroyed_key_ids: string[];
  workspace_key_version: number | null;
  wrapped: Buffer | null;
  workspace_wrapped: Buffer | null;
}

const rotationLock = (workspaceId: string) => `continuum/workspace-keys/${workspaceId}`;

/**
 * The customer key store (envelope encryption): root key (KMS) → workspace key (per version) →
 * data key (per customer, plus one per workspace for payloads of no customer).
 *
 * Rotation of a workspace key (`rotateWorkspaceKey`) makes a new workspace key version, re-wraps
 * every live data key of the workspace under it and deletes the old versions, in one transaction.
 * Data keys themselves do not change, so everything they encrypted stays decodable; until a
 * rotation commits, data keys wrapped by the old version unwrap as before. Rotating the root key is
 * the KMS's business (re-wrap the workspace keys).
 */
export class CustomerKeyStore {
  constructor(private readonly dataSource: DataSource, private readonly kms: Kms) {}

  /** The customer's data key (the workspace's when `customerId` is undefined), made on first use. */
  async dataKeyFor(workspaceId: string, customerId?: string): Promise<DataKey> {
    const ref = customerKeyRef(workspaceId, customerId);
    let row = await this.readDataKey(workspaceId, ref);
    if (!row || row.wrapped === null) {
      await this.dataSource.transaction(async (manager) => {
        // Shared with other first uses, exclusive with a rotation: the version read stays current.
        await manager.query(`SELECT pg_advisory_xact_lock_shared(hashtext($1))`, [rotationLock(workspaceId)]);
        const workspaceKey = await this.currentWorkspaceKey(manager, workspaceId);
        const keyId = randomUUID();
        const wrapped = seal(workspaceKey.key, randomBytes(KEY_BYTES), dataKeyContext(workspaceId, ref, keyId));
        // Two first uses race: one insert wins, both read the winner. A customer erased before and
        // seen again gets a fresh key (the destroyed one stays destroyed, listed by id).
        await manager.query(
          `INSERT INTO customer_data_keys (workspace_id, customer_ref, key_id, workspace_key_version, wrapped)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workspace_id, customer_ref) DO UPDATE
             SET key_id = EXCLUDED.key_id, workspace_key_version = EXCLUDED.workspace_key_version, wrapped = EXCLUDED.wrapped, destroyed_at = NULL
             WHERE customer_data_keys.wrapped IS NULL`,
          [workspaceId, ref, keyId, workspaceKey.version, wrapped],
        );
      });
      row = await this.readDataKey(workspaceId, ref);
      if (!row) throw new Error(`the data key of ${ref} in workspace ${workspaceId} vanished while being made`);
    }
    return this.unwrapDataKey(workspaceId, ref, row);
  }

  /** The data key with this id, for decryption; never makes a key. */
  async dataKeyById(workspaceId: string, customerId: string | undefined, keyId: string): Promise<DataKey> {
    const ref = customerKeyRef(workspaceId, customerId);
    const row = await this.readDataKey(workspaceId, ref);
    if (!row) throw new Error(`no data key ${keyId} in workspace ${workspaceId}`);
    if (row.key_id !== keyId) {
      if (row.wrapped === null || row.destroyed_key_ids.includes(keyId)) throw new DataKeyDestroyedError(workspaceId, keyId);
      throw new Error(`no data key ${keyId} in workspace ${workspaceId} (the customer's key is ${row.key_id})`);
    }
    return this.unwrapDataKey(workspaceId, ref, row);
  }

  /**
   * Crypto-shredding: forgets the customer's wrapped data key and records the destruction, so their
   * data cannot be decrypted and no new key is made for them. Idempotent; true when a key was live.
   * A customer with no key yet gets a destroyed record, so later use fails too.
   */
  async destroyDataKey(workspaceId: string, customerId: string): Promise<boolean> {
    const ref = customerKeyRef(workspaceId, customerId);
    // Record first (a customer with no key yet), then destroy a live key: a racing first use either
    // finds the record or is destroyed by the update.
    await this.dataSource.query(
      `INSERT INTO customer_data_keys (workspace_id, customer_ref, key_id, destroyed_at, destroyed_key_ids)
       VALUES ($1, $2, $3::uuid, now(), ARRAY[$3::uuid]) ON CONFLICT (workspace_id, customer_ref) DO NOTHING`,
      [workspaceId, ref, randomUUID()],
    );
    const result: unknown = await this.dataSource.query(
      `UPDATE customer_data_keys
       SET wrapped = NULL, workspace_key_version = NULL, destroyed_at = now(), destroyed_key_ids = array_append(destroyed_key_ids, key_id)
       WHERE workspace_id = $1 AND customer_ref = $2 AND destroyed_at IS NULL`,
      [workspaceId, ref],
    );
    return affectedRows(result) > 0;
  }

  /** Whether the customer's key was destroyed. */
  async isDestroyed(workspaceId: string, customerId: string): Promise<boolean> {
    const row = await this.readDataKey(workspaceId, customerKeyRef(workspaceId, customerId));
    return row !== undefined && row.wrapped === null;
  }

  /** Re-wraps every live data key of the workspace under a new workspace key version; returns it. */
  async rotateWorkspaceKey(workspaceId: string): Promise<{ version: number; rewrapped: number }> {
    return this.dataSource.transaction(async (manager) => {
      // Rotations of one workspace take turns; each statement after the lock sees the previous one's commit.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [rotationLock(workspaceId)]);
      const latest: { version: number }[] = await manager.query(`SELECT max(version) AS version FROM workspace_keys WHERE workspace_id = $1`, [
        workspaceId,
      ]);
      const version = (latest[0]?.version ?? 0) + 1;
      const fresh = randomBytes(KEY_BYTES);
      await manager.query(`INSERT INTO workspace_keys (workspace_id, version, key_id, wrapped) VALUES ($1, $2, $3, $4)`, [
        workspaceId,
        version,
        randomUUID(),
        Buffer.from(await this.kms.wrap(fresh, workspaceKeyContext(workspaceId, version))),
      ]);
      const rows: (Omit<DataKeyRow, 'workspace_wrapped'> & { customer_ref: string })[] = await manager.query(
        `SELECT customer_ref, key_id, workspace_key_version, wrapped FROM customer_data_keys
         WHERE workspace_id = $1 AND wrapped IS NOT NULL AND workspace_key_version < $2 FOR UPDATE`,
        [workspaceId, version],
      );
      const old = new Map<number, Buffer>();
      for (const row of rows) {
        const from = row.workspace_key_version as number;
        if (!old.has(from)) old.set(from, await this.unwrapWorkspaceKey(manager, workspaceId, from));
        const context = dataKeyContext(workspaceId, row.customer_ref, row.key_id);
        const key = open(old.get(from) as Buffer, row.wrapped as Buffer, context, 'data key unwrap');
        await manager.query(
          `UPDATE customer_data_keys SET wrapped = $3, workspace_key_version = $4 WHERE workspace_id = $1 AND customer_ref = $2`,
          [workspaceId, row.customer_ref, seal(fresh, key, context), version],
        );
      }
      await manager.query(`DELETE FROM workspace_keys WHERE workspace_id = $1 AND version < $2`, [workspaceId, version]);
      return { version, rewrapped: rows.length };
    });
  }

  /**
   * Root key rotation: re-wraps every workspace key of every workspace under the KMS's current root
   * key (the KMS must still unwrap the old ones: `LocalKms(newRoot, [oldRoot])`). Each workspace in
   * its own transaction, taking turns with its rotations; safe to run again (boxes already under the
   * current key are re-wrapped too, harmlessly). Data keys and payloads do not change.
   */
  async rewrapWorkspaceKeys(): Promise<{ workspaces: number; workspaceKeys: number }> {
    const workspaces: { workspace_id: string }[] = await this.dataSource.query(`SELECT DISTINCT workspace_id FROM workspace_keys ORDER BY workspace_id`);
    let workspaceKeys = 0;
    for (const { workspace_id: workspaceId } of workspaces) {
      workspaceKeys += await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [rotationLock(workspaceId)]);
        const rows: { version: number; wrapped: Buffer }[] = await manager.query(`SELECT version, wrapped FROM workspace_keys WHERE workspace_id = $1 FOR UPDATE`, [workspaceId]);
        for (const row of rows) {
          const context = workspaceKeyContext(workspaceId, row.version);
          const key = await this.kms.unwrap(row.wrapped, context);
          await manager.query(`UPDATE workspace_keys SET wrapped = $3 WHERE workspace_id = $1 AND version = $2`, [workspaceId, row.version, Buffer.from(await this.kms.wrap(key, context))]);
        }
        return rows.length;
      });
    }
    return { workspaces: workspaces.length, workspaceKeys };
  }

  /** The data key's row and its workspace key, in one statement (one snapshot: a rotation cannot come between). */
  private async readDataKey(workspaceId: string, ref: string): Promise<DataKeyRow | undefined> {
    const rows: DataKeyRow[] = await this.dataSource.query(
      `SELECT d.key_id, d.destroyed_key_ids, d.workspace_key_version, d.wrapped, w.wrapped AS workspace_wrapped
       FROM customer_data_keys d
       LEFT JOIN workspace_keys w ON w.workspace_id = d.workspace_id AND w.version = d.workspace_key_version
       WHERE d.workspace_id = $1 AND d.customer_ref = $2`,
      [workspaceId, ref],
    );
    return rows[0];
  }

  private async unwrapDataKey(workspaceId: string, ref: string, row: DataKeyRow): Promise<DataKey> {
    if (row.wrapped === null || row.workspace_key_version === null) throw new DataKeyDestroyedError(workspaceId, row.key_id);
    if (row.workspace_wrapped === null) throw new Error(`workspace key v${row.workspace_key_version} of workspace ${workspaceId} is missing`);
    const workspaceKey = Buffer.from(await this.kms.unwrap(row.workspace_wrapped, workspaceKeyContext(workspaceId, row.workspace_key_version)));
    return { keyId: row.key_id, key: open(workspaceKey, row.wrapped, dataKeyContext(workspaceId, ref, row.key_id), 'data key unwrap') };
  }

  private async unwrapWorkspaceKey(manager: EntityManager, workspaceId: string, version: number): Promise<Buffer> {
    const rows: { wrapped: Buffer }[] = await manager.query(`SELECT wrapped FROM workspace_keys WHERE workspace_id = $1 AND version = $2`, [
      workspaceId,
      version,
    ]);
    if (!rows[0]) throw new Error(`workspace key v${version} of workspace ${workspaceId} is missing`);
    return Buffer.from(await this.kms.unwrap(rows[0].wrapped, workspaceKeyContext(workspaceId, version)));
  }

  /** The newest workspace key, version 1 made on first use (concurrency-safe). */
  private async currentWorkspaceKey(manager: EntityManager, workspaceId: string): Promise<{ version: number; key: Buffer }> {
    const latest = async () =>
      (await manager.query(`SELECT max(version) AS version FROM workspace_keys WHERE workspace_id = $1`, [workspaceId]))[0] as { version: number | null };
    let { version } = await latest();
    if (version === null) {
      const wrapped = Buffer.from(await this.kms.wrap(randomBytes(KEY_BYTES), workspaceKeyContext(workspaceId, 1)));
      await manager.query(`INSERT INTO workspace_keys (workspace_id, version, key_id, wrapped) VALUES ($1, 1, $2, $3) ON CONFLICT DO NOTHING`, [
        workspaceId,
        randomUUID(),
        wrapped,
      ]);
      ({ version } = await latest());
      if (version === null) throw new Error(`the workspace key of ${workspaceId} vanished while being made`);
    }
    return { version, key: await this.unwrapWorkspaceKey(manager, workspaceId, version) };
  }
}
