import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { ConsentStore, DEFAULT_WORKSPACE_ID, MessageStore, SendRateLimiter } from '@continuum/data';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { createSmsSender } from '@continuum/twilio';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import type { MessagingActivities, SendSmsInput } from '@continuum/contracts';
import type { MessageProvider } from './messaging-activities';
import { createMessagingActivities } from './messaging-activities';

// The send activity against a real PostgreSQL outbox and the real Twilio SDK talking to the emulator.
describe('sendSms', () => {
  let db: TestDatabase;
  let emulator: TwilioEmulator;
  let activities: MessagingActivities;
  let consents: ConsentStore;
  let emulatorUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 5 }, { logger: silentLogger });
    const { url } = await emulator.listen(0, '127.0.0.1');
    emulatorUrl = url;
    consents = new ConsentStore(db.dataSource);
    activities = createMessagingActivities({
      messages: new MessageStore(db.dataSource),
      consents,
      twilio: createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: url }),
      senders: { sms: EMULATOR_FROM_NUMBER },
    });
  });
  afterAll(async () => {
    await emulator?.close();
    await db?.teardown();
  });

  const input = (overrides: Partial<SendSmsInput>): SendSmsInput => ({
    workspaceId: DEFAULT_WORKSPACE_ID,
    customerId: 'ana',
    instanceId: 'journey/abandoned-cart/ana/c1',
    runId: 'run-1',
    journeyId: 'abandoned-cart',
    step: 'cart-reminder-sms',
    to: '+14155550100',
    body: 'Hi Ana',
    ...overrides,
  });

  it('sends once per (instance, step): a retried activity returns the first result', async () => {
    const first = await activities.sendSms(input({}));
    const retry = await activities.sendSms(input({}));
    expect(first).toMatchObject({ status: 'sent', duplicate: false });
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(emulator.messages().filter((message) => message.to === '+14155550100')).toHaveLength(1);
    const [row] = await db.dataSource.query(`SELECT status, provider_id FROM messages WHERE instance_id = $1`, [input({}).instanceId]);
    expect(row).toEqual({ status: 'queued', provider_id: first.status === 'sent' ? first.providerId : null });
  });

  it('lets only one of several concurrent attempts call Twilio; the others retry into its result', async () => {
    const race = input({ instanceId: 'journey/x/ana/race', to: '+14155550111' });
    const results = await Promise.allSettled([1, 2, 3].map(() => activities.sendSms(race)));
    const sent = results.filter((result) => result.status === 'fulfilled');
    const busy = results.filter((result) => result.status === 'rejected');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    for (const result of busy) expect((result as PromiseRejectedResult).reason).toMatchObject({ type: 'SendInProgress' });
    expect(emulator.messages().filter((message) => message.to === '+14155550111')).toHaveLength(1);
    const retried = await activities.sendSms(race);
    expect(retried).toMatchObject({ status: 'sent', duplicate: true });
    expect(emulator.messages().filter((message) => message.to === '+14155550111')).toHaveLength(1);
  });

  it('records a permanent Twilio error (21211 invalid To) as failed, without retrying', async () => {
    const outcome = await activities.sendSms(input({ instanceId: 'journey/x/ana/bad', to: '+15005550001' }));
    expect(outcome).toMatchObject({ status: 'failed', errorCode: 21211 });
    const again = await activities.sendSms(input({ instanceId: 'journey/x/ana/bad', to: '+15005550001' }));
    expect(again).toMatchObject({ status: 'failed', errorCode: 21211 });
    const [row] = await db.dataSource.query(`SELECT status, error_code FROM messages WHERE instance_id = 'journey/x/ana/bad'`);
    expect(row).toEqual({ status: 'failed', error_code: 21211 });
  });

  it('refuses a malformed number before touching the outbox', async () => {
    await expect(activities.sendSms(input({ instanceId: 'journey/x/ana/nope', to: '555' }))).rejects.toThrow(/E\.164/);
    const rows = await db.dataSource.query(`SELECT 1 FROM messages WHERE instance_id = 'journey/x/ana/nope'`);
    expect(rows).toHaveLength(0);
  });

  describe('consent at the moment of sending', () => {
    it('skips a marketing message to a customer who unsubscribed, without an outbox row or a provider call', async () => {
      await consents.apply(DEFAULT_WORKSPACE_ID, 'stopped', [{ channel: 'sms', purpose: 'marketing', status: 'unsubscribed', source: 'inbound:STOP', at: new Date() }]);
      const skipped = await activities.sendSms(input({ customerId: 'stopped', instanceId: 'journey/x/stopped/1', to: '+14155550121' }));
      expect(skipped).toEqual({ status: 'skipped', channel: 'sms', rule: 'no-consent', reason: 'no consent: the customer unsubscribed from sms marketing messages' });
      expect(emulator.messages().filter((message) => message.to === '+14155550121')).toHaveLength(0);
      const rows = await db.dataSource.query(`SELECT 1 FROM messages WHERE instance_id = $1`, ['journey/x/stopped/1']);
      expect(rows).toHaveLength(0);
    });

    it('sends a transactional message despite a marketing opt-out, and not after a transactional one', async () => {
      await consents.apply(DEFAULT_WORKSPACE_ID, 'orders', [{ channel: 'sms', purpose: 'marketing', status: 'unsubscribed', source: 'api', at: new Date() }]);
      const sent = await activities.sendSms(input({ customerId: 'orders', instanceId: 'journey/x/orders/1', to: '+14155550122', purpose: 'transactional' }));
      expect(sent).toMatchObject({ status: 'sent' });
      await consents.apply(DEFAULT_WORKSPACE_ID, 'orders', [{ channel: 'sms', purpose: 'transactional', status: 'unsubscribed', source: 'api', at: new Date() }]);
      const skipped = await activities.sendSms(input({ customerId: 'orders', instanceId: 'journey/x/orders/2', to: '+14155550122', purpose: 'transactional' }));
      expect(skipped).toMatchObject({ status: 'skipped' });
      expect(emulator.messages().filter((message) => message.to === '+14155550122')).toHaveLength(1);
    });

    it("records Twilio's 21610 (recipient replied STOP) as an sms opt-out, so the next send is skipped", async () => {
      const failed = await activities.sendSms(input({ customerId: 'carrier-stop', instanceId: 'journey/x/carrier-stop/1', to: '+15005550004' }));
      expect(failed).toMatchObject({ status: 'failed', errorCode: 21610 });
      expect(await consents.statusOf(DEFAULT_WORKSPACE_ID, 'carrier-stop', 'sms', 'marketing')).toBe('unsubscribed');
      expect(await consents.statusOf(DEFAULT_WORKSPACE_ID, 'carrier-stop', 'sms', 'transactional')).toBe('unsubscribed');
      const [change] = await consents.history(DEFAULT_WORKSPACE_ID, 'carrier-stop');
      expect(change).toMatchObject({ source: 'provider:21610', status: 'unsubscribed' });
      const next = await activities.sendSms(input({ customerId: 'carrier-stop', instanceId: 'journey/x/carrier-stop/2', to: '+15005550004' }));
      expect(next).toMatchObject({ status: 'skipped' });
    });
  });

  describe('frequency caps and rate limits', () => {
    const day = 24 * 60 * 60 * 1000;
    const governed = (options: Partial<Parameters<typeof createMessagingActivities>[0]>) =>
      createMessagingActivities({
        messages: new MessageStore(db.dataSource),
        consents,
        twilio: createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: emulatorUrl }),
        senders: { sms: EMULATOR_FROM_NUMBER },
        ...options,
      });

    it('lets concurrent instances of one customer take only the capped number of slots; retries and transactional messages are not capped', async () => {
      const capped = governed({ frequencyCaps: [{ channel: 'sms', max: 2, windowMs: day, label: 'sms:2/1 day' }] });
      const sends = Array.from({ length: 6 }, (_, index) =>
        capped.sendSms(input({ customerId: 'capped', instanceId: `journey/promo/capped/${index}`, to: '+14155550131' })),
      );
      const outcomes = await Promise.all(sends);
      expect(outcomes.filter((outcome) => outcome.status === 'sent')).toHaveLength(2);
      const skipped = outcomes.filter((outcome) => outcome.status === 'skipped');
      expect(skipped).toHaveLength(4);
      expect(skipped[0]).toEqual({ status: 'skipped', channel: 'sms', rule: 'frequency-cap', reason: 'frequency cap: 2 messages already within sms:2/1 day' });
      expect(emulator.messages().filter((message) => message.to === '+14155550131')).toHaveLength(2);
      // A retried attempt of a sent message finds its outbox row: a duplicate, never capped.
      const sentIndex = outcomes.findIndex((outcome) => outcome.status === 'sent');
      const retry = await capped.sendSms(input({ customerId: 'capped', instanceId: `journey/promo/capped/${sentIndex}`, to: '+14155550131' }));
      expect(retry).toMatchObject({ status: 'sent', duplicate: true });
      const receipt = await capped.sendSms(input({ customerId: 'capped', instanceId: 'journey/orders/capped/1', to: '+14155550131', purpose: 'transactional' }));
      expect(receipt).toMatchObject({ status: 'sent', duplicate: false });
    });

    it('counts every channel against a "*" cap', async () => {
      await db.dataSource.query(
        `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status)
         VALUES ($1, 'across', 'journey/mail/across/1', 'run-1', 'welcome', 'email', 'a@example.com', 'Hi', 'sent')`,
        [DEFAULT_WORKSPACE_ID],
      );
      const capped = governed({ frequencyCaps: [{ channel: '*', max: 1, windowMs: day, label: '*:1/1 day' }] });
      const outcome = await capped.sendSms(input({ customerId: 'across', instanceId: 'journey/promo/across/1', to: '+14155550132' }));
      expect(outcome).toEqual({ status: 'skipped', channel: 'sms', rule: 'frequency-cap', reason: 'frequency cap: 1 messages already within *:1/1 day' });
    });

    it('spreads sends of two workers over time at the sender rate they share', async () => {
      const limiter = new SendRateLimiter(db.dataSource);
      const workers = [1, 2].map(() => governed({ rateLimit: { limiter, messagesPerSecond: 4 } }));
      const count = 12;
      await Promise.all(
        Array.from({ length: count }, (_, index) =>
          workers[index % 2]!.sendSms(input({ customerId: `rate-${index}`, instanceId: `journey/promo/rate-${index}/1`, to: '+14155550140' })),
        ),
      );
      const rows: Array<{ updated_at: Date }> = await db.dataSource.query(
        `SELECT updated_at FROM messages WHERE instance_id LIKE 'journey/promo/rate-%' AND provider_id IS NOT NULL ORDER BY updated_at`,
      );
      expect(rows).toHaveLength(count);
      // One token at once and 4 a second: the 12th provider call comes at least 11/4 s after the first.
      const spanMs = rows.at(-1)!.updated_at.getTime() - rows[0]!.updated_at.getTime();
      expect(spanMs).toBeGreaterThanOrEqual((11 / 4) * 1000 * 0.9);
    });
  });

  describe('the outbox partitioned by month: a message found in its own month', () => {
    const store = () => new MessageStore(db.dataSource);
    // An older month's partition, as the migration or the retention made it (five months back).
    const now = new Date();
    const older = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 10));
    const olderPartition = `messages_p${older.getUTCFullYear()}${String(older.getUTCMonth() + 1).padStart(2, '0')}`;
    beforeAll(async () => {
      const from = new Date(Date.UTC(older.getUTCFullYear(), older.getUTCMonth(), 1));
      const to = new Date(Date.UTC(older.getUTCFullYear(), older.getUTCMonth() + 1, 1));
      await db.dataSource.query(`CREATE TABLE IF NOT EXISTS ${olderPartition} PARTITION OF messages FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`);
    });
    /** Moves a message (its key, sid and inbox entry follow: ON UPDATE CASCADE) into the older month. */
    const moveToOlderMonth = (id: string) => db.dataSource.query(`UPDATE messages SET created_at = $2 WHERE id = $1`, [id, older]);
    const partitionOf = async (id: string) => ((await db.dataSource.query(`SELECT tableoid::regclass::text AS name FROM messages WHERE id = $1`, [id])) as Array<{ name: string }>).map((row) => row.name);
    const count = async (sql: string, parameters: unknown[]) => ((await db.dataSource.query(sql, parameters)) as Array<{ count: number }>)[0]!.count;
    const claimOf = (send: SendSmsInput) => ({ workspaceId: send.workspaceId, customerId: send.customerId, instanceId: send.instanceId, runId: send.runId, step: send.step, channel: 'sms' as const, to: send.to, body: send.body ?? '' });

    it('concurrent claims of one (instance, step) make one message and one key, and all read it', async () => {
      const claim = claimOf(input({ instanceId: 'journey/x/ana/claim-race' }));
      const results = await Promise.all(Array.from({ length: 8 }, () => store().claim(claim)));
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
      expect(await count(`SELECT count(*)::int AS count FROM messages WHERE instance_id = $1`, [claim.instanceId])).toBe(1);
      expect(await count(`SELECT count(*)::int AS count FROM message_keys WHERE instance_id = $1`, [claim.instanceId])).toBe(1);
    });

    it('a retried send whose message sits in an older month finds it: no second row, no second provider call', async () => {
      const send = input({ instanceId: 'journey/x/ana/older-sent', to: '+14155550160' });
      const first = await activities.sendSms(send);
      expect(first).toMatchObject({ status: 'sent', duplicate: false });
      const messageId = first.status === 'sent' ? first.messageId : '';
      await moveToOlderMonth(messageId);
      expect(await partitionOf(messageId)).toEqual([olderPartition]);
      const retry = await activities.sendSms(send);
      expect(retry).toEqual({ ...first, duplicate: true });
      expect(emulator.messages().filter((message) => message.to === '+14155550160')).toHaveLength(1);
      expect(await count(`SELECT count(*)::int AS count FROM messages WHERE instance_id = $1`, [send.instanceId])).toBe(1);
    });

    it('a claim left pending in an older month is sent once by the retry, which records the result in that month', async () => {
      const send = input({ instanceId: 'journey/x/ana/older-pending', to: '+14155550161' });
      const { message } = await store().claim(claimOf(send));
      await moveToOlderMonth(message.id);
      const sent = await activities.sendSms(send);
      expect(sent).toMatchObject({ status: 'sent', messageId: message.id, duplicate: false });
      expect(await activities.sendSms(send)).toEqual({ ...sent, duplicate: true });
      expect(emulator.messages().filter((m) => m.to === '+14155550161')).toHaveLength(1);
      const [row] = await db.dataSource.query(`SELECT tableoid::regclass::text AS partition, status, provider_id, send_attempts FROM messages WHERE id = $1`, [message.id]);
      expect(row).toEqual({ partition: olderPartition, status: 'queued', provider_id: sent.status === 'sent' ? sent.providerId : null, send_attempts: 1 });
      const sids: Array<{ created_at: Date }> = await db.dataSource.query(`SELECT created_at FROM message_sids WHERE message_id = $1`, [message.id]);
      expect(sids).toEqual([{ created_at: older }]);
    });

    it('a delivery report finds a message of an older month by its sid, and by our id when it beats the send\'s answer', async () => {
      const send = input({ instanceId: 'journey/x/ana/older-report', to: '+14155550162' });
      const sent = await activities.sendSms(send);
      if (sent.status !== 'sent') throw new Error(`not sent: ${JSON.stringify(sent)}`);
      await moveToOlderMonth(sent.messageId);
      const delivered = await store().applyProviderStatus(sent.providerId, 'delivered', null);
      expect(delivered).toMatchObject({ id: sent.messageId, instanceId: send.instanceId, status: 'delivered', changed: true });
      expect(await store().applyProviderStatus('SM-unknown-older', 'delivered', null)).toBeUndefined();

      // The report comes before the send's own answer recorded the sid: it finds the row by our id (carried in the callback).
      const early = input({ instanceId: 'journey/x/ana/older-early', to: '+14155550163' });
      const { message } = await store().claim(claimOf(early));
      await moveToOlderMonth(message.id);
      expect(await store().applyProviderStatus('SM-early-older', 'sent', null, message.id)).toMatchObject({ id: message.id, status: 'sent', changed: true });
      // Then by the sid it recorded, in that month.
      expect(await store().applyProviderStatus('SM-early-older', 'delivered', null)).toMatchObject({ id: message.id, status: 'delivered', changed: true });
      const [row] = await db.dataSource.query(`SELECT tableoid::regclass::text AS partition, status, provider_id FROM messages WHERE id = $1`, [message.id]);
      expect(row).toEqual({ partition: olderPartition, status: 'delivered', provider_id: 'SM-early-older' });
    });
  });

  describe('exactly once when an attempt dies after the provider accepted', () => {
    const twilio = () => createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: emulatorUrl });
    const to = (number: string) => emulator.messages().filter((message) => message.to === number);
    /** Twilio accepts the first message, then the answer is lost as with a connection reset. */
    const answerLostOnce = (provider: MessageProvider, keepFindSent: boolean): MessageProvider => {
      let calls = 0;
      return {
        async sendMessage(request) {
          const sent = await provider.sendMessage(request);
          calls += 1;
          if (calls === 1) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
          return sent;
        },
        ...(keepFindSent ? { findSent: (query) => provider.findSent!(query) } : {}),
      };
    };

    it('a retried activity finds the accepted message at Twilio instead of sending it again (0 duplicates)', async () => {
      const retried = createMessagingActivities({ messages: new MessageStore(db.dataSource), consents, twilio: answerLostOnce(twilio(), true), senders: { sms: EMULATOR_FROM_NUMBER } });
      const send = input({ customerId: 'lost-answer', instanceId: 'journey/x/lost-answer/1', to: '+14155550150' });
      await expect(retried.sendSms(send)).rejects.toThrow('ECONNRESET');
      const second = await retried.sendSms(send);
      expect(to('+14155550150')).toHaveLength(1);
      expect(second).toMatchObject({ status: 'sent', duplicate: true, providerId: to('+14155550150')[0]!.sid });
      const [row] = await db.dataSource.query(`SELECT status, provider_id, send_attempts FROM messages WHERE instance_id = 'journey/x/lost-answer/1'`);
      expect(row).toEqual({ status: 'queued', provider_id: to('+14155550150')[0]!.sid, send_attempts: 2 });
    });

    it('without a provider that can be asked, the same retry sends twice: the window reconciliation closes', async () => {
      const blind = createMessagingActivities({ messages: new MessageStore(db.dataSource), consents, twilio: answerLostOnce(twilio(), false), senders: { sms: EMULATOR_FROM_NUMBER } });
      const send = input({ customerId: 'blind', instanceId: 'journey/x/blind/1', to: '+14155550151' });
      await expect(blind.sendSms(send)).rejects.toThrow('ECONNRESET');
      await blind.sendSms(send);
      expect(to('+14155550151')).toHaveLength(2);
    });

    it('a worker that dies between the provider call and the outbox completion: the next worker takes the stale claim over and sends nothing (0 duplicates)', async () => {
      const real = twilio();
      // The first worker's process is gone once Twilio accepted: its call never returns.
      const dying = createMessagingActivities({
        messages: new MessageStore(db.dataSource),
        consents,
        twilio: { sendMessage: async (request) => (await real.sendMessage(request), new Promise<never>(() => undefined)) },
        senders: { sms: EMULATOR_FROM_NUMBER },
      });
      const send = input({ customerId: 'crashed', instanceId: 'journey/x/crashed/1', to: '+14155550152' });
      void dying.sendSms(send).catch(() => undefined);
      await expect.poll(() => to('+14155550152').length, { timeout: 5000 }).toBe(1);
      const [claimed] = await db.dataSource.query(`SELECT status, provider_id FROM messages WHERE instance_id = 'journey/x/crashed/1'`);
      expect(claimed).toEqual({ status: 'sending', provider_id: null });
      const next = createMessagingActivities({ messages: new MessageStore(db.dataSource), consents, twilio: real, senders: { sms: EMULATOR_FROM_NUMBER }, sendClaimStaleMs: 500 });
      // While the claim is fresh the retry waits for it; once stale, it is taken over and reconciled.
      await expect(next.sendSms(send)).rejects.toMatchObject({ type: 'SendInProgress' });
      await new Promise((resolve) => setTimeout(resolve, 700));
      const outcome = await next.sendSms(send);
      expect(outcome).toMatchObject({ status: 'sent', duplicate: true, providerId: to('+14155550152')[0]!.sid });
      expect(to('+14155550152')).toHaveLength(1);
    });
  });
});
