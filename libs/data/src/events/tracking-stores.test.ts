import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { DEFAULT_WORKSPACE_ID, EventStore, SourceKeyStore, WorkspaceStore, type NewEvent } from '../index';

describe('tracking API stores (real PostgreSQL, migrations applied)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.teardown();
  });

  const at = new Date('2025-03-01T12:00:00.000Z');
  const event = (messageId: string, overrides: Partial<NewEvent> = {}): NewEvent => ({
    workspaceId: DEFAULT_WORKSPACE_ID,
    messageId,
    userId: 'store-user',
    type: 'track',
    name: 'Cart Updated',
    properties: { n: messageId },
    timestamp: at,
    receivedAt: at,
    ...overrides,
  });

  it('authenticates live write keys of a workspace, stored only as a hash', async () => {
    const keys = new SourceKeyStore(db.dataSource);
    const brand = await new WorkspaceStore(db.dataSource).createWorkspace('store-brand', 'Store brand');
    const key = await keys.createWriteKey(brand.id, 'web');
    expect(key).toMatch(/^wk_/);
    expect(await keys.authenticate(key)).toMatchObject({ workspaceId: brand.id, workspaceSlug: 'store-brand', sourceName: 'web' });
    const [row] = await db.dataSource.query(`SELECT key_hash FROM source_write_keys WHERE name = 'web'`);
    expect(row.key_hash).not.toContain(key);
    const [source] = await keys.list(brand.id);
    expect(await keys.revoke(brand.id, source!.id)).toBe(true);
    expect(await keys.revoke(brand.id, source!.id)).toBe(false);
    expect(await keys.authenticate(key)).toBeUndefined();
    await keys.ensureDevWriteKey('wk_dev_fixed');
    await keys.ensureDevWriteKey('wk_dev_fixed');
    expect(await keys.authenticate('wk_dev_fixed')).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, sourceName: 'development' });
  });

  it('stores a batch in the order given, each messageId once, within the batch and across batches', async () => {
    const events = new EventStore(db.dataSource);
    const first = await events.acceptBatch([event('b-1'), event('b-2'), event('b-1', { properties: { n: 'repeat' } }), event('b-3')]);
    expect(first.map(({ messageId, inserted }) => [messageId, inserted])).toEqual([
      ['b-1', true],
      ['b-2', true],
      ['b-1', false],
      ['b-3', true],
    ]);
    expect(first[2]!.id).toBe(first[0]!.id);
    expect(Number(first[1]!.id)).toBeGreaterThan(Number(first[0]!.id));
    expect(Number(first[3]!.id)).toBeGreaterThan(Number(first[1]!.id));
    const again = await events.acceptBatch([event('b-3'), event('b-4')]);
    expect(again.map(({ messageId, inserted, id }) => [messageId, inserted, id])).toEqual([
      ['b-3', false, first[3]!.id],
      ['b-4', true, expect.any(String)],
    ]);
    const rows = await db.dataSource.query(`SELECT message_id, properties FROM events WHERE message_id LIKE 'b-%' ORDER BY id`);
    expect(rows).toEqual([
      { message_id: 'b-1', properties: { n: 'b-1' } },
      { message_id: 'b-2', properties: { n: 'b-2' } },
      { message_id: 'b-3', properties: { n: 'b-3' } },
      { message_id: 'b-4', properties: { n: 'b-4' } },
    ]);
  });

  it('merges identify traits in order, in the same transaction as the events', async () => {
    const events = new EventStore(db.dataSource);
    await events.acceptBatch([
      event('i-1', { type: 'identify', userId: 'trait-user', name: undefined, traits: { plan: 'free', phone: '+1 415 555 0100' }, identities: { phone: '+14155550100' } }),
      event('i-2', { type: 'identify', userId: 'trait-user', name: undefined, traits: { plan: 'pro', city: 'Porto' } }),
      event('i-3', { type: 'page', userId: 'anon:v1', anonymousId: 'v1', name: 'Home', routedAt: at }),
    ]);
    const [profile] = await db.dataSource.query(`SELECT traits, phone FROM profiles WHERE user_id = 'trait-user'`);
    expect(profile).toEqual({ traits: { plan: 'pro', city: 'Porto', phone: '+1 415 555 0100' }, phone: '+14155550100' });
    const [page] = await db.dataSource.query(`SELECT anonymous_id, routed_at FROM events WHERE message_id = 'i-3'`);
    expect(page).toEqual({ anonymous_id: 'v1', routed_at: at });
    expect(await db.dataSource.query(`SELECT 1 FROM profiles WHERE user_id = 'anon:v1'`)).toHaveLength(1);
  });

  it('stores nothing of a batch when any part of it fails', async () => {
    const events = new EventStore(db.dataSource);
    const unknownWorkspace = '00000000-0000-0000-0000-00000000dead';
    await expect(events.acceptBatch([event('r-1'), event('r-2', { workspaceId: unknownWorkspace })])).rejects.toThrow(/foreign key/);
    expect(await db.dataSource.query(`SELECT 1 FROM events WHERE message_id LIKE 'r-%'`)).toEqual([]);
  });

  it('lists unrouted events page by page in the order accepted', async () => {
    const events = new EventStore(db.dataSource);
    const stored = await events.acceptBatch([event('u-1', { userId: 'sweep' }), event('u-2', { userId: 'sweep' }), event('u-3', { userId: 'sweep' })]);
    await events.markRoutedMany([stored[1]!.id]);
    const unrouted = (await events.listUnroutedAfter(String(Number(stored[0]!.id) - 1), 10)).filter((row) => row.userId === 'sweep');
    expect(unrouted.map((row) => row.messageId)).toEqual(['u-1', 'u-3']);
    expect((await events.listUnroutedAfter(stored[0]!.id, 1)).map((row) => row.messageId)).toEqual(['u-3']);
  });
});
