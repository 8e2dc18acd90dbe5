import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CustomerKeyStore } from '../crypto/key-store';
import { DecryptionError, open, seal } from '../crypto/kms';
import { affectedRows, returnedRows } from '../affected-rows';
import { keysetSql, type KeysetWindow } from '../keyset';

/** The endpoint's secret exists but cannot be opened here (no key store, or the key does not open it). */
export class WebhookSecretUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretUnavailableError';
  }
}

export interface WebhookEndpointRecord {
  id: string;
  workspaceId: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Until when the secret replaced by the last rotation still signs beside the current one; null when it signs no more. */
  previousSecretExpiresAt: Date | null;
  /** The first failed attempt since the endpoint's last delivered one; null when its last attempt was delivered (or none failed). */
  failingSince: Date | null;
  /** Why it was disabled by itself, and when (null when it was not, or was enabled again since). */
  disabledReason: string | null;
  disabledAt: Date | null;
  /** Keyset position (created_at, exact to the microsecond, UTC). */
  position: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRecord {
  id: string;
  workspaceId: string;
  endpointId: string;
  eventType: string;
  payload: Record<string, unknown>;
  status: WebhookDeliveryStatus;
  attempts: number;
  replays: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  position: string;
}

export interface WebhookAttemptRecord {
  replay: number;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
}

export interface WebhookPosition {
  at: string;
  id: string;
}

const SECRET_PREFIX = 'whsec_';
const secretContext = (endpointId: string) => `continuum/webhook-endpoint-secret/${endpointId}`;
const POSITION = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position`;
const ENDPOINT_COLUMNS = `id, workspace_id AS "workspaceId", url, description, event_types AS "eventTypes", enabled, created_at AS "createdAt", updated_at AS "updatedAt",
  CASE WHEN previous_expires_at > now() THEN previous_expires_at END AS "previousSecretExpiresAt", failing_since AS "failingSince",
  disabled_reason AS "disabledReason", disabled_at AS "disabledAt", ${POSITION}`;
const DELIVERY_COLUMNS = `id, workspace_id AS "workspaceId", endpoint_id AS "endpointId", event_type AS "eventType", payload, status, attempts, replays,
  last_status_code AS "lastStatusCode", last_error AS "lastError", created_at AS "createdAt", last_attempt_at AS "lastAttemptAt", delivered_at AS "deliveredAt", ${POSITION}`;
/** Longest error text kept per attempt. */
const MAX_ERROR_CHARS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long a rotated secret keeps signing beside the new one unless the rotation says otherwise. */
export const WEBHOOK_PREVIOUS_SECRET_VALID_FOR_MS = 24 * 3_600_000;
/** The longest a rotation may keep the previous secret signing. */
export const WEBHOOK_PREVIOUS_SECRET_MAX_MS = 7 * 24 * 3_600_000;

/** What an attempt did to its endpoint's health (recordAttempt). */
export interface WebhookEndpointHealthChange {
  /** The endpoint was disabled by this attempt: it has failed every attempt since `failingSince`. */
  disabled?: { endpointId: string; failingSince: Date; reason: string };
}

/**
 * A workspace's webhook endpoints (each with its own signing secret, sealed under the workspace's
 * data key when payload encryption is on), the deliveries the outbox triggers queue for them, and
 * every attempt made (docs/webhooks.md).
 */
export class WebhookStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: CustomerKeyStore | undefined,
  ) {}

  async createEndpoint(workspaceId: string, input: { url: string; description: string; eventTypes: string[]; enabled: boolean }): Promise<WebhookEndpointRecord> {
    const id: string = (await this.dataSource.query(`SELECT gen_random_uuid()::text AS id`))[0].id;
    const { sealed, keyId } = await this.sealNew(workspaceId, id);
    const rows: WebhookEndpointRecord[] = await this.dataSource.query(
      `INSERT INTO webhook_endpoints (id, workspace_id, url, description, event_types, enabled, secret, key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ENDPOINT_COLUMNS}`,
      [id, workspaceId, input.url, input.description, input.eventTypes, input.enabled, sealed, keyId],
    );
    return rows[0]!;
  }

  /**
   * Changes the given fields; undefined when the endpoint is not the workspace's. Setting `enabled`
   * clears a disabling by itself (its reason and time); enabling also starts its failure count afresh.
   */
  async updateEndpoint(
    workspaceId: string,
    id: string,
    patch: { url?: string; description?: string; eventTypes?: string[]; enabled?: boolean },
  ): Promise<WebhookEndpointRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows = returnedRows<WebhookEndpointRecord>(await this.dataSource.query(
      `UPDATE webhook_endpoints SET url = COALESCE($3, url), description = COALESCE($4, description), event_types = COALESCE($5, event_types),
         enabled = COALESCE($6, enabled), updated_at = now(),
         failing_since = CASE WHEN $6 IS TRUE THEN NULL ELSE failing_since END,
         disabled_reason = CASE WHEN $6 IS NULL THEN disabled_reason END,
         disabled_at = CASE WHEN $6 IS NULL THEN disabled_at END
       WHERE workspace_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
      [workspaceId, id, patch.url ?? null, patch.description ?? null, patch.eventTypes ?? null, patch.enabled ?? null],
    ));
    return rows[0];
  }

  /**
   * Replaces the endpoint's secret; the replaced one keeps signing beside it for `previousValidForMs`
   * (0: not at all), while receivers move to the new one. A secret replaced before is dropped.
   * Undefined when the endpoint is not the workspace's.
   */
  async rotateSecret(workspaceId: string, id: string, previousValidForMs = WEBHOOK_PREVIOUS_SECRET_VALID_FOR_MS): Promise<WebhookEndpointRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    if (!Number.isInteger(previousValidForMs) || previousValidForMs < 0 || previousValidForMs > WEBHOOK_PREVIOUS_SECRET_MAX_MS) {
      throw new RangeError(`previousValidForMs must be an integer from 0 to ${WEBHOOK_PREVIOUS_SECRET_MAX_MS}, got ${previousValidForMs}`);
    }
    const { sealed, keyId } = await this.sealNew(workspaceId, id);
    const keep = previousValidForMs > 0;
    const rows = returnedRows<WebhookEndpointRecord>(await this.dataSource.query(
      `UPDATE webhook_endpoints SET
         previous_secret = CASE WHEN $5 THEN secret END, previous_key_id = CASE WHEN $5 THEN key_id END,
         previous_expires_at = CASE WHEN $5 THEN now() + make_interval(secs => $6::double precision / 1000) END,
         secret = $3, key_id = $4, updated_at = now()
       WHERE workspace_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
      [workspaceId, id, sealed, keyId, keep, previousValidForMs],
    ));
    return rows[0];
  }

  /** Deletes the endpoint with its deliveries and their attempts; false when not the workspace's. */
  async deleteEndpoint(workspaceId: string, id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return affectedRows(await this.dataSource.query(`DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2`, [workspaceId, id])) > 0;
  }

  async endpointsById(workspaceId: string, ids: readonly string[]): Promise<WebhookEndpointRecord[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    return this.dataSource.query(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, valid]);
  }

  /** The workspace's endpoints, oldest first: up to `limit + 1` in fetch order (see KeysetWindow). */
  async listEndpoints(workspaceId: string, window: KeysetWindow<WebhookPosition>): Promise<WebhookEndpointRecord[]> {
    const order = keysetSql('ASC', window.backward);
    return this.dataSource.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = $1
         AND ($2::timestamptz IS NULL OR (created_at, id) ${order.after} ($2::timestamptz, $3::uuid))
         AND ($4::timestamptz IS NULL OR (created_at, id) ${order.before} ($4::timestamptz, $5::uuid))
       ORDER BY created_at ${order.direction}, id ${order.direction} LIMIT $6`,
      [workspaceId, window.after?.at ?? null, window.after?.id ?? null, window.before?.at ?? null, window.before?.id ?? null, window.limit + 1],
    );
  }

  async countEndpoints(workspaceId: string): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM webhook_endpoints WHERE workspace_id = $1`, [workspaceId]);
    return rows[0]?.count ?? 0;
  }

  /** The endpoint's signing secret (`whsec_…`). */
  async secretOf(workspaceId: string, id: string): Promise<string | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows: Array<{ secret: Buffer; key_id: string | null }> = await this.dataSource.query(
      `SELECT secret, key_id FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    const row = rows[0];
    return row ? this.open(workspaceId, id, row.secret, row.key_id) : undefined;
  }

  /** An endpoint's deliveries, newest first: up to `limit + 1` in fetch order. */
  async listDeliveries(workspaceId: string, endpointId: string, window: KeysetWindow<WebhookPosition>, status?: WebhookDeliveryStatus): Promise<WebhookDeliveryRecord[]> {
    const order = keysetSql('DESC', window.backward);
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE workspace_id = $1 AND endpoint_id = $2 AND ($7::text IS NULL OR status = $7)
         AND ($3::timestamptz IS NULL OR (created_at, id) ${order.after} ($3::timestamptz, $4::text))
         AND ($5::timestamptz IS NULL OR (created_at, id) ${order.before} ($5::timestamptz, $6::text))
       ORDER BY created_at ${order.direction}, id ${order.direction} LIMIT $8`,
      [workspaceId, endpointId, window.after?.at ?? null, window.after?.id ?? null, window.before?.at ?? null, window.before?.id ?? null, status ?? null, window.limit + 1],
    );
  }

  async countDeliveries(workspaceId: string, endpointId: string, status?: WebhookDeliveryStatus): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM webhook_deliveries WHERE workspace_id = $1 AND endpoint_id = $2 AND ($3::text IS NULL OR status = $3)`,
      [workspaceId, endpointId, status ?? null],
    );
    return rows[0]?.count ?? 0;
  }

  async deliveriesById(workspaceId: string, ids: readonly string[]): Promise<WebhookDeliveryRecord[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE workspace_id = $1 AND id = ANY($2::text[])`, [workspaceId, [...ids]]);
  }

  /** The delivery's last `limit` attempts, oldest first. */
  async attemptsOf(deliveryId: string, limit: number): Promise<WebhookAttemptRecord[]> {
    const rows: WebhookAttemptRecord[] = await this.dataSource.query(
      `SELECT replay, attempt, status_code AS "statusCode", error, duration_ms AS "durationMs", at FROM webhook_delivery_attempts
       WHERE delivery_id = $1 ORDER BY id DESC LIMIT $2`,
      [deliveryId, limit],
    );
    return rows.reverse();
  }

  /** Queues the delivery again (same id, a new replay); undefined when not the workspace's. */
  async replay(workspaceId: string, id: string): Promise<WebhookDeliveryRecord | undefined> {
    const rows: WebhookDeliveryRecord[] = await this.dataSource.query(
      `WITH replayed AS (
         UPDATE webhook_deliveries SET replays = replays + 1, status = 'pending', dispatched_at = NULL, delivered_at = NULL, updated_at = now()
         WHERE workspace_id = $1 AND id = $2 RETURNING *)
       SELECT ${DELIVERY_COLUMNS} FROM replayed`,
      [workspaceId, id],
    );
    if (rows.length > 0) await this.dataSource.query(`SELECT pg_notify('continuum_webhook', '')`);
    return rows[0];
  }

  /** Queues again every failed delivery of the endpoint made since `since`; how many. */
  async replayFailed(workspaceId: string, endpointId: string, since: Date): Promise<number> {
    const replayed = affectedRows(
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET replays = replays + 1, status = 'pending', dispatched_at = NULL, updated_at = now()
         WHERE workspace_id = $1 AND endpoint_id = $2 AND status = 'failed' AND created_at >= $3`,
        [workspaceId, endpointId, since],
      ),
    );
    if (replayed > 0) await this.dataSource.query(`SELECT pg_notify('continuum_webhook', '')`);
    return replayed;
  }

  /**
   * Hands up to `limit` undispatched deliveries to `start` (which starts their workflows, idempotently
   * by id) and marks them dispatched, in one transaction that holds their rows: dispatchers on several
   * workers share the queue (SKIP LOCKED), and a crash before the commit leaves them to be started again.
   */
  async dispatch(limit: number, start: (deliveries: Array<{ id: string; workspaceId: string; replays: number }>) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; workspaceId: string; replays: number }> = await manager.query(
        `SELECT id, workspace_id AS "workspaceId", replays FROM webhook_deliveries WHERE dispatched_at IS NULL
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await start(rows);
      await manager.query(`UPDATE webhook_deliveries SET dispatched_at = now() WHERE id = ANY($1::text[])`, [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  /**
   * What an attempt sends: the delivery, its endpoint's URL and enabled state, and the secrets it is
   * signed with (the current one first, then a rotated one still in its overlap); undefined when gone.
   */
  async forAttempt(workspaceId: string, deliveryId: string): Promise<{ delivery: WebhookDeliveryRecord; url: string; enabled: boolean; secrets: string[] } | undefined> {
    const [delivery] = await this.deliveriesById(workspaceId, [deliveryId]);
    if (!delivery) return undefined;
    const rows: Array<{ url: string; enabled: boolean; secret: Buffer; key_id: string | null; previous_secret: Buffer | null; previous_key_id: string | null }> =
      await this.dataSource.query(
        `SELECT url, enabled, secret, key_id, CASE WHEN previous_expires_at > now() THEN previous_secret END AS previous_secret, previous_key_id
         FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2`,
        [workspaceId, delivery.endpointId],
      );
    const endpoint = rows[0];
    if (!endpoint) return undefined;
    const secrets = [await this.open(workspaceId, delivery.endpointId, endpoint.secret, endpoint.key_id)];
    if (endpoint.previous_secret) secrets.push(await this.open(workspaceId, delivery.endpointId, endpoint.previous_secret, endpoint.previous_key_id));
    return { delivery, url: endpoint.url, enabled: endpoint.enabled, secrets };
  }

  /**
   * Logs one attempt and sets the delivery's state (delivered, failed, or still pending), unless a
   * later replay has taken it over; and its endpoint's health: a delivered attempt ends its failing
   * streak, a failed one starts it or, when the streak is older than `disableAfterMs` (0: never),
   * disables the endpoint with the reason (its queued deliveries are then skipped).
   */
  async recordAttempt(
    deliveryId: string,
    attempt: { replay: number; attempt: number; statusCode: number | null; error: string | null; durationMs: number },
    status: WebhookDeliveryStatus,
    disableAfterMs = 0,
  ): Promise<WebhookEndpointHealthChange> {
    const error = attempt.error === null ? null : attempt.error.slice(0, MAX_ERROR_CHARS);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, replay, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
        [deliveryId, attempt.replay, attempt.attempt, attempt.statusCode, error, attempt.durationMs],
      );
      await manager.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), updated_at = now(),
           status = CASE WHEN replays = $5 THEN $2 ELSE status END,
           last_status_code = CASE WHEN replays = $5 THEN $3 ELSE last_status_code END,
           last_error = CASE WHEN replays = $5 THEN $4 ELSE last_error END,
           delivered_at = CASE WHEN replays = $5 AND $2 = 'delivered' THEN now() ELSE delivered_at END
         WHERE id = $1`,
        [deliveryId, status, attempt.statusCode, error, attempt.replay],
      );
      if (status === 'delivered') {
        await manager.query(
          `UPDATE webhook_endpoints e SET failing_since = NULL FROM webhook_deliveries d WHERE d.id = $1 AND e.id = d.endpoint_id AND e.failing_since IS NOT NULL`,
          [deliveryId],
        );
        return {};
      }
      const rows: Array<{ endpointId: string; failingSince: Date; disabledReason: string | null }> = returnedRows(
        await manager.query(
          `UPDATE webhook_endpoints e SET
             failing_since = COALESCE(e.failing_since, now()),
             enabled = CASE WHEN $2::double precision > 0 AND e.enabled AND e.failing_since <= now() - make_interval(secs => $2::double precision / 1000) THEN false ELSE e.enabled END,
             disabled_reason = CASE WHEN $2::double precision > 0 AND e.enabled AND e.failing_since <= now() - make_interval(secs => $2::double precision / 1000)
               THEN 'every attempt has failed since ' || to_char(e.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ', the last: ' || left(COALESCE($3, 'an answer of ' || $4::text), 800)
               ELSE e.disabled_reason END,
             disabled_at = CASE WHEN $2::double precision > 0 AND e.enabled AND e.failing_since <= now() - make_interval(secs => $2::double precision / 1000) THEN now() ELSE e.disabled_at END
           FROM webhook_deliveries d WHERE d.id = $1 AND e.id = d.endpoint_id
           RETURNING e.id AS "endpointId", e.failing_since AS "failingSince", CASE WHEN e.disabled_at = now() AND NOT e.enabled THEN e.disabled_reason END AS "disabledReason"`,
          [deliveryId, disableAfterMs, error, attempt.statusCode],
        ),
      );
      const row = rows[0];
      return row?.disabledReason ? { disabled: { endpointId: row.endpointId, failingSince: row.failingSince, reason: row.disabledReason } } : {};
    });
  }

  /** Marks the delivery failed (its attempts ran out), unless a replay has since queued it again. */
  async markFailed(deliveryId: string, replay: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed', last_error = COALESCE(last_error, $3), updated_at = now() WHERE id = $1 AND replays = $2 AND status = 'pending'`,
      [deliveryId, replay, error.slice(0, MAX_ERROR_CHARS)],
    );
  }

  private async sealNew(workspaceId: string, endpointId: string): Promise<{ sealed: Buffer; keyId: string | null }> {
    const plain = Buffer.from(`${SECRET_PREFIX}${randomBytes(32).toString('base64')}`, 'utf8');
    if (!this.keys) return { sealed: plain, keyId: null };
    const dataKey = await this.keys.dataKeyFor(workspaceId);
    return { sealed: seal(dataKey.key, plain, secretContext(endpointId)), keyId: dataKey.keyId };
  }

  private async open(workspaceId: string, endpointId: string, sealed: Buffer, keyId: string | null): Promise<string> {
    if (keyId === null) return sealed.toString('utf8');
    if (!this.keys) throw new WebhookSecretUnavailableError(`the secret of webhook endpoint ${endpointId} is encrypted: set CONTINUUM_ROOT_KEY to read it`);
    try {
      const dataKey = await this.keys.dataKeyById(workspaceId, undefined, keyId);
      return open(dataKey.key, sealed, secretContext(endpointId), 'webhook endpoint secret').toString('utf8');
    } catch (error) {
      if (error instanceof DecryptionError) throw new WebhookSecretUnavailableError(`the secret of webhook endpoint ${endpointId} does not open: ${error.message}`);
      throw error;
    }
  }
}
