import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import {
  ActivityListener,
  CustomerTimelineStore,
  DEFAULT_WORKSPACE_ID,
  EventStore,
  JournalStore,
  MessageStore,
  type ActivityNotice,
} from '../index';

// The live-updates triggers announce each row when its transaction commits; the listener hears them.
describe('activity notifications (real PostgreSQL)', () => {
  let db: TestDatabase;
  let listener: ActivityListener;
  const notices: ActivityNotice[] = [];
  const statuses: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    listener = new ActivityListener(db.url, {
      applicationName: 'activity-listener-test',
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

  async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The notices that arrive while `write` runs (and shortly after). */
  async function heard(write: () => Promise<unknown>, count: number): Promise<ActivityNotice[]> {
    const from = notices.length;
    await write();
    await until(() => notices.length >= from + count, `${count} notices`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // nothing more than expected
    return notices.slice(from);
  }

  const track = (messageId: string, userId: string, name: string) =>
    new EventStore(db.dataSource).acceptBatch([
      { workspaceId: DEFAULT_WORKSPACE_ID, messageId, userId, type: 'track', name, properties: {}, timestamp: new Date(), receivedAt: new Date() },
    ]);

  it('announces journal entries, events, new messages and status changes (only those), re-readable by id', async () => {
    const journal = new JournalStore(db.dataSource);
    const step = {
      workspaceId: DEFAULT_WORKSPACE_ID,
      instanceId: 'journey/j/lia/k',
      runId: 'r1',
      seq: 1,
      journeyId: 'j',
      customerId: 'lia',
      key: 'k',
      type: 'entered',
      step: 'start',
      status: 'active' as const,
      detail: {},
      at: new Date(),
    };
    const [entry] = await heard(() => journal.record(step), 1);
    expect(entry).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'lia', instanceId: 'journey/j/lia/k', kind: 'JOURNEY_STEP' });
    // A retried write inserts nothing and announces nothing.
    expect(await heard(() => journal.record(step), 0)).toEqual([]);

    const [event] = await heard(() => track('e-1', 'lia', 'Viewed'), 1);
    expect(event).toMatchObject({ customerId: 'lia', instanceId: null, kind: 'EVENT' });

    const messages = new MessageStore(db.dataSource);
    const claim = { workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'lia', instanceId: 'journey/j/lia/k', runId: 'r1', step: 'sms', channel: 'sms' as const, to: '+14155550100', body: 'Hi' };
    const [created] = await heard(() => messages.claim(claim), 1);
    const { message } = await messages.claim(claim);
    expect(created).toMatchObject({ kind: 'MESSAGE', id: message.id, instanceId: 'journey/j/lia/k' });
    expect(await heard(() => messages.acquireSend(message.id, 60_000), 1)).toHaveLength(1);
    // Changing anything but the status says nothing.
    expect(await heard(() => db.dataSource.query(`UPDATE messages SET body = 'Hello' WHERE id = $1`, [message.id]), 0)).toEqual([]);

    const timeline = new CustomerTimelineStore(db.dataSource);
    expect(await timeline.item(DEFAULT_WORKSPACE_ID, 'JOURNEY_STEP', entry!.id)).toMatchObject({
      customerId: 'lia',
      instanceId: 'journey/j/lia/k',
      data: { type: 'entered', step: 'start', seq: 1 },
    });
    expect(await timeline.item(DEFAULT_WORKSPACE_ID, 'EVENT', event!.id)).toMatchObject({ customerId: 'lia', instanceId: null, data: { name: 'Viewed' } });
    expect(await timeline.item(DEFAULT_WORKSPACE_ID, 'MESSAGE', message.id)).toMatchObject({ data: { status: 'sending', body: 'Hello' } });
    // Another workspace, or an id that is not one, reads nothing.
    expect(await timeline.item('00000000-0000-0000-0000-000000000000', 'EVENT', event!.id)).toBeNull();
    expect(await timeline.item(DEFAULT_WORKSPACE_ID, 'MESSAGE', 'not-a-uuid')).toBeNull();
  });

  it('leaves out a customer id too long for NOTIFY instead of failing the write', async () => {
    const longId = 'x'.repeat(9_000);
    const [notice] = await heard(
      () =>
        db.dataSource.query(
          `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, 'e-long', $2, 'track', 'Viewed', '{}', now(), now())`,
          [DEFAULT_WORKSPACE_ID, longId],
        ),
      1,
    );
    expect(notice).toMatchObject({ customerId: null, kind: 'EVENT' });
    expect((await new CustomerTimelineStore(db.dataSource).item(DEFAULT_WORKSPACE_ID, 'EVENT', notice!.id))?.customerId).toBe(longId);
  });

  it('reconnects with backoff when its connection is dropped', async () => {
    await db.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'activity-listener-test'`);
    await until(() => statuses.at(-1) === 'listening' && statuses.includes('disconnected'), 'the listener to reconnect');
    const [notice] = await heard(() => track('e-after', 'lia', 'Back'), 1);
    expect(notice).toMatchObject({ customerId: 'lia', kind: 'EVENT' });
  });
});
