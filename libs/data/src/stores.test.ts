import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { DEFAULT_WORKSPACE_ID, erasedCustomerRef, InvalidScopeError, JournalStore, WorkspaceStore, type JournalWrite } from './index';

describe('PostgreSQL stores (real PostgreSQL, migrations applied)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.teardown();
  });

  it('creates the default workspace in the first migration', async () => {
    expect(await new WorkspaceStore(db.dataSource).getWorkspace(DEFAULT_WORKSPACE_ID)).toMatchObject({ slug: 'default' });
  });

  it('authenticates only live keys, which are stored hashed', async () => {
    const workspaces = new WorkspaceStore(db.dataSource);
    const key = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'ci');
    expect(await workspaces.authenticate(key)).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, workspaceSlug: 'default' });
    const [row] = await db.dataSource.query(`SELECT key_hash FROM api_keys WHERE name = 'ci'`);
    expect(row.key_hash).not.toContain(key);
    await db.dataSource.query(`UPDATE api_keys SET revoked_at = now() WHERE name = 'ci'`);
    expect(await workspaces.authenticate(key)).toBeUndefined();
  });

  it('stores the scopes a key is created with (default *) and refuses unknown scope names', async () => {
    const workspaces = new WorkspaceStore(db.dataSource);
    expect((await workspaces.authenticate(await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'all')))?.scopes).toEqual(['*']);
    const scoped = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'scoped', undefined, ['track', 'read', 'track']);
    expect((await workspaces.authenticate(scoped))?.scopes).toEqual(['track', 'read']);
    await expect(workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'bad', undefined, ['write'])).rejects.toThrow(InvalidScopeError);
    expect(await db.dataSource.query(`SELECT 1 FROM api_keys WHERE name = 'bad'`)).toEqual([]);
  });

  it('rejects a workspace slug that could not appear in a workflow id', async () => {
    await expect(new WorkspaceStore(db.dataSource).createWorkspace('Bad/Slug', 'x')).rejects.toThrow(/check constraint/);
  });

  it('writes each journal entry once and keeps the instance summary current', async () => {
    const journal = new JournalStore(db.dataSource);
    const base: JournalWrite = {
      workspaceId: DEFAULT_WORKSPACE_ID,
      instanceId: 'journey/abandoned-cart/ana/c1',
      runId: 'run-1',
      seq: 1,
      journeyId: 'abandoned-cart',
      customerId: 'ana',
      key: 'c1',
      type: 'entered',
      step: 'entry',
      status: 'active',
      detail: {},
      at: new Date('2026-01-01T10:00:00Z'),
    };
    expect(await journal.record(base)).toBe(true);
    expect(await journal.record(base)).toBe(false); // a retried activity
    // Retried in a later workflow task (the one that ran it timed out): a later time, still the same entry,
    // also when its month is another partition.
    expect(await journal.record({ ...base, at: new Date('2026-01-01T10:00:07Z') })).toBe(false);
    expect(await journal.record({ ...base, at: new Date('2026-02-01T00:00:01Z') })).toBe(false);
    await journal.record({ ...base, seq: 2, type: 'exited', step: 'exit', status: 'exited', detail: { reason: 'event: Order Completed' }, at: new Date('2026-01-01T10:05:00Z') });
    expect((await journal.listEntries(base.instanceId)).map((entry) => entry.type)).toEqual(['entered', 'exited']);
    const [instance] = await journal.listInstances(DEFAULT_WORKSPACE_ID, 'ana');
    expect(instance).toMatchObject({
      status: 'exited',
      currentStep: 'exit',
      exitReason: 'event: Order Completed',
      startedAt: new Date('2026-01-01T10:00:00Z'),
      endedAt: new Date('2026-01-01T10:05:00Z'),
    });
  });

  it('writes entries made back to back in one transaction, in order, each once (a retried batch, or one overlapping an earlier)', async () => {
    const journal = new JournalStore(db.dataSource);
    const entry = (seq: number, type: string, status: JournalWrite['status'] = 'active'): JournalWrite => ({
      workspaceId: DEFAULT_WORKSPACE_ID,
      instanceId: 'journey/abandoned-cart/bia/c2',
      runId: 'run-2',
      seq,
      journeyId: 'abandoned-cart',
      customerId: 'bia',
      key: 'c2',
      type,
      step: type === 'completed' ? 'done' : 'remind',
      status,
      detail: {},
      at: new Date(Date.UTC(2026, 0, 2, 10, 0, seq)),
    });
    expect(await journal.recordMany([])).toEqual([]);
    expect(await journal.recordMany([entry(1, 'entered'), entry(2, 'wait.started')])).toEqual([true, true]);
    expect(await journal.recordMany([entry(1, 'entered'), entry(2, 'wait.started')])).toEqual([false, false]);
    expect(await journal.recordMany([entry(2, 'wait.started'), entry(3, 'wait.ended'), entry(4, 'completed', 'completed')])).toEqual([false, true, true]);
    expect((await journal.listEntries('journey/abandoned-cart/bia/c2')).map((line) => [line.seq, line.type])).toEqual([
      [1, 'entered'],
      [2, 'wait.started'],
      [3, 'wait.ended'],
      [4, 'completed'],
    ]);
    // The summary is the last entry's.
    const [instance] = await journal.listInstances(DEFAULT_WORKSPACE_ID, 'bia');
    expect(instance).toMatchObject({ status: 'completed', currentStep: 'done', endedAt: new Date(Date.UTC(2026, 0, 2, 10, 0, 4)) });
  });

  it('journals a step of an erased customer as the anonymous tombstone', async () => {
    const journal = new JournalStore(db.dataSource);
    const anonymous = erasedCustomerRef(DEFAULT_WORKSPACE_ID, 'gone');
    await db.dataSource.query(
      `INSERT INTO erasures (workspace_id, customer_hash, instances_ended, events_deleted, messages_deleted, journal_entries_anonymised) VALUES ($1, $2, 1, 0, 0, 0)`,
      [DEFAULT_WORKSPACE_ID, anonymous],
    );
    // What the worker writes when the instance ends on the archive signal sent during erasure.
    await journal.record({
      workspaceId: DEFAULT_WORKSPACE_ID,
      instanceId: 'journey/abandoned-cart/gone/c9',
      runId: 'run-9',
      seq: 7,
      journeyId: 'abandoned-cart',
      customerId: 'gone',
      key: 'c9',
      type: 'exited',
      step: 'exit',
      status: 'exited',
      detail: { reason: 'archived', phone: '+14155550100' },
      at: new Date(),
    });
    const [entry] = await db.dataSource.query(`SELECT customer_id, detail FROM journal_entries WHERE instance_id = 'journey/abandoned-cart/gone/c9'`);
    expect(entry).toEqual({ customer_id: anonymous, detail: {} });
    expect(await journal.listInstances(DEFAULT_WORKSPACE_ID, 'gone')).toEqual([]);
  });
});
