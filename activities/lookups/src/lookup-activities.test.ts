import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineLookup, type LookupActivities } from '@continuum/contracts';
import { Warehouse } from '@continuum/data';
import { createTestDatabase, freePort, type TestDatabase } from '@continuum/testing';
import { createLookupActivities } from './lookup-activities';

const loyaltyPoints = defineLookup({ name: 'loyalty-points', sql: 'SELECT points, tier FROM loyalty_accounts WHERE user_id = :user_id', params: ['user_id'] });
const allAccounts = defineLookup({ name: 'all-accounts', sql: 'SELECT user_id FROM loyalty_accounts ORDER BY user_id', params: [], maxRows: 2 });
const slow = defineLookup({ name: 'slow', sql: 'SELECT pg_sleep(:seconds) AS slept', params: ['seconds'], timeoutMs: 200 });
const badColumn = defineLookup({ name: 'bad-column', sql: 'SELECT no_such_column FROM loyalty_accounts', params: [] });
const sneakyWrite = defineLookup({ name: 'sneaky-write', sql: 'SELECT add_points(:user_id) AS points', params: ['user_id'] });
const plainUpdate = defineLookup({ name: 'plain-update', sql: 'UPDATE loyalty_accounts SET points = 0 RETURNING points', params: [] });

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

// A real PostgreSQL stands in for the warehouse.
describe('lookup activities', () => {
  let db: TestDatabase;
  let warehouse: Warehouse;
  let activities: LookupActivities;
  const defaults = { timeoutMs: 2_000, maxRows: 100 };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(`
      CREATE TABLE loyalty_accounts (user_id text PRIMARY KEY, points integer NOT NULL, tier text NOT NULL);
      INSERT INTO loyalty_accounts VALUES ('ana', 1250, 'gold'), ('ben', 40, 'basic'), ('cy', 7, 'basic');
      CREATE FUNCTION add_points(who text) RETURNS integer LANGUAGE sql AS $$
        UPDATE loyalty_accounts SET points = points + 1000 WHERE user_id = who RETURNING points
      $$;`);
    warehouse = new Warehouse(db.url, { poolSize: 2 });
    activities = createLookupActivities({ warehouse, lookups: [loyaltyPoints, allAccounts, slow, badColumn, sneakyWrite, plainUpdate], defaults });
  });
  afterAll(async () => {
    await warehouse?.close();
    await db?.teardown();
  });

  it('reads rows with the named parameters bound', async () => {
    await expect(activities.runLookup({ name: 'loyalty-points', params: { user_id: 'ana' } })).resolves.toEqual({
      rows: [{ points: 1250, tier: 'gold' }],
      truncated: false,
    });
    await expect(activities.runLookup({ name: 'loyalty-points', params: { user_id: "ana' OR '1'='1" } })).resolves.toEqual({ rows: [], truncated: false });
  });

  it('returns at most maxRows rows and says when there were more', async () => {
    await expect(activities.runLookup({ name: 'all-accounts', params: {} })).resolves.toEqual({
      rows: [{ user_id: 'ana' }, { user_id: 'ben' }],
      truncated: true,
    });
  });

  it('fails a query that runs past its timeout with a non-retryable LookupTimeout, and the pool stays usable', async () => {
    const started = Date.now();
    const failure = await failureOf(activities.runLookup({ name: 'slow', params: { seconds: 5 } }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failure).toMatchObject({ type: 'LookupTimeout', nonRetryable: true, message: 'Lookup "slow": The query took longer than 200 ms' });
    await expect(activities.runLookup({ name: 'loyalty-points', params: { user_id: 'ben' } })).resolves.toMatchObject({ rows: [{ points: 40 }] });
  });

  it('fails a broken query with a non-retryable LookupFailed carrying PostgreSQL’s message', async () => {
    const failure = await failureOf(activities.runLookup({ name: 'bad-column', params: {} }));
    expect(failure).toMatchObject({ type: 'LookupFailed', nonRetryable: true });
    expect(failure.message).toContain('column "no_such_column" does not exist');
  });

  it('rejects writes: the transaction is read-only and the SQL can only be a query', async () => {
    const viaFunction = await failureOf(activities.runLookup({ name: 'sneaky-write', params: { user_id: 'cy' } }));
    expect(viaFunction).toMatchObject({ type: 'LookupFailed', nonRetryable: true });
    expect(viaFunction.message).toContain('cannot execute UPDATE in a read-only transaction');
    const statement = await failureOf(activities.runLookup({ name: 'plain-update', params: {} }));
    expect(statement).toMatchObject({ type: 'LookupFailed', nonRetryable: true });
    expect(await db.dataSource.query(`SELECT user_id, points FROM loyalty_accounts ORDER BY user_id`)).toEqual([
      { user_id: 'ana', points: 1250 },
      { user_id: 'ben', points: 40 },
      { user_id: 'cy', points: 7 },
    ]);
  });

  it('refuses unknown lookups and parameters that do not fit', async () => {
    expect(await failureOf(activities.runLookup({ name: 'nope', params: {} }))).toMatchObject({ type: 'UnknownLookup', nonRetryable: true });
    const wrong = await failureOf(activities.runLookup({ name: 'loyalty-points', params: { user: 'ana' } }));
    expect(wrong).toMatchObject({ type: 'InvalidLookupParams', nonRetryable: true, message: 'Lookup "loyalty-points" needs parameter(s) user_id' });
  });

  it('fails with WarehouseNotConfigured, naming WAREHOUSE_URL, when there is no warehouse', async () => {
    const unconfigured = createLookupActivities({ warehouse: undefined, lookups: [loyaltyPoints], defaults });
    const failure = await failureOf(unconfigured.runLookup({ name: 'loyalty-points', params: { user_id: 'ana' } }));
    expect(failure).toMatchObject({ type: 'WarehouseNotConfigured', nonRetryable: true });
    expect(failure.message).toContain('WAREHOUSE_URL');
  });

  it('retries when the warehouse cannot be reached', async () => {
    const unreachable = new Warehouse(`postgres://postgres@127.0.0.1:${await freePort()}/warehouse`, { connectTimeoutMs: 1_000 });
    try {
      const activitiesOff = createLookupActivities({ warehouse: unreachable, lookups: [loyaltyPoints], defaults });
      const failure = await failureOf(activitiesOff.runLookup({ name: 'loyalty-points', params: { user_id: 'ana' } }));
      expect(failure).toMatchObject({ type: 'WarehouseUnavailable', nonRetryable: false });
    } finally {
      await unreachable.close();
    }
  });

  it('refuses two lookups with one name', () => {
    expect(() => createLookupActivities({ warehouse, lookups: [loyaltyPoints, loyaltyPoints], defaults })).toThrow('Two lookups are named "loyalty-points"');
  });
});
