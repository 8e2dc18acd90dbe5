import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CustomerKeyStore } from '../crypto/key-store';
import { DecryptionError, open, seal } from '../crypto/kms';

/** The secret exists but cannot be opened here: no key store (CONTINUUM_ROOT_KEY unset) or the key does not open it. */
export class RequestSigningSecretUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestSigningSecretUnavailableError';
  }
}

/** A workspace's request signing secret, as an admin reads it. */
export interface RequestSigningSecret {
  /** `whsec_` and 32 random bytes in base64: the form Standard Webhooks libraries take. */
  secret: string;
  createdAt: Date;
  rotatedAt: Date | null;
  /** The secret replaced by the last rotation, still signed with until `previousExpiresAt`. */
  previousSecret: string | null;
  previousExpiresAt: Date | null;
  /** Whether it is stored sealed under the workspace's data key (payload encryption on). */
  encryptedAtRest: boolean;
}

interface SecretRow {
  secret: Buffer;
  key_id: string | null;
  previous_secret: Buffer | null;
  previous_key_id: string | null;
  previous_expires_at: Date | null;
  created_at: Date;
  rotated_at: Date | null;
}

const SECRET_PREFIX = 'whsec_';
const secretContext = (workspaceId: string) => `continuum/request-signing-secret/${workspaceId}`;

/** How long a replaced secret still signs after a rotation (receivers move to the new one meanwhile). */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;

/**
 * Per-workspace secrets that sign journeys' HTTP requests (one workspace cannot forge requests to
 * another's endpoints). Made on first use; sealed under the workspace's own data key when a key
 * store is given (CONTINUUM_ROOT_KEY set), stored in clear otherwise.
 */
export class RequestSigningSecretStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: CustomerKeyStore | undefined,
    private readonly graceMs = PREVIOUS_SECRET_GRACE_MS,
  ) {}

  /** The workspace's secret, made now if it has none. */
  async secretFor(workspaceId: string): Promise<RequestSigningSecret> {
    let row = await this.read(workspaceId);
    if (!row) {
      const { sealed, keyId } = await this.sealNew(workspaceId);
      // Two first uses race: one insert wins, both read the winner.
      await this.dataSource.query(
        `INSERT INTO request_signing_secrets (workspace_id, secret, key_id) VALUES ($1, $2, $3) ON CONFLICT (workspace_id) DO NOTHING`,
        [workspaceId, sealed, keyId],
      );
      row = await this.read(workspaceId);
      if (!row) throw new Error(`the request signing secret of workspace ${workspaceId} vanished while being made`);
    }
    return this.unseal(workspaceId, row);
  }

  /** The secrets a request is signed with now: the current one, and the previous one until it expires. */
  async signingSecrets(workspaceId: string, now = new Date()): Promise<string[]> {
    const secret = await this.secretFor(workspaceId);
    const previousLive = secret.previousSecret !== null && secret.previousExpiresAt !== null && secret.previousExpiresAt > now;
    return previousLive ? [secret.secret, secret.previousSecret!] : [secret.secret];
  }

  /** Replaces the secret with a new one; the old one still signs for the grace period. */
  async rotate(workspaceId: string): Promise<RequestSigningSecret> {
    await this.secretFor(workspaceId);
    const { sealed, keyId } = await this.sealNew(workspaceId);
    await this.dataSource.query(
      `UPDATE request_signing_secrets
       SET previous_secret = secret, previous_key_id = key_id, previous_expires_at = now() + make_interval(secs => $4::double precision / 1000),
           secret = $2, key_id = $3, rotated_at = now()
       WHERE workspace_id = $1`,
      [workspaceId, sealed, keyId, this.graceMs],
    );
    return this.secretFor(workspaceId);
  }

  private async read(workspaceId: string): Promise<SecretRow | undefined> {
    const rows: SecretRow[] = await this.dataSource.query(
      `SELECT secret, key_id, previous_secret, previous_key_id, previous_expires_at, created_at, rotated_at FROM request_signing_secrets WHERE workspace_id = $1`,
      [workspaceId],
    );
    return rows[0];
  }

  private async sealNew(workspaceId: string): Promise<{ sealed: Buffer; keyId: string | null }> {
    const plain = Buffer.from(`${SECRET_PREFIX}${randomBytes(32).toString('base64')}`, 'utf8');
    if (!this.keys) return { sealed: plain, keyId: null };
    const dataKey = await this.keys.dataKeyFor(workspaceId);
    return { sealed: seal(dataKey.key, plain, secretContext(workspaceId)), keyId: dataKey.keyId };
  }

  private async open(workspaceId: string, sealed: Buffer, keyId: string | null): Promise<string> {
    if (keyId === null) return sealed.toString('utf8');
    if (!this.keys) throw new RequestSigningSecretUnavailableError(`the request signing secret of workspace ${workspaceId} is encrypted: set CONTINUUM_ROOT_KEY to read it`);
    try {
      const dataKey = await this.keys.dataKeyById(workspaceId, undefined, keyId);
      return open(dataKey.key, sealed, secretContext(workspaceId), 'request signing secret').toString('utf8');
    } catch (error) {
      if (error instanceof DecryptionError) throw new RequestSigningSecretUnavailableError(`the request signing secret of workspace ${workspaceId} does not open: ${error.message}`);
      throw error;
    }
  }

  private async unseal(workspaceId: string, row: SecretRow): Promise<RequestSigningSecret> {
    return {
      secret: await this.open(workspaceId, row.secret, row.key_id),
      createdAt: row.created_at,
      rotatedAt: row.rotated_at,
      previousSecret: row.previous_secret ? await this.open(workspaceId, row.previous_secret, row.previous_key_id) : null,
      previousExpiresAt: row.previous_expires_at,
      encryptedAtRest: row.key_id !== null,
    };
  }
}
