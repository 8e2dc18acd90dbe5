import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import {
  DEFAULT_WORKSPACE_ID,
  ErasureStore,
  IdentityStore,
  InboxDeliveryConflictError,
  InboxListener,
  InboxStore,
  MessageStore,
  WorkspaceStore,
  erasedCustomerRef,
  type InboxNotice,
} from '../index';

describe('InboxStore and inbox notifications (real PostgreSQL)', () => {
  let db: TestDatabase;
  let inbox: InboxStore;
  let listener: InboxListener;
  let otherWorkspaceId: string;
  const notices: InboxNotice[] = [];
  const statuses: string[] = [];
  let sends = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = new InboxStore(db.dataSource);
    otherWorkspaceId = (await new WorkspaceStore(db.dataSource).createWorkspace('inbox-other', 'Other')).id;
    listener = new InboxListener(db.url, {
      applicationName: 'inbox-listener-test',
      initialBackoffMs: 20,
      onNotice: (notice) => notices.push(notice),
      onStatus: (status) => statuses.push(status.state),
    });
    await listener.start();
  });

  afterAll(async () => {
    await listener?.stop();
    await db?.teardown();
  });

  /** An outbox row for an in-app send, as the messaging activity claims it before delivering. */
  async function outboxRow(customerId: string, workspaceId = DEFAULT_WORKSPACE_ID): Promise<string> {
    sends += 1;
    const { message } = await new MessageStore(db.dataSource).claim({
      workspaceId,
      customerId,
      instanceId: `journey/onboarding/${customerId}/k`,
      runId: 'run-1',
      step: `in-app-${sends}`,
      channel: 'sms',
      to: customerId,
      body: 'in-app',
    });
    return message.id;
  }

  async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The notices that arrive while `write` runs (and shortly after). */
  async function heard(write: () => Promise<unknown>, count: number): Promise<InboxNotice[]> {
    const from = notices.length;
    await write();
    await until(() => notices.length >= from + count, `${count} notices`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // nothing more than expected
    return notices.slice(from);
  }

  it('delivers once per outbox row: a retried send returns the same row and announces nothing', async () => {
    const messageId = await outboxRow('ina');
    const delivery = { workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'ina', messageId, title: 'Welcome', body: 'Hi Ina', data: { link: '/start' } };
    let first!: Awaited<ReturnType<InboxStore['deliver']>>;
    const [notice] = await heard(async () => (first = await inbox.deliver(delivery)), 1);
    expect(first).toMatchObject({ customerId: 'ina', messageId, title: 'Welcome', body: 'Hi Ina', data: { link: '/start' }, readAt: null, archivedAt: null });
    expect(first.createdAt).toBeInstanceOf(Date);
    expect(notice).toEqual({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'ina', kind: 'DELIVERED', id: first.id });

    // A retry (even with a changed body) and concurrent retries all get the first row.
    const retries = await heard(async () => {
      expect(await inbox.deliver({ ...delivery, body: 'changed' })).toEqual(first);
      const concurrent = await Promise.all([1, 2, 3, 4].map(() => inbox.deliver(delivery)));
      expect(new Set(concurrent.map((row) => row.id))).toEqual(new Set([first.id]));
    }, 0);
    expect(retries).toEqual([]);
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM inbox_messages WHERE message_id = $1`, [messageId]);
    expect(count).toBe(1);

    // Concurrent first deliveries of a new send make one row too.
    const fresh = await outboxRow('ina');
    const raced = await Promise.all([1, 2, 3].map(() => inbox.deliver({ ...delivery, messageId: fresh })));
    expect(new Set(raced.map((row) => row.id)).size).toBe(1);
  });

  it("refuses a send already in another customer's or workspace's inbox, and defaults title and data", async () => {
    const messageId = await outboxRow('jo');
    await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'jo', messageId, body: 'Hi Jo' });
    await expect(inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'someone-else', messageId, body: 'Hi Jo' })).rejects.toBeInstanceOf(
      InboxDeliveryConflictError,
    );
    await expect(inbox.deliver({ workspaceId: otherWorkspaceId, customerId: 'jo', messageId, body: 'Hi Jo' })).rejects.toThrow(/already in another customer's inbox/);
    const [row] = (await inbox.list(DEFAULT_WORKSPACE_ID, 'jo', { limit: 10 })).items;
    expect(row!.message).toMatchObject({ title: null, data: {}, body: 'Hi Jo' });
    // Without an outbox row there is nothing to be idempotent on: each call is a message.
    await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'jo', messageId: null, body: 'Broadcast' });
    await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'jo', messageId: null, body: 'Broadcast' });
    expect((await inbox.list(DEFAULT_WORKSPACE_ID, 'jo', { limit: 10 })).items).toHaveLength(3);
    // data must be an object.
    await expect(db.dataSource.query(`INSERT INTO inbox_messages (workspace_id, customer_id, body, data) VALUES ($1, 'jo', 'x', '[1]')`, [DEFAULT_WORKSPACE_ID])).rejects.toThrow(
      /check constraint/,
    );
  });

  it('lists newest first with stable cursors, filters unread and archived, and counts unread', async () => {
    const bodies = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const delivered = [];
    for (const body of bodies) delivered.push(await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'kai', messageId: await outboxRow('kai'), body }));
    // Same created_at for two rows: the id orders them, and paging neither skips nor repeats one.
    await db.dataSource.query(`UPDATE inbox_messages SET created_at = (SELECT created_at FROM inbox_messages WHERE id = $1) WHERE id = $2`, [delivered[2]!.id, delivered[3]!.id]);

    const pages: string[][] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await inbox.list(DEFAULT_WORKSPACE_ID, 'kai', { limit: 2, ...(after ? { after } : {}) });
      const items = page.items.slice(0, 2);
      pages.push(items.map((item) => item.message.body));
      if (page.items.length <= 2) break;
      after = items.at(-1)!.position;
    }
    expect(pages.flat().sort()).toEqual([...bodies].sort());
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages[0]).toEqual(['m5', expect.any(String)]);
    expect(pages.flat().at(-1)).toBe('m1');
    const all = (await inbox.list(DEFAULT_WORKSPACE_ID, 'kai', { limit: 10 })).items.map((item) => item.message.body);
    expect(pages.flat()).toEqual(all);
    // Backward: the two oldest, nearest the end first; then the two before the second-oldest.
    const tail = (await inbox.list(DEFAULT_WORKSPACE_ID, 'kai', { limit: 2, backward: true })).items;
    expect(tail.map((item) => item.message.body)).toEqual([...all].reverse().slice(0, 3));
    const ahead = await inbox.list(DEFAULT_WORKSPACE_ID, 'kai', { limit: 2, backward: true, before: tail[1]!.position });
    expect(ahead.items.map((item) => item.message.body)).toEqual([all[2], all[1], all[0]]);
    expect(await inbox.count(DEFAULT_WORKSPACE_ID, 'kai', {})).toBe(5);
    expect(await inbox.unreadCount(DEFAULT_WORKSPACE_ID, 'kai')).toBe(5);

    await inbox.markRead(DEFAULT_WORKSPACE_ID, delivered[4]!.id); // m5
    await inbox.archive(DEFAULT_WORKSPACE_ID, delivered[0]!.id); // m1, unread but archived
    expect(await inbox.unreadCount(DEFAULT_WORKSPACE_ID, 'kai')).toBe(3);
    const bodiesOf = async (options: { unreadOnly?: boolean; includeArchived?: boolean }) =>
      (await inbox.list(DEFAULT_WORKSPACE_ID, 'kai', { limit: 10, ...options })).items.map((item) => item.message.body);
    expect(await bodiesOf({})).not.toContain('m1');
    expect(await bodiesOf({})).toHaveLength(4);
    expect(await bodiesOf({ includeArchived: true })).toHaveLength(5);
    expect((await bodiesOf({ unreadOnly: true })).sort()).toEqual(['m2', 'm3', 'm4']);
    expect((await bodiesOf({ unreadOnly: true, includeArchived: true })).sort()).toEqual(['m2', 'm3', 'm4']);
    expect(await inbox.count(DEFAULT_WORKSPACE_ID, 'kai', {})).toBe(4);
    expect(await inbox.count(DEFAULT_WORKSPACE_ID, 'kai', { includeArchived: true })).toBe(5);
    expect(await inbox.count(DEFAULT_WORKSPACE_ID, 'kai', { unreadOnly: true })).toBe(3);
    expect(await inbox.list(otherWorkspaceId, 'kai', { limit: 10 })).toEqual({ items: [] });
  });

  it('marks read and archives once (again changes nothing), announcing each first change; unknown ids are null', async () => {
    const messageId = await outboxRow('lu');
    let row!: Awaited<ReturnType<InboxStore['deliver']>>;
    await heard(async () => (row = await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'lu', messageId, body: 'Hello' })), 1);
    let read!: Awaited<ReturnType<InboxStore['markRead']>>;
    const [readNotice] = await heard(async () => (read = await inbox.markRead(DEFAULT_WORKSPACE_ID, row.id)), 1);
    expect(readNotice).toEqual({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'lu', kind: 'READ', id: row.id });
    expect(read!.readAt).toBeInstanceOf(Date);
    const again = await heard(async () => expect(await inbox.markRead(DEFAULT_WORKSPACE_ID, row.id)).toEqual(read), 0);
    expect(again).toEqual([]);

    let archived!: Awaited<ReturnType<InboxStore['archive']>>;
    const [archiveNotice] = await heard(async () => (archived = await inbox.archive(DEFAULT_WORKSPACE_ID, row.id)), 1);
    expect(archiveNotice).toMatchObject({ kind: 'ARCHIVED', id: row.id });
    expect(archived).toMatchObject({ readAt: read!.readAt, archivedAt: expect.any(Date) });
    expect(await heard(async () => expect(await inbox.archive(DEFAULT_WORKSPACE_ID, row.id)).toEqual(archived), 0)).toEqual([]);
    // Both at once (not through the store) are two changes.
    let other!: Awaited<ReturnType<InboxStore['deliver']>>;
    await heard(async () => (other = await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'lu', messageId: null, body: 'Second' })), 1);
    const both = await heard(() => db.dataSource.query(`UPDATE inbox_messages SET read_at = now(), archived_at = now() WHERE id = $1`, [other.id]), 2);
    expect(both.map((notice) => notice.kind)).toEqual(['READ', 'ARCHIVED']);

    expect(await inbox.markRead(otherWorkspaceId, row.id)).toBeNull();
    expect(await inbox.archive(otherWorkspaceId, row.id)).toBeNull();
    expect(await inbox.get(otherWorkspaceId, row.id)).toBeNull();
    expect(await inbox.markRead(DEFAULT_WORKSPACE_ID, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await inbox.markRead(DEFAULT_WORKSPACE_ID, 'not-a-uuid')).toBeNull();
    expect(await inbox.get(DEFAULT_WORKSPACE_ID, row.id)).toEqual(archived);
  });

  it('leaves out a customer id too long for NOTIFY instead of failing the delivery', async () => {
    const longId = 'x'.repeat(9_000);
    let row!: Awaited<ReturnType<InboxStore['deliver']>>;
    const [notice] = await heard(async () => (row = await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: longId, messageId: null, body: 'Hi' })), 1);
    expect(notice).toEqual({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: null, kind: 'DELIVERED', id: row.id });
    expect((await inbox.get(DEFAULT_WORKSPACE_ID, notice!.id))?.customerId).toBe(longId);
  });

  it('follows a merge into the known customer, and goes with an erasure or the outbox row', async () => {
    await db.dataSource.query(`INSERT INTO profiles (workspace_id, user_id) VALUES ($1, 'anon:dev-9'), ($1, 'mia')`, [DEFAULT_WORKSPACE_ID]);
    const sent = await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'anon:dev-9', messageId: await outboxRow('anon:dev-9'), body: 'Before login' });
    const merge = await db.dataSource.transaction((manager) => new IdentityStore(manager).merge(DEFAULT_WORKSPACE_ID, 'anon:dev-9', 'mia', 'identify', undefined));
    expect(merge?.moved).toMatchObject({ inboxMessages: 1, messages: 1 });
    expect((await inbox.list(DEFAULT_WORKSPACE_ID, 'mia', { limit: 10 })).items.map((item) => item.message.id)).toEqual([sent.id]);

    const loose = await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'mia', messageId: null, body: 'No outbox row' });
    await new ErasureStore(db.dataSource).erase(DEFAULT_WORKSPACE_ID, 'mia', erasedCustomerRef(DEFAULT_WORKSPACE_ID, 'mia'), 0);
    expect(await inbox.get(DEFAULT_WORKSPACE_ID, sent.id)).toBeNull();
    expect(await inbox.get(DEFAULT_WORKSPACE_ID, loose.id)).toBeNull();

    const messageId = await outboxRow('ned');
    const row = await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'ned', messageId, body: 'x' });
    await db.dataSource.query(`DELETE FROM messages WHERE id = $1`, [messageId]);
    expect(await inbox.get(DEFAULT_WORKSPACE_ID, row.id)).toBeNull();
  });

  it("references its outbox row with the row's exact time, found in its month when the send passes it, in any month when not", async () => {
    const messages = new MessageStore(db.dataSource);
    const exactTime = async (id: string) => ((await db.dataSource.query(`SELECT created_at::text AS at FROM messages WHERE id = $1`, [id])) as Array<{ at: string }>)[0]!.at;
    const referenced = async (id: string) => ((await db.dataSource.query(`SELECT message_created_at::text AS at FROM inbox_messages WHERE message_id = $1`, [id])) as Array<{ at: string }>)[0]!.at;
    const claim = (step: string) => messages.claim({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'tim', instanceId: 'journey/onboarding/tim/k', runId: 'run-1', step, channel: 'in_app', to: 'tim', body: 'x' });
    const { message: passed } = await claim('with-time');
    await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'tim', messageId: passed.id, messageCreatedAt: passed.createdAt, body: 'x' });
    // (microseconds, which the Date passed does not hold)
    expect(await referenced(passed.id)).toBe(await exactTime(passed.id));
    const { message: stale } = await claim('stale-time');
    await inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'tim', messageId: stale.id, messageCreatedAt: new Date(0), body: 'x' });
    expect(await referenced(stale.id)).toBe(await exactTime(stale.id));
    await expect(inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'tim', messageId: '00000000-0000-4000-8000-000000000000', body: 'x' })).rejects.toThrow(/message_time_check/);
  });

  it('reconnects with backoff when its connection is dropped', async () => {
    await db.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'inbox-listener-test'`);
    await until(() => statuses.at(-1) === 'listening' && statuses.includes('disconnected'), 'the listener to reconnect');
    expect(listener.listening).toBe(true);
    const [notice] = await heard(() => inbox.deliver({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'ona', messageId: null, body: 'Back' }), 1);
    expect(notice).toMatchObject({ customerId: 'ona', kind: 'DELIVERED' });
  });
});
