import { Pool, type PoolClient } from 'pg';

/** Why a warehouse read failed: `timeout` and `query` are final, `connection` is worth retrying. */
export type WarehouseErrorKind = 'timeout' | 'query' | 'connection';

export class WarehouseError extends Error {
  constructor(
    readonly kind: WarehouseErrorKind,
    message: string,
    /** PostgreSQL's SQLSTATE, when the server answered. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'WarehouseError';
  }
}

export interface WarehouseRead {
  /** One SELECT with `$1..$n` placeholders; it runs as a subquery, so it cannot be a write. */
  text: string;
  values: unknown[];
  timeoutMs: number;
  maxRows: number;
}

// SQLSTATE class 08 is connection exceptions; 57P01-03 the server shutting down or not yet up.
const CONNECTION_CODES = /^(08|57P0[1-3]|53300)/;
const QUERY_CANCELED = '57014';
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * A read-only connection pool to the warehouse (any PostgreSQL the lookups read from). Every read
 * runs in its own `READ ONLY` transaction with a `statement_timeout`, and fetches at most
 * `maxRows + 1` rows so that the caller learns whether there were more.
 */
export class Warehouse {
  private readonly pool: Pool;

  constructor(url: string, options: { applicationName?: string; poolSize?: number; connectTimeoutMs?: number } = {}) {
    this.pool = new Pool({
      connectionString: url,
      application_name: options.applicationName ?? 'continuum-lookups',
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    });
    // An idle client losing its connection must not crash the process; the next read reconnects.
    this.pool.on('error', () => undefined);
  }

  async read({ text, values, timeoutMs, maxRows }: WarehouseRead): Promise<{ rows: Record<string, unknown>[]; truncated: boolean }> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new WarehouseError('connection', `Cannot connect to the warehouse: ${(error as Error).message}`);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(timeoutMs)]);
      const result = await client.query<Record<string, unknown>>(`SELECT * FROM (${text}\n) AS lookup LIMIT ${maxRows + 1}`, values);
      await client.query('COMMIT');
      return { rows: result.rows.slice(0, maxRows), truncated: result.rows.length > maxRows };
    } catch (error) {
      const failure = classify(error, timeoutMs);
      if (failure.kind === 'connection') broken = failure;
      else await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw failure;
    } finally {
      // A client whose connection broke is discarded instead of going back to the pool.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function classify(error: unknown, timeoutMs: number): WarehouseError {
  const { code, message } = error as { code?: string; message?: string };
  if (code === QUERY_CANCELED) return new WarehouseError('timeout', `The query took longer than ${timeoutMs} ms`, code);
  // Node's socket errors have codes too (ECONNRESET): only a five-character SQLSTATE is the server's answer.
  if (typeof code === 'string' && SQLSTATE.test(code) && !CONNECTION_CODES.test(code)) return new WarehouseError('query', message ?? String(error), code);
  return new WarehouseError('connection', `Lost the warehouse connection: ${message ?? String(error)}`, code);
}
