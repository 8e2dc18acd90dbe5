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

  it('keeps a rotated secret signing beside the new one for the overlap asked for, then drops it', async () => {
    const endpoint = await store.createEndpoint(DEFAULT_WORKSPACE_ID, { url: 'https://example.com/rotating', eventTypes: ['consent.changed'], description: '', enabled: true });
    await new ConsentStore(db.dataSource).apply(DEFAULT_WORKSPACE_ID, 'cus-rot', [{ channel: 'sms', purpose: 'marketing', status: 'subscribed', source: 'api', at: new Date() }]);
    const [delivery] = await store.listDeliveries(DEFAULT_WORKSPACE_ID, endpoint.id, { limit: 1 });
    const secrets = async () => (await store.forAttempt(DEFAULT_WORKSPACE_ID, delivery!.id))!.secrets;
    const first = await store.secretOf(DEFAULT_WORKSPACE_ID, endpoint.id);
    expect(await secrets()).toEqual([first]);
    expect(endpoint.previousSecretExpiresAt).toBeNull();

    const rotated = await store.rotateSecret(DEFAULT_WORKSPACE_ID, endpoint.id);
    const second = await store.secretOf(DEFAULT_WORKSPACE_ID, endpoint.id);
    expect(second).not.toBe(first);
    expect(await secrets()).toEqual([second, first]);
    const overlap = rotated!.previousSecretExpiresAt!.getTime() - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3_600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3_600_000);

    // Rotating again drops the first secret; the overlap past, only the current one signs.
    await store.rotateSecret(DEFAULT_WORKSPACE_ID, endpoint.id, 60_000);
    const third = await store.secretOf(DEFAULT_WORKSPACE_ID, endpoint.id);
    expect(await secrets()).toEqual([third, second]);
    await db.dataSource.query(`UPDATE webhook_endpoints SET previous_expires_at = now() - interval '1 second' WHERE id = $1`, [endpoint.id]);
    expect(await secrets()).toEqual([third]);
    expect((await store.endpointsById(DEFAULT_WORKSPACE_ID, [endpoint.id]))[0]!.previousSecretExpiresAt).toBeNull();

    // No overlap at all when asked for none; a bad overlap is refused before anything changes.
    const none = await store.rotateSecret(DEFAULT_WORKSPACE_ID, endpoint.id, 0);
    expect(none!.previousSecretExpiresAt).toBeNull();
    expect(await secrets()).toEqual([await store.secretOf(DEFAULT_WORKSPACE_ID, endpoint.id)]);
    await expect(store.rotateSecret(DEFAULT_WORKSPACE_ID, endpoint.id, -1)).rejects.toThrow(RangeError);
    await expect(store.rotateSecret(DEFAULT_WORKSPACE_ID, endpoint.id, 8 * 24 * 3_600_000)).rejects.toThrow(RangeError);
  });

  it('disables an endpoint whose every attempt has failed for longer than allowed; a delivered attempt or enabling it again starts afresh', async () => {
    const endpoint = await store.createEndpoint(DEFAULT_WORKSPACE_ID, { url: 'https://example.com/failing', eventTypes: ['consent.changed'], description: 'CRM sync', enabled: true });
    const watcher = await store.createEndpoint(DEFAULT_WORKSPACE_ID, { url: 'https://example.com/ops', eventTypes: ['endpoint.disabled'], description: '', enabled: true });
    const announced = async () => (await store.listDeliveries(DEFAULT_WORKSPACE_ID, watcher.id, { limit: 10 })).map((d) => d.payload as { type: string; data: Record<string, unknown> });
    await new ConsentStore(db.dataSource).apply(DEFAULT_WORKSPACE_ID, 'cus-fail', [{ channel: 'sms', purpose: 'marketing', status: 'subscribed', source: 'api', at: new Date() }]);
    const [delivery] = await store.listDeliveries(DEFAULT_WORKSPACE_ID, endpoint.id, { limit: 1 });
    const DAY = 24 * 3_600_000;
    const attempt = (n: number, statusCode: number | null, error: string | null) => ({ replay: 0, attempt: n, statusCode, error, durationMs: 5 });
    const health = async () => (await store.endpointsById(DEFAULT_WORKSPACE_ID, [endpoint.id]))[0]!;
    const failingFor = (ms: number) => db.dataSource.query(`UPDATE webhook_endpoints SET failing_since = now() - make_interval(secs => $2::double precision / 1000) WHERE id = $1`, [endpoint.id, ms]);

    // The first failure starts the streak; failures within the allowance change nothing else.
    expect(await store.recordAttempt(delivery!.id, attempt(1, 500, 'answered 500'), 'pending', 5 * DAY)).toEqual({});
    const streak = (await health()).failingSince!;
    expect(Date.now() - streak.getTime()).toBeLessThan(60_000);
    expect(await store.recordAttempt(delivery!.id, attempt(2, 503, 'answered 503'), 'pending', 5 * DAY)).toEqual({});
    expect(await health()).toMatchObject({ enabled: true, failingSince: streak, disabledReason: null });

    // A delivered attempt ends the streak.
    await store.recordAttempt(delivery!.id, attempt(3, 200, null), 'delivered', 5 * DAY);
    expect((await health()).failingSince).toBeNull();

    // Failing for longer than allowed (0 would never disable): the next failure disables it, once.
    await store.recordAttempt(delivery!.id, attempt(4, 404, 'answered 404'), 'pending', 5 * DAY);
    await failingFor(6 * DAY);
    expect(await store.recordAttempt(delivery!.id, attempt(5, 404, 'answered 404'), 'pending', 0)).toEqual({});
    expect((await health()).enabled).toBe(true);
    const change = await store.recordAttempt(delivery!.id, attempt(6, null, 'connect ECONNREFUSED'), 'failed', 5 * DAY);
    expect(change.disabled).toMatchObject({ endpointId: endpoint.id, reason: expect.stringMatching(/^every attempt has failed since \d{4}-\d\d-\d\dT[\d:]+Z, the last: connect ECONNREFUSED$/) });
    const disabled = await health();
    expect(disabled).toMatchObject({ enabled: false, disabledReason: change.disabled!.reason });
    expect(Date.now() - disabled.disabledAt!.getTime()).toBeLessThan(60_000);
    expect(await store.recordAttempt(delivery!.id, attempt(7, 500, 'answered 500'), 'failed', 5 * DAY)).toEqual({});
    // Its queued deliveries are skipped: the attempt sees it disabled.
    expect((await store.forAttempt(DEFAULT_WORKSPACE_ID, delivery!.id))!.enabled).toBe(false);
    // Announced once, in the same transaction, to the workspace's endpoints subscribed to endpoint.disabled only.
    expect(await announced()).toEqual([
      {
        type: 'endpoint.disabled',
        timestamp: expect.any(String),
        data: { endpointId: endpoint.id, description: 'CRM sync', reason: change.disabled!.reason, failingSince: expect.any(String), disabledAt: expect.any(String) },
      },
    ]);
    expect((await queued(all)).map((d) => d.type)).not.toContain('endpoint.disabled');

    // Enabled again by an admin: no reason left, and the failing streak starts afresh.
    expect(await store.updateEndpoint(DEFAULT_WORKSPACE_ID, endpoint.id, { enabled: true })).toMatchObject({ enabled: true, failingSince: null, disabledReason: null, disabledAt: null });
    // Another change leaves the health as it is.
    await store.recordAttempt(delivery!.id, attempt(8, 500, 'answered 500'), 'pending', 5 * DAY);
    expect((await store.updateEndpoint(DEFAULT_WORKSPACE_ID, endpoint.id, { description: 'renamed' }))!.failingSince).not.toBeNull();
    // An admin disabling it is not announced (they know).
    await store.updateEndpoint(DEFAULT_WORKSPACE_ID, endpoint.id, { enabled: false });
    expect(await announced()).toHaveLength(1);
  });
});
