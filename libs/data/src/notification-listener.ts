import { Client } from 'pg';

export interface NotificationListenerOptions {
  applicationName?: string;
  /** First reconnection delay; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Connection changes, for logs: `listening`, or `disconnected` with the error and the next attempt's delay. */
  onStatus?: (status: { state: 'listening' } | { state: 'disconnected'; error: Error; retryInMs: number }) => void;
}

/**
 * One dedicated PostgreSQL connection (not a pool's: LISTEN belongs to a session) that listens on
 * one NOTIFY channel and reconnects with exponential backoff when the connection drops.
 * Notifications sent while it is disconnected are lost; readers that need every row re-read them.
 */
export class NotificationListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private backoffMs: number;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly options: NotificationListenerOptions = {},
  ) {
    // The channel goes into LISTEN as an identifier, which cannot be a bind parameter.
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`"${channel}" is not a NOTIFY channel name (lower-case identifier)`);
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
      if (message.channel === this.channel && message.payload) this.onPayload(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
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
