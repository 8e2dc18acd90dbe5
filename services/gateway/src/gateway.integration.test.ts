import { generateKeyPairSync } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { JourneyCatalogueStore, MessageStore, WorkspaceStore, type DataSource } from '@continuum/data';
import { journeyDescriptors } from '@continuum/worker';
import { computeTwilioSignature, createTwilioEmulator, DEFAULT_SENDGRID_API_KEY, silentLogger } from '@continuum/twilio-emulator';
import { createEmailSender } from '@continuum/twilio';
import { printGatewaySchema, SCHEMA_PATH } from './schema';
import { journeyInstanceGlobalId } from './node/journey-instance-id';
import { toGlobalId } from './node/global-id';
import { startGatewayFixture, type GatewayFixture } from './test-support/gateway-fixture';

/** The key pair SendGrid signs its Event Webhook with (here: the emulator's). */
const sendGridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

// The gateway in-process against a real PostgreSQL and a real Temporal dev server.
describe('gateway', () => {
  let gw: GatewayFixture;
  let dataSource: DataSource;
  let url: string;
  let defaultKey: string;
  let brandKey: string;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      // What a worker publishes at start-up; the gateway routes from it.
      beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'gateway-test'),
      env: { SENDGRID_WEBHOOK_PUBLIC_KEY: sendGridKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
    });
    ({ dataSource, url, apiKey: defaultKey } = gw);
    const workspaces = new WorkspaceStore(dataSource);
    const brand = await workspaces.createWorkspace('brand-b', 'Brand B');
    brandKey = await workspaces.createApiKey(brand.id, 'test');
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  async function graphql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, apiKey: string | null = defaultKey) {
    return gw.graphql<T>(query, variables, apiKey) as Promise<{
      data?: T;
      errors?: Array<{ message: string; extensions?: { code?: string; field?: string; stacktrace?: unknown } }>;
    }>;
  }

  const IDENTIFY = `mutation($input: IdentifyInput!) { identify(input: $input) { duplicate profile { userId traits phone email } userErrors { code field message } } }`;
  const TRACK = `mutation($input: TrackInput!) { track(input: $input) { event { messageId } duplicate deliveredTo userErrors { code field message } } }`;
  const PROFILE = `query($userId: String!) { profile(userId: $userId) { userId traits phone journeyInstances(first: 10) { nodes { id } } messages(first: 10) { nodes { id } } } }`;

  describe('authentication', () => {
    it('requires an x-api-key header', async () => {
      const result = await graphql(PROFILE, { userId: 'x' }, null);
      expect(result.errors?.[0]).toMatchObject({ message: 'Missing x-api-key header', extensions: { code: 'UNAUTHENTICATED' } });
      expect(result.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
    });

    it('rejects an unknown key', async () => {
      const result = await graphql(PROFILE, { userId: 'x' }, 'ck_unknown');
      expect(result.errors?.[0]).toMatchObject({ message: 'Invalid API key', extensions: { code: 'UNAUTHENTICATED' } });
    });
  });

  describe('identify and profile', () => {
    it('merges traits, normalises the phone and removes a trait set to null', async () => {
      const first = await graphql<{ identify: { duplicate: boolean; profile: { traits: object; phone: string } } }>(IDENTIFY, {
        input: { userId: 'maria', traits: { first_name: 'Maria', plan: 'pro', phone: '+55 (11) 91234-5678' } },
      });
      expect(first.errors).toBeUndefined();
      expect(first.data!.identify.profile.phone).toBe('+5511912345678');
      const second = await graphql<{ identify: { profile: { traits: Record<string, unknown> } } }>(IDENTIFY, {
        input: { userId: 'maria', traits: { plan: null, city: 'São Paulo' } },
      });
      expect(second.data!.identify.profile.traits).toEqual({ first_name: 'Maria', phone: '+55 (11) 91234-5678', city: 'São Paulo' });
    });

    it('applies a repeated messageId once', async () => {
      const input = { userId: 'dup', traits: { n: 1 }, messageId: 'identify-1' };
      await graphql(IDENTIFY, { input });
      const again = await graphql<{ identify: { duplicate: boolean; profile: { traits: object } } }>(IDENTIFY, {
        input: { ...input, traits: { n: 2 } },
      });
      expect(again.data!.identify).toMatchObject({ duplicate: true, profile: { traits: { n: 1 } } });
    });

    it.each([
      [{ userId: 'bad', traits: { phone: '555-0100' } }, 'traits.phone', /not a phone number in international format/],
      [{ userId: 'bad', traits: { email: 'nope' } }, 'traits.email', /not an email address/],
      [{ userId: '  ', traits: {} }, 'userId', /must not be empty/],
      [{ userId: 'a/b', traits: {} }, 'userId', /must not contain/],
    ])('refuses bad input %# with a user error naming the field', async (input, field, message) => {
      const result = await graphql<{ identify: { profile: unknown; userErrors: Array<{ code: string; field: string[]; message: string }> } }>(IDENTIFY, { input });
      expect(result.errors).toBeUndefined();
      expect(result.data!.identify).toMatchObject({ profile: null, userErrors: [{ code: 'INVALID', field: ['input', ...field.split('.')] }] });
      expect(result.data!.identify.userErrors[0]!.message).toMatch(message);
    });

    it('rejects traits that are not a JSON object', async () => {
      const result = await graphql(IDENTIFY, { input: { userId: 'arr', traits: [1, 2] } });
      expect(result.errors?.[0]?.message).toMatch(/JSONObject must be a JSON object/);
    });

    it('returns null for an unknown customer', async () => {
      const result = await graphql<{ profile: null }>(PROFILE, { userId: 'nobody' });
      expect(result).toEqual({ data: { profile: null } });
    });
  });

  describe('track', () => {
    it('persists the event, then starts the journey instance with signalWithStart', async () => {
      const result = await graphql<{ track: { event: { messageId: string }; duplicate: boolean; deliveredTo: string[] } }>(TRACK, {
        input: { userId: 'tom', event: 'Cart Updated', properties: { cart_id: 'c-1', items: [] }, messageId: 'evt-1' },
      });
      expect(result.data!.track).toEqual({ event: { messageId: 'evt-1' }, duplicate: false, deliveredTo: ['journey/abandoned-cart/tom/c-1'], userErrors: [] });
      const [row] = await dataSource.query(`SELECT name, properties, routed_at FROM events WHERE message_id = 'evt-1'`);
      expect(row).toMatchObject({ name: 'Cart Updated', properties: { cart_id: 'c-1', items: [] } });
      expect(row.routed_at).not.toBeNull();
    });

    it('stores and routes a repeated messageId once', async () => {
      const again = await graphql<{ track: { duplicate: boolean; deliveredTo: string[] } }>(TRACK, {
        input: { userId: 'tom', event: 'Cart Updated', properties: { cart_id: 'c-1' }, messageId: 'evt-1' },
      });
      expect(again.data!.track).toEqual({ event: { messageId: 'evt-1' }, duplicate: true, deliveredTo: [], userErrors: [] });
      const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM events WHERE message_id = 'evt-1'`);
      expect(count).toBe(1);
    });

    it('enters nothing without a cart_id, but reaches the running instances of that customer', async () => {
      const result = await graphql<{ track: { deliveredTo: string[] } }>(TRACK, { input: { userId: 'tom', event: 'Cart Updated', properties: {} } });
      expect(result.data!.track.deliveredTo).toEqual(['journey/abandoned-cart/tom/c-1']);
      const stranger = await graphql<{ track: { deliveredTo: string[] } }>(TRACK, { input: { userId: 'nobody-yet', event: 'Cart Updated', properties: {} } });
      expect(stranger.data!.track.deliveredTo).toEqual([]);
    });

    it('delivers Order Completed only to a running instance of that cart', async () => {
      const none = await graphql<{ track: { deliveredTo: string[] } }>(TRACK, {
        input: { userId: 'tom', event: 'Order Completed', properties: { cart_id: 'never-started' } },
      });
      expect(none.data!.track.deliveredTo).toEqual([]);
      const hit = await graphql<{ track: { deliveredTo: string[] } }>(TRACK, {
        input: { userId: 'tom', event: 'Order Completed', properties: { cart_id: 'c-1' } },
      });
      expect(hit.data!.track.deliveredTo).toEqual(['journey/abandoned-cart/tom/c-1']);
    });

    it.each([
      [{ userId: 'tom', event: ' ' }, 'event'],
      [{ userId: 'tom', event: 'X', timestamp: '2999-01-01T00:00:00Z' }, 'timestamp'],
      [{ userId: 'tom', event: 'X', properties: { blob: 'x'.repeat(40_000) } }, 'properties'],
    ])('refuses bad input %# with a user error naming the field', async (input, field) => {
      const result = await graphql<{ track: unknown }>(TRACK, { input });
      expect(result.errors).toBeUndefined();
      expect(result.data!.track).toMatchObject({ event: null, duplicate: null, deliveredTo: null, userErrors: [{ code: 'INVALID', field: ['input', field] }] });
    });
  });

  describe('workspaces', () => {
    it('keeps each workspace to its own data and its own journey instances', async () => {
      await graphql(IDENTIFY, { input: { userId: 'shared', traits: { brand: 'default' } } });
      await graphql(IDENTIFY, { input: { userId: 'shared', traits: { brand: 'b' } } }, brandKey);
      const mine = await graphql<{ profile: { traits: object } }>(PROFILE, { userId: 'shared' });
      const theirs = await graphql<{ profile: { traits: object } }>(PROFILE, { userId: 'shared' }, brandKey);
      expect(mine.data!.profile.traits).toEqual({ brand: 'default' });
      expect(theirs.data!.profile.traits).toEqual({ brand: 'b' });
      await graphql(IDENTIFY, { input: { userId: 'only-default', traits: {} } });
      expect((await graphql(PROFILE, { userId: 'only-default' }, brandKey)).data).toEqual({ profile: null });

      const routed = await graphql<{ track: { deliveredTo: string[] } }>(
        TRACK,
        { input: { userId: 'shared', event: 'Cart Updated', properties: { cart_id: 'c-1' } } },
        brandKey,
      );
      expect(routed.data!.track.deliveredTo).toEqual(['journey/abandoned-cart/brand-b:shared/c-1']);
    });

    it('shows an instance timeline only to its own workspace', async () => {
      await dataSource.query(
        `INSERT INTO journey_instances (instance_id, run_id, workspace_id, journey_id, customer_id, instance_key, status, current_step, exit_reason, started_at, updated_at, ended_at)
         VALUES ('journey/abandoned-cart/iso/k1', 'r1', '00000000-0000-0000-0000-000000000001', 'abandoned-cart', 'iso', 'k1', 'exited', 'exit', 'event: Order Completed', now(), now(), now())`,
      );
      const QUERY = `{ journeyInstance(workflowId: "journey/abandoned-cart/iso/k1") { id workflowId runId status exitReason live { step } timeline { nodes { type } } } }`;
      expect((await graphql(QUERY)).data).toEqual({
        journeyInstance: {
          id: journeyInstanceGlobalId({ instanceId: 'journey/abandoned-cart/iso/k1', runId: 'r1' }),
          workflowId: 'journey/abandoned-cart/iso/k1',
          runId: 'r1',
          status: 'EXITED',
          exitReason: 'event: Order Completed',
          live: null,
          timeline: { nodes: [] },
        },
      });
      expect((await graphql(QUERY, {}, brandKey)).data).toEqual({ journeyInstance: null });
    });
  });

  describe('SendGrid Event Webhook', () => {
    /** An instance with no worker: what it was sent stays in its history. */
    const instanceWithEmail = async (key: string, providerEmail: string) => {
      const handle = await gw.temporal.workflow.start('abandonedCart', {
        workflowId: `journey/abandoned-cart/maria/${key}`,
        taskQueue: 'no-worker-here',
        args: [{ journeyId: 'abandoned-cart', workspaceId: '00000000-0000-0000-0000-000000000001', customerId: 'maria', key }],
      });
      const messages = new MessageStore(dataSource);
      const { message } = await messages.claim({
        workspaceId: '00000000-0000-0000-0000-000000000001',
        customerId: 'maria',
        instanceId: handle.workflowId,
        runId: handle.firstExecutionRunId,
        step: 'receipt',
        channel: 'email',
        to: providerEmail,
        body: 'Your receipt',
        deliveryAwaited: true, // the instance waits for its delivery: reports are signalled to it
      });
      return { handle, message, messages };
    };
    const signalsOf = async (handle: WorkflowHandle) => {
      const { defaultPayloadConverter } = await import('@temporalio/common');
      return ((await handle.fetchHistory()).events ?? [])
        .map((event) => event.workflowExecutionSignaledEventAttributes)
        .filter((signal) => signal?.signalName === 'messageStatus')
        .map((signal) => defaultPayloadConverter.fromPayload(signal!.input!.payloads![0]!) as { status: string });
    };

    it("takes SendGrid's signed events (through the real SDK and the emulator): the email is delivered, or failed on a bounce, and its instance told", async () => {
      const emulator = createTwilioEmulator(
        {
          accountSid: 'AC00000000000000000000000000000000',
          authToken: EMULATOR_AUTH_TOKEN,
          statusDelayMs: 5,
          sendgridEventWebhookUrl: `${url}/webhooks/sendgrid/events`,
          sendgridEventWebhookPrivateKey: sendGridKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
        { logger: silentLogger },
      );
      const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
      try {
        const email = createEmailSender({ apiKey: DEFAULT_SENDGRID_API_KEY, baseUrl: emulatorUrl });
        const results = [];
        for (const [key, to] of [['emailed', 'maria@example.com'], ['bounced', 'bounce@example.com']] as const) {
          const { handle, message, messages } = await instanceWithEmail(key, to);
          const sent = await email.sendEmail({ to, from: { email: 'journeys@continuum.test' }, subject: 'Receipt', text: 'Your receipt', customArgs: { continuum_message_id: message.id } });
          await messages.markAccepted(message.id, sent.messageId, 'queued');
          results.push({ handle, message });
        }
        // Each email gets `processed`, then its outcome a moment later.
        await expect.poll(() => emulator.emails().reduce((count, sent) => count + sent.webhookDeliveries.length, 0), { timeout: 10_000 }).toBe(4);
        await emulator.callbacksSettled();
        const deliveries = emulator.emails().flatMap((sent) => sent.webhookDeliveries.map((delivery) => delivery.httpStatus));
        expect(deliveries).toEqual([204, 204, 204, 204]);
        const statuses = await dataSource.query(`SELECT instance_id, status FROM messages WHERE id = ANY($1::uuid[]) ORDER BY instance_id`, [results.map((r) => r.message.id)]);
        expect(statuses).toEqual([
          { instance_id: 'journey/abandoned-cart/maria/bounced', status: 'failed' },
          { instance_id: 'journey/abandoned-cart/maria/emailed', status: 'delivered' },
        ]);
        expect((await signalsOf(results[0]!.handle)).map((signal) => signal.status)).toEqual(['sent', 'delivered']);
        expect((await signalsOf(results[1]!.handle)).map((signal) => signal.status)).toEqual(['sent', 'failed']);
      } finally {
        await emulator.close();
      }
    });

    it('refuses events without a valid signature (403), and a body that is not an array (400)', async () => {
      const body = JSON.stringify([{ event: 'delivered', sg_message_id: 'x.filter', email: 'a@example.com', timestamp: 1 }]);
      const unsigned = await fetch(`${url}/webhooks/sendgrid/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(unsigned.status).toBe(403);
      expect(await unsigned.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'Invalid or missing X-Twilio-Email-Event-Webhook-Signature' } });
      const { createSign } = await import('node:crypto');
      const signed = (payload: string, timestamp = '1700000000') => ({
        'content-type': 'application/json',
        'x-twilio-email-event-webhook-timestamp': timestamp,
        'x-twilio-email-event-webhook-signature': createSign('sha256').update(timestamp + payload).sign(sendGridKeys.privateKey, 'base64'),
      });
      const tampered = await fetch(`${url}/webhooks/sendgrid/events`, { method: 'POST', headers: signed(body), body: body.replace('delivered', 'bounce') });
      expect(tampered.status).toBe(403);
      const notArray = await fetch(`${url}/webhooks/sendgrid/events`, { method: 'POST', headers: signed('{"event":"delivered"}'), body: '{"event":"delivered"}' });
      expect(notArray.status).toBe(400);
      expect(await notArray.json()).toEqual({ error: { code: 'BAD_USER_INPUT', message: 'body: must be a JSON array of SendGrid events', field: 'body' } });
      const unknown = await fetch(`${url}/webhooks/sendgrid/events`, { method: 'POST', headers: signed(body), body });
      expect(unknown.status).toBe(204);
    });
  });

  describe('Twilio webhooks', () => {
    const post = (path: string, form: Record<string, string>, signature?: string) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
        body: new URLSearchParams(form).toString(),
      });
    const sign = (path: string, form: Record<string, string>) =>
      computeTwilioSignature(EMULATOR_AUTH_TOKEN, `https://hooks.example.test${path}`, form);

    it('refuses a status callback without a valid signature', async () => {
      const form = { MessageSid: 'SM1', MessageStatus: 'delivered' };
      const unsigned = await post('/webhooks/twilio/status', form);
      expect(unsigned.status).toBe(403);
      expect(await unsigned.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'Invalid or missing X-Twilio-Signature' } });
      const forged = await post('/webhooks/twilio/status', form, computeTwilioSignature('wrong-token', 'https://hooks.example.test/webhooks/twilio/status', form));
      expect(forged.status).toBe(403);
    });

    it('moves a message forward on a signed status callback, never backwards', async () => {
      const messages = new MessageStore(dataSource);
      const { message } = await messages.claim({
        workspaceId: '00000000-0000-0000-0000-000000000001',
        customerId: 'maria',
        instanceId: 'journey/abandoned-cart/maria/x',
        runId: 'run-1',
        step: 'cart-reminder-sms',
        channel: 'sms',
        to: '+5511912345678',
        body: 'hi',
      });
      await messages.markAccepted(message.id, 'SMabc', 'queued');
      const reported = async (status: string): Promise<number> => {
        const metrics = await (await fetch(`${url}/metrics`)).text();
        const line = metrics.split('\n').find((candidate) => candidate.startsWith(`continuum_delivery_reports_total{channel="sms",status="${status}"} `));
        return Number(line?.split(' ')[1] ?? 0);
      };
      const before = { delivered: await reported('delivered'), sent: await reported('sent') };
      const delivered = { MessageSid: 'SMabc', MessageStatus: 'delivered' };
      expect((await post('/webhooks/twilio/status', delivered, sign('/webhooks/twilio/status', delivered))).status).toBe(204);
      // Twilio retries a callback it thinks failed: the repeat changes nothing.
      expect((await post('/webhooks/twilio/status', delivered, sign('/webhooks/twilio/status', delivered))).status).toBe(204);
      const late = { MessageSid: 'SMabc', MessageStatus: 'sent' };
      expect((await post('/webhooks/twilio/status', late, sign('/webhooks/twilio/status', late))).status).toBe(204);
      const [row] = await dataSource.query(`SELECT status FROM messages WHERE provider_id = 'SMabc'`);
      expect(row.status).toBe('delivered');
      // Counted once, as the status the message moved to; the repeat and the late report are not.
      expect({ delivered: await reported('delivered'), sent: await reported('sent') }).toEqual({ delivered: before.delivered + 1, sent: before.sent });
    });

    it('signals the instance that sent the message with each new status, and nothing for a late one', async () => {
      // An instance with no worker: what it was sent stays in its history.
      const handle = await gw.temporal.workflow.start('abandonedCart', {
        workflowId: 'journey/abandoned-cart/maria/signalled',
        taskQueue: 'no-worker-here',
        args: [{ journeyId: 'abandoned-cart', workspaceId: '00000000-0000-0000-0000-000000000001', customerId: 'maria', key: 'signalled' }],
      });
      const messages = new MessageStore(dataSource);
      const { message } = await messages.claim({
        workspaceId: '00000000-0000-0000-0000-000000000001',
        customerId: 'maria',
        instanceId: handle.workflowId,
        runId: handle.firstExecutionRunId,
        step: 'cart-reminder-sms',
        channel: 'sms',
        to: '+5511912345678',
        body: 'hi',
        deliveryAwaited: true, // the instance waits for its delivery: reports are signalled to it
      });
      await messages.markAccepted(message.id, 'SMsignalled', 'queued');
      // A message whose delivery the instance does not wait for: its report is recorded, not signalled.
      const { message: unawaited } = await messages.claim({
        workspaceId: '00000000-0000-0000-0000-000000000001',
        customerId: 'maria',
        instanceId: handle.workflowId,
        runId: handle.firstExecutionRunId,
        step: 'cart-reminder-again',
        channel: 'sms',
        to: '+5511912345678',
        body: 'hi again',
      });
      await messages.markAccepted(unawaited.id, 'SMunawaited', 'queued');
      const reports: Array<Record<string, string>> = [
        { MessageSid: 'SMsignalled', MessageStatus: 'undelivered', ErrorCode: '30003' },
        { MessageSid: 'SMsignalled', MessageStatus: 'sent' },
        { MessageSid: 'SMunawaited', MessageStatus: 'delivered' },
      ];
      for (const form of reports) {
        expect((await post('/webhooks/twilio/status', form, sign('/webhooks/twilio/status', form))).status).toBe(204);
      }
      const history = await handle.fetchHistory();
      const { defaultPayloadConverter } = await import('@temporalio/common');
      const signals = (history.events ?? [])
        .filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'messageStatus')
        .map((event) => defaultPayloadConverter.fromPayload(event.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!));
      expect(signals).toEqual([
        { messageId: message.id, runId: handle.firstExecutionRunId, step: 'cart-reminder-sms', status: 'undelivered', errorCode: 30003, channel: 'sms' },
      ]);
      expect(await dataSource.query(`SELECT status FROM messages WHERE id = $1`, [unawaited.id])).toEqual([{ status: 'delivered' }]);
      await handle.terminate('test done');
    });

    it('records a signed inbound SMS as a Message Received event of the customer with that phone', async () => {
      const form = { MessageSid: 'SMin1', From: '+5511912345678', To: '+15005550006', Body: 'STOP' };
      const response = await post('/webhooks/twilio/inbound', form, sign('/webhooks/twilio/inbound', form));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<Response></Response>');
      const [row] = await dataSource.query(`SELECT user_id, name, properties FROM events WHERE message_id = 'twilio:SMin1'`);
      expect(row).toMatchObject({ user_id: 'maria', name: 'Message Received', properties: { body: 'STOP', channel: 'sms' } });
      // Routed through the outbox now, not only at the next start-up.
      await expect
        .poll(async () => (await dataSource.query(`SELECT routed_at FROM events WHERE message_id = 'twilio:SMin1'`))[0].routed_at, { timeout: 10_000 })
        .not.toBeNull();
    });
  });

  describe('journey catalogue', () => {
    const LIFECYCLE = (mutation: string) => `mutation($id: ID!) { ${mutation}(input: { id: $id }) { journey { status } userErrors { code field message } } }`;
    const JOURNEY = `query($key: String!) { journey(key: $key) {
      id key version workflowType status instanceKeyPath reentry exitOn listensTo maxLifetime
      entry { events } steps { step kind next { to label } } settings { name type value default overridden } instances { active completed exited } } }`;
    const UPDATE = `mutation($input: UpdateJourneySettingsInput!) {
      updateJourneySettings(input: $input) { journey { settings { name value overridden } } userErrors { code field message } } }`;
    const CART = toGlobalId('Journey', 'abandoned-cart');
    type UpdatePayload = { updateJourneySettings: { journey: { settings: unknown[] } | null; userErrors: Array<{ code: string; field: string[]; message: string }> } };

    it('describes each journey the workers published, with its step graph and settings', async () => {
      const list = await graphql<{ journeys: Array<{ key: string }> }>(`{ journeys { key } }`);
      expect(list.data!.journeys.map((journey) => journey.key)).toContain('abandoned-cart');
      const { data } = await graphql<{ journey: Record<string, unknown> }>(JOURNEY, { key: 'abandoned-cart' });
      expect(data!.journey).toMatchObject({
        id: toGlobalId('Journey', 'abandoned-cart'),
        key: 'abandoned-cart',
        workflowType: 'abandonedCart',
        status: 'PUBLISHED',
        instanceKeyPath: 'properties.cart_id',
        reentry: 'ALWAYS',
        exitOn: ['Order Completed'],
        listensTo: ['Cart Updated', 'Order Completed'],
        entry: { events: ['Cart Updated'] },
        settings: [{ name: 'idleTimeout', type: 'DURATION', default: { value: '1 hour' }, value: { value: '1 hour' }, overridden: false }],
      });
      expect(data!.journey['steps']).toContainEqual({ step: 'wait-for-idle-cart', kind: 'HOLD_UNTIL_IDLE', next: [{ to: 'cart-reminder-sms', label: 'idle timeout' }] });
      expect(await graphql(JOURNEY, { key: 'no-such-journey' })).toEqual({ data: { journey: null } });
      const byNode = await graphql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { ... on Journey { key } } }`, { id: toGlobalId('Journey', 'abandoned-cart') });
      expect(byNode.data!.node).toEqual({ key: 'abandoned-cart' });
    });

    it('validates settings against the journey schema and keeps them per workspace', async () => {
      const bad = await graphql<UpdatePayload>(UPDATE, { input: { id: CART, settings: { idleTimeout: 'soon', colour: 'red' } } });
      expect(bad.data!.updateJourneySettings).toEqual({
        journey: null,
        userErrors: [{ code: 'INVALID', field: ['input', 'settings'], message: expect.stringMatching(/idleTimeout: must be a duration.*colour: unknown setting/) }],
      });
      const one = await graphql<UpdatePayload>(UPDATE, { input: { id: CART, settings: { idleTimeout: 'soon' } } });
      expect(one.data!.updateJourneySettings.userErrors).toMatchObject([{ code: 'INVALID', field: ['input', 'settings', 'idleTimeout'] }]);
      const good = await graphql<UpdatePayload>(UPDATE, {
        input: { id: CART, settings: { idleTimeout: '30 minutes' } },
      });
      expect(good.data!.updateJourneySettings.journey!.settings).toEqual([{ name: 'idleTimeout', value: { value: '30 minutes' }, overridden: true }]);
      const other = await graphql<{ journey: { settings: Array<{ value: unknown }> } }>(JOURNEY, { key: 'abandoned-cart' }, brandKey);
      expect(other.data!.journey.settings[0]!.value).toEqual({ value: '1 hour' });
      const reset = await graphql<UpdatePayload>(UPDATE, {
        input: { id: CART, settings: { idleTimeout: null } },
      });
      expect(reset.data!.updateJourneySettings.journey!.settings).toEqual([{ name: 'idleTimeout', value: { value: '1 hour' }, overridden: false }]);
    });

    it('takes no new entries while paused, and again after resume', async () => {
      const pause = await graphql<{ pauseJourney: { journey: { status: string } } }>(LIFECYCLE('pauseJourney'), { id: CART }, brandKey);
      expect(pause.data!.pauseJourney.journey.status).toBe('PAUSED');
      const blocked = await graphql<{ track: { deliveredTo: string[] } }>(
        TRACK,
        { input: { userId: 'paula', event: 'Cart Updated', properties: { cart_id: 'p-1' } } },
        brandKey,
      );
      expect(blocked.data!.track.deliveredTo).toEqual([]);
      // Another workspace is unaffected.
      const elsewhere = await graphql<{ track: { deliveredTo: string[] } }>(TRACK, { input: { userId: 'paula', event: 'Cart Updated', properties: { cart_id: 'p-1' } } });
      expect(elsewhere.data!.track.deliveredTo).toEqual(['journey/abandoned-cart/paula/p-1']);
      await graphql(LIFECYCLE('resumeJourney'), { id: CART }, brandKey);
      const entered = await graphql<{ track: { deliveredTo: string[] } }>(
        TRACK,
        { input: { userId: 'paula', event: 'Cart Updated', properties: { cart_id: 'p-2' } } },
        brandKey,
      );
      expect(entered.data!.track.deliveredTo).toEqual(['journey/abandoned-cart/brand-b:paula/p-2']);
    });

    it('answers lifecycle mutations on an unknown, archived or malformed journey id with user errors', async () => {
      const unknown = await graphql(LIFECYCLE('pauseJourney'), { id: toGlobalId('Journey', 'nope') });
      expect(unknown.data).toEqual({ pauseJourney: { journey: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'], message: expect.stringMatching(/No journey "nope"/) }] } });
      const malformed = await graphql(LIFECYCLE('publishJourney'), { id: 'abandoned-cart' });
      expect(malformed.data).toEqual({ publishJourney: { journey: null, userErrors: [{ code: 'INVALID', field: ['input', 'id'], message: expect.any(String) }] } });
      const archived = await graphql<{ archiveJourney: { journey: { status: string } } }>(LIFECYCLE('archiveJourney'), { id: CART }, brandKey);
      expect(archived.data!.archiveJourney.journey.status).toBe('ARCHIVED');
      const resumed = await graphql(LIFECYCLE('resumeJourney'), { id: CART }, brandKey);
      expect(resumed.data).toEqual({ resumeJourney: { journey: null, userErrors: [{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: expect.stringMatching(/archived/) }] } });
      const published = await graphql<{ publishJourney: { journey: { status: string } } }>(LIFECYCLE('publishJourney'), { id: CART }, brandKey);
      expect(published.data!.publishJourney.journey.status).toBe('PUBLISHED');
    });
  });

  it('reports health of PostgreSQL and Temporal', async () => {
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'up', temporal: 'up' } });
  });

  it('has its committed schema.gql in step with the resolvers (run `npm run schema` after a change)', async () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(await printGatewaySchema());
  });

  it('describes its root types to introspection, as schema.gql does', async () => {
    const { data } = await graphql<{ __schema: Record<'queryType' | 'mutationType' | 'subscriptionType', { description: string | null }> }>(
      '{ __schema { queryType { description } mutationType { description } subscriptionType { description } } }',
    );
    expect(data!.__schema.queryType.description).toMatch(/^Reads of the API key's workspace/);
    expect(data!.__schema.mutationType.description).toMatch(/^Changes in the API key's workspace/);
    expect(data!.__schema.subscriptionType.description).toMatch(/^Live updates over graphql-ws/);
  });
});
