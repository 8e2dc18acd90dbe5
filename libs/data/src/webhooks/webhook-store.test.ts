import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { ConsentStore, DEFAULT_WORKSPACE_ID, ErasureStore, erasedCustomerRef, JournalStore, WebhookStore } from '../index';

const ALL_TYPES = ['message.sent', 'message.delivered', 'message.failed', 'journey.entered', 'journey.exited', 'conversation.escalated', 'consent.changed'];

/** The outbox triggers and the dispatch queue on a real PostgreSQL. */
describe('webhook outbox (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: WebhookStore;
  let all: string;
  let otherWorkspace: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new WebhookStore(db.dataSource, undefined);
    all = (await store.createEndpoint(DEFAULT_WORKSPACE_ID, { url: 'https://example.com/all', eventTypes: ALL_TYPES, description: '', enabled: true })).id;
    await store.createEndpoint(DEFAULT_WORKSPACE_ID, { url: 'https://example.com/off', eventTypes: ALL_TYPES, description: '', enabled: false });
    otherWorkspace = (await db.dataSource.query(`INSERT INTO workspaces (id, slug, name) VALUES (gen_random_uuid(), 'wh-other', 'Other') RETURNING id`))[0].id;
    await store.createEndpoint(otherWorkspace, { url: 'https://example.com/other', eventTypes: ALL_TYPES, description: '', enabled: true });
  }, 120_000);

  afterAll(async () => {
    await db?.teardown();
  });

  const queued = async (endpointId: string) =>
    (await store.listDeliveries(DEFAULT_WORKSPACE_ID, endpointId, { limit: 100 })).reverse().map((d) => ({ type: d.eventType, data: (d.payload as { data: Record<string, unknown> }).data }));

  it('queues one delivery per subscribed event, in the transaction that records it, for enabled endpoints of that workspace only', async () => {
    const q = (sql: string, params: unknown[]) => db.dataSource.query(sql, params);
    const [message] = await q(
      `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status) VALUES ($1, 'cus-1', 'journey/x/cus-1/cus-1', 'r1', 'remind', 'sms', '+14155550100', 'hi', 'queued') RETURNING id`,
      [DEFAULT_WORKSPACE_ID],
    );
    await q(`UPDATE messages SET status = 'sent' WHERE id = $1`, [message.id]);
    await q(`UPDATE messages SET status = 'sent' WHERE id = $1`, [message.id]);
    await q(`UPDATE messages SET status = 'delivered' WHERE id = $1`, [message.id]);
    await q(
      `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status, error_code) VALUES ($1, 'cus-1', 'journey/x/cus-1/cus-1', 'r1', 'again', 'sms', '+14155550100', 'hi', 'undelivered', 30003)`,
      [DEFAULT_WORKSPACE_ID],
    );
    const journal = new JournalStore(db.dataSource);
    const entry = { workspaceId: DEFAULT_WORKSPACE_ID, instanceId: 'journey/x/cus-1/cus-1', runId: 'r1', journeyId: 'x', customerId: 'cus-1', key: 'cus-1', at: new Date() };
    await journal.record({ ...entry, seq: 1, type: 'entered', step: 'start', status: 'active', detail: {} });
    await journal.record({ ...entry, seq: 2, type: 'wait.started', step: 'wait', status: 'active', detail: {} });
    await journal.record({ ...entry, seq: 3, type: 'exited', step: 'wait', status: 'exited', detail: { reason: 'Order Completed' } });
    const topicId = 'a0000000-0000-4000-8000-00000000000a';
    await q(
      `INSERT INTO conversation_topics (id, workspace_id, customer_id, intent, status, channel, opened_at, last_message_at) VALUES ($1, $2, 'cus-1', 'returns', 'automated', 'sms', now(), now())`,
      [topicId, DEFAULT_WORKSPACE_ID],
    );
    await q(`UPDATE conversation_topics SET status = 'human', escalated_at = now(), escalation_reason = 'keyword' WHERE id = $1`, [topicId]);
    await new ConsentStore(db.dataSource).apply(DEFAULT_WORKSPACE_ID, 'cus-1', [{ channel: 'sms', purpose: 'marketing', status: 'unsubscribed', source: 'inbound:STOP', at: new Date() }]);
    // Rolled back: the event never happened, so nothing is owed.
    await db.dataSource
      .transaction(async (manager) => {
        await new ConsentStore(manager).apply(DEFAULT_WORKSPACE_ID, 'cus-2', [{ channel: 'email', purpose: 'marketing', status: 'subscribed', source: 'api', at: new Date() }]);
        throw new Error('rolled back');
      })
      .catch(() => undefined);

    expect(await queued(all)).toMatchObject([
      { type: 'message.sent', data: { messageId: message.id, customerId: 'cus-1', channel: 'sms', status: 'sent', step: 'remind' } },
      { type: 'message.delivered', data: { messageId: message.id, status: 'delivered' } },
      { type: 'message.failed', data: { status: 'undelivered', errorCode: 30003 } },
      { type: 'journey.entered', data: { journeyId: 'x', customerId: 'cus-1', outcome: null } },
      { type: 'journey.exited', data: { journeyId: 'x', outcome: 'exited', reason: 'Order Completed' } },
      { type: 'conversation.escalated', data: { topicId, intent: 'returns', reason: 'keyword' } },
      { type: 'consent.changed', data: { customerId: 'cus-1', channel: 'sms', status: 'unsubscribed', source: 'inbound:STOP' } },
    ]);
    // Message bodies and addresses stay out of webhook payloads.
    expect(JSON.stringify(await queued(all))).not.toContain('+14155550100');
    const counts: Array<{ url: string; count: number }> = await q(
      `SELECT e.url, count(d.id)::int AS count FROM webhook_endpoints e LEFT JOIN webhook_deliveries d ON d.endpoint_id = e.id GROUP BY e.url ORDER BY e.url`,
      [],
    );
    expect(counts).toEqual([
      { url: 'https://example.com/all', count: 7 },
      { url: 'https://example.com/off', count: 0 },
      { url: 'https://example.com/other', count: 0 },
    ]);
  });

  it('hands each queued delivery to the dispatcher until one start succeeds (at least once), then not again', async () => {
    await expect(store.dispatch(100, async () => Promise.reject(new Error('Temporal is down')))).rejects.toThrow('Temporal is down');
    const started: string[] = [];
    expect(await store.dispatch(3, async (rows) => void started.push(...rows.map((row) => row.id)))).toBe(3);
    expect(await store.dispatch(100, async (rows) => void started.push(...rows.map((row) => row.id)))).toBe(4);
    expect(await store.dispatch(100, async () => undefined)).toBe(0);
    expect(new Set(started).size).toBe(7);
    // A replay queues the same delivery again, one replay further.
    const replayed = await store.replay(DEFAULT_WORKSPACE_ID, started[0]!);
    expect(replayed).toMatchObject({ id: started[0], replays: 1, status: 'pending' });
    expect(await store.replay(otherWorkspace, started[0]!)).toBeUndefined();
    const again: Array<{ id: string; replays: number }> = [];
    await store.dispatch(100, async (rows) => void again.push(...rows));
    expect(again).toEqual([{ id: started[0], workspaceId: DEFAULT_WORKSPACE_ID, replays: 1 }]);
  });
  it("deletes an erased customer's deliveries with the rest of their data", async () => {
    await db.dataSource.query(`INSERT INTO profiles (workspace_id, user_id) VALUES ($1, 'cus-erased')`, [DEFAULT_WORKSPACE_ID]);
    await new ConsentStore(db.dataSource).apply(DEFAULT_WORKSPACE_ID, 'cus-erased', [{ channel: 'email', purpose: 'marketing', status: 'subscribed', source: 'api', at: new Date() }]);
    const customers = async () => (await queued(all)).map((d) => d.data['customerId']);
    expect(await customers()).toContain('cus-erased');
    await new ErasureStore(db.dataSource).erase(DEFAULT_WORKSPACE_ID, 'cus-erased', erasedCustomerRef(DEFAULT_WORKSPACE_ID, 'cus-erased'), 0);
    expect(await customers()).not.toContain('cus-erased');
    expect(await customers()).toContain('cus-1');
  });
});
