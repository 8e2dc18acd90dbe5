import { Client } from 'pg';
import type { TimelineKind } from './repositories/customer-timeline-store';

/** The NOTIFY channel the live-updates triggers (migration 1732400000000) announce rows on. */
export const ACTIVITY_CHANNEL = 'continuum_activity';

/** A row that was just written: a journal entry, an event, or a message (created or changed status). */
export interface ActivityNotice {
  workspaceId: string;
  /** Null when the customer id was too long for a notification; read the row to learn it. */
  customerId: string | null;
  /** The journey instance (workflow id) of a journal entry or a message; null for an event. */
  instanceId: string | null;
  kind: Extract<TimelineKind, 'EVENT' | 'JOURNEY_STEP' | 'MESSAGE'>;
  id: string;
}

export interface ActivityListenerOptions {
  applicationName?: string;
  /** First reconnection delay; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onNotice: (notice: ActivityNotice) => void;
  /** Connection changes, for logs: `listening`, or `disconnected` with the error and the next attempt's delay. */
  onStatus?: (status: { state: 'listening' } | { state: 'disconnected'; error: Error; retryInMs: number }) => void;
}

const KINDS = new Set(['EVENT', 'JOURNEY_STEP', 'MESSAGE']);

/**
 * One dedicated PostgreSQL connection (not a pool's: LISTEN belongs to a session) that listens on
 * {@link ACTIVITY_CHANNEL} and reconnects with exponential backoff when the connection drops.
 * Notifications sent while it is disconnected are lost; readers that need every row re-read them.
 */
export class ActivityListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private backoffMs: number;

  constructor(
    private readonly databaseUrl: string,
    private readonly options: ActivityListenerOptions,
  ) {
    this.backoffMs = options.initialBackoffMs ?? 250;
  }

  /** Resolves once listening, or after the first attempt failed (it keeps retrying in the background). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  get listening(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: this.options.applicationName ?? 'continuum-listener' });
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      if (this.client === client) this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.scheduleReconnect(error);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel !== ACTIVITY_CHANNEL || !message.payload) return;
      const notice = parseNotice(message.payload);
      if (notice) this.options.onNotice(notice);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ACTIVITY_CHANNEL}`);
    } catch (error) {
      fail(error as Error);
      return;
    }
    if (failed) return;
    if (this.stopped) {
      failed = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = this.options.initialBackoffMs ?? 250;
    this.options.onStatus?.({ state: 'listening' });
  }

  private scheduleReconnect(error: Error): void {
    if (this.stopped) return;
    const retryInMs = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 10_000);
    this.options.onStatus?.({ state: 'disconnected', error, retryInMs });
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, retryInMs);
  }
}

function parseNotice(payload: string): ActivityNotice | null {
  try {
    const raw = JSON.parse(payload) as Record<string, unknown>;
    if (typeof raw['workspace_id'] !== 'string' || typeof raw['id'] !== 'string' || !KINDS.has(raw['kind'] as string)) return null;
    return {
      workspaceId: raw['workspace_id'],
      customerId: typeof raw['customer_id'] === 'string' ? raw['customer_id'] : null,
      instanceId: typeof raw['instance_id'] === 'string' ? raw['instance_id'] : null,
      kind: raw['kind'] as ActivityNotice['kind'],
      id: raw['id'],
    };
  } catch {
    return null;
  }
}
