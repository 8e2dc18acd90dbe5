import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageStatusSignal, type JourneyState } from '@continuum/contracts';
import { EMULATOR_FROM_NUMBER } from '@continuum/config';
import { ConsentStore, DEFAULT_WORKSPACE_ID, EventStore, InboxStore } from '@continuum/data';
import { createJourneyTestKit, waitFor, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/semantics-journeys';
import { channelSend } from './test-support/semantics-journeys';

/** The emulator's approved template "Your order {{1}} is on its way and should arrive on {{2}}." */
const CONTENT_SID = 'HX00000000000000000000000000000002';

// Channel preference and fallback at the moment of sending: time-skipping Temporal, the worker's real
// messaging activities, PostgreSQL and the Twilio emulator through the real SDK.
describe('sending over a channel preference', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ workflowsPath: join(__dirname, 'test-support/semantics-journeys.ts'), journeysModule: journeys });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  const sentTo = (to: string) => kit.bed.emulator.messages().filter((message) => message.to === to);
  const entries = async (workflowId: string, type: string) => (await kit.bed.journal.listEntries(workflowId)).filter((line) => line.type === type);
  /**
   * A WhatsApp message from the customer `hoursAgo` hours ago: stored as the gateway stores inbound
   * messages, and known to the emulator, which enforces the 24-hour window as Twilio does.
   */
  const wroteOnWhatsApp = async (customer: string, address: string, hoursAgo: number) => {
    const at = new Date(Date.now() - hoursAgo * 60 * 60 * 1000);
    await new EventStore(kit.bed.dataSource).insert({
      workspaceId: DEFAULT_WORKSPACE_ID,
      messageId: `inbound-${customer}-${hoursAgo}`,
      userId: customer,
      type: 'track',
      name: 'Message Received',
      properties: { channel: 'whatsapp', from: `whatsapp:${address}`, body: 'hi' },
      timestamp: at,
      receivedAt: at,
      routedAt: at,
    });
    kit.bed.emulator.recordWhatsAppInbound({ from: `whatsapp:${address}`, to: `whatsapp:${EMULATOR_FROM_NUMBER}`, at });
  };

  it('falls back from email to SMS when the customer has no email address, journaling why', async () => {
    await kit.identify('ch-no-email', { first_name: 'Ana', phone: '+14155550601' });
    await kit.run(async () => {
      const instance = await kit.enter(channelSend, 'ch-no-email', 'Channel Send', { case: 'a', channels: ['email', 'sms'] });
      const state = await instance.result();
      expect(state.context['outcome']).toMatchObject({ status: 'sent', channel: 'sms', to: '+14155550601' });
      expect(await instance.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'message.skipped', 'channel.fallback', 'message.sent', 'completed']);
      const [fallback] = await entries(instance.workflowId, 'channel.fallback');
      expect(fallback!.detail).toMatchObject({ from: 'email', to: 'sms', reason: 'email skipped: no email address on profile for email' });
    });
    expect(sentTo('+14155550601').map((message) => message.body)).toEqual(['Your order shipped, Ana']);
  });

  it('falls back from WhatsApp to SMS when the customer unsubscribed from WhatsApp', async () => {
    await kit.identify('ch-no-wa-consent', { first_name: 'Bia', phone: '+14155550602' });
    await wroteOnWhatsApp('ch-no-wa-consent', '+14155550602', 1);
    await new ConsentStore(kit.bed.dataSource).applyToChannel(DEFAULT_WORKSPACE_ID, 'ch-no-wa-consent', 'whatsapp', ['marketing'], 'unsubscribed', 'test', new Date(), {});
    await kit.run(async () => {
      const instance = await kit.enter(channelSend, 'ch-no-wa-consent', 'Channel Send', { case: 'a', channels: ['whatsapp', 'sms'] });
      expect((await instance.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'sms' });
      const [skipped] = await entries(instance.workflowId, 'message.skipped');
      expect(skipped!.detail).toMatchObject({ channel: 'whatsapp', rule: 'no-consent' });
    });
    expect(sentTo('whatsapp:+14155550602')).toHaveLength(0);
    expect(sentTo('+14155550602')).toHaveLength(1);
  });

  it('sends free-form WhatsApp inside the 24-hour window, the approved template outside it, and falls back to SMS with neither', async () => {
    await kit.identify('ch-wa-open', { first_name: 'Caio', phone: '+14155550603' });
    await kit.identify('ch-wa-template', { first_name: 'Duda', phone: '+14155550604' });
    await kit.identify('ch-wa-closed', { first_name: 'Enzo', phone: '+14155550605', whatsapp: '+14155550615' });
    await wroteOnWhatsApp('ch-wa-open', '+14155550603', 23);
    await wroteOnWhatsApp('ch-wa-closed', '+14155550615', 25);
    await kit.run(async () => {
      const open = await kit.enter(channelSend, 'ch-wa-open', 'Channel Send', { case: 'a', channels: ['whatsapp', 'sms'], contentSid: CONTENT_SID });
      const template = await kit.enter(channelSend, 'ch-wa-template', 'Channel Send', { case: 'a', channels: ['whatsapp', 'sms'], contentSid: CONTENT_SID });
      const closed = await kit.enter(channelSend, 'ch-wa-closed', 'Channel Send', { case: 'a', channels: ['whatsapp', 'sms'] });
      expect((await open.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'whatsapp' });
      expect((await template.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'whatsapp' });
      expect((await closed.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'sms', to: '+14155550605' });
      const [skipped] = await entries(closed.workflowId, 'message.skipped');
      expect(skipped!.detail).toMatchObject({ channel: 'whatsapp', rule: 'whatsapp-window' });
      expect(String(skipped!.detail['reason'])).toMatch(/^outside the WhatsApp 24-hour window \(last wrote .*\) and no approved template given$/);
    });
    expect(sentTo('whatsapp:+14155550603').map((message) => message.body)).toEqual(['Your order shipped, Caio']);
    expect(sentTo('whatsapp:+14155550604').map((message) => message.body)).toEqual(['Your order Duda is on its way and should arrive on Friday.']);
    const [stored] = await kit.bed.dataSource.query(`SELECT channel, to_address, body FROM messages WHERE customer_id = 'ch-wa-template'`);
    expect(stored).toEqual({ channel: 'whatsapp', to_address: '+14155550604', body: `[template ${CONTENT_SID}] {"1":"Duda","2":"Friday"}` });
    expect(sentTo('whatsapp:+14155550615')).toHaveLength(0);
  });

  it('tries the next channel when the first fails permanently (Twilio 21211), each channel its own outbox row', async () => {
    await kit.identify('ch-bad-number', { first_name: 'Flor', phone: '+15005550001', whatsapp: '+14155550616' });
    await kit.run(async () => {
      const instance = await kit.enter(channelSend, 'ch-bad-number', 'Channel Send', { case: 'a', channels: ['sms', 'whatsapp'], contentSid: CONTENT_SID });
      expect((await instance.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'whatsapp', to: '+14155550616' });
      const [failed] = await entries(instance.workflowId, 'message.failed');
      expect(failed!.detail).toMatchObject({ channel: 'sms', errorCode: 21211 });
      const [fallback] = await entries(instance.workflowId, 'channel.fallback');
      expect(fallback!.detail['reason']).toMatch(/^sms failed: /);
    });
    const rows: Array<{ step: string; channel: string; status: string }> = await kit.bed.dataSource.query(
      `SELECT step, channel, status FROM messages WHERE customer_id = 'ch-bad-number' ORDER BY created_at`,
    );
    expect(rows).toEqual([
      { step: 'notify', channel: 'sms', status: 'failed' },
      { step: 'notify~whatsapp', channel: 'whatsapp', status: expect.stringMatching(/^(queued|sent|delivered)$/) },
    ]);
  });

  it('tries the next channel when no delivery is reported within fallbackAfter', async () => {
    // +1500555070x: the emulator's carrier never confirms delivery.
    await kit.identify('ch-silent', { first_name: 'Gil', phone: '+15005550701', whatsapp: '+14155550617' });
    await kit.run(async () => {
      const instance = await kit.enter(channelSend, 'ch-silent', 'Channel Send', { case: 'a', channels: ['sms', 'whatsapp'], contentSid: CONTENT_SID, fallbackAfter: '10 minutes' });
      // A report meant for an earlier instance with the same workflow id changes nothing.
      await waitFor('the first message', async () => (await entries(instance.workflowId, 'message.sent')).length > 0, 20_000);
      const [first] = await entries(instance.workflowId, 'message.sent');
      await instance.handle.signal(messageStatusSignal, { messageId: String(first!.detail['messageId']), runId: 'an-earlier-run', step: 'notify', status: 'delivered' });
      expect((await instance.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'whatsapp' });
      expect(await instance.path({ steps: true })).toEqual([
        'entered@entry',
        'wait.started@settle',
        'wait.ended@settle',
        'message.sent@notify',
        'message.status@notify',
        'channel.fallback@notify',
        'message.sent@notify',
        'completed@done',
      ]);
      const [fallback] = await entries(instance.workflowId, 'channel.fallback');
      expect(fallback!.detail).toMatchObject({ from: 'sms', to: 'whatsapp', reason: 'no delivery on sms within 10 minutes' });
      const [sent, status] = [...(await entries(instance.workflowId, 'message.sent')), ...(await entries(instance.workflowId, 'message.status'))];
      expect(status!.at.getTime() - sent!.at.getTime()).toBeGreaterThanOrEqual(10 * 60 * 1000);
    });
    expect(sentTo('+15005550701')).toHaveLength(1);
    expect(sentTo('whatsapp:+14155550617')).toHaveLength(1);
  });

  it("moves on as soon as the carrier reports the message undelivered, and stops waiting once it is delivered (the emulator's status callbacks)", async () => {
    // +1500555080x: the emulator's carrier reports `undelivered` (30003).
    await kit.identify('ch-reported', { first_name: 'Hugo', phone: '+15005550801', whatsapp: '+14155550618' });
    await kit.identify('ch-delivered', { first_name: 'Iris', phone: '+14155550609', whatsapp: '+14155550619' });
    await kit.run(async () => {
      const failing = await kit.enter(channelSend, 'ch-reported', 'Channel Send', { case: 'a', channels: ['sms', 'whatsapp'], contentSid: CONTENT_SID, fallbackAfter: '1 hour' });
      const delivering = await kit.enter(channelSend, 'ch-delivered', 'Channel Send', { case: 'a', channels: ['sms', 'whatsapp'], contentSid: CONTENT_SID, fallbackAfter: '1 hour' });
      // In real time, before asking for the results (which lets the test server skip the hour).
      for (const instance of [failing, delivering]) {
        await waitFor('the send to settle', async () => (await entries(instance.workflowId, 'completed')).length > 0, 20_000);
      }
      expect((await failing.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'whatsapp' });
      const [fallback] = await entries(failing.workflowId, 'channel.fallback');
      expect(fallback!.detail).toMatchObject({ reason: 'sms undelivered (error 30003)' });
      expect((await delivering.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'sms' });
      expect(await delivering.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'message.sent', 'message.status', 'completed']);
      const [status] = await entries(delivering.workflowId, 'message.status');
      expect(status!.detail).toMatchObject({ outcome: 'delivered', status: 'delivered' });
    });
    expect(sentTo('whatsapp:+14155550618')).toHaveLength(1);
    expect(sentTo('whatsapp:+14155550619')).toHaveLength(0);
  });

  it('orders channels by the country (auto) and puts a preferred_channel trait first', async () => {
    await kit.identify('ch-auto-br', { first_name: 'Jo', phone: '+5511955550610', country: 'BR' });
    await kit.identify('ch-auto-pref', { first_name: 'Lu', phone: '+5511955550611', country: 'BR', preferred_channel: 'sms' });
    await wroteOnWhatsApp('ch-auto-br', '+5511955550610', 2);
    await wroteOnWhatsApp('ch-auto-pref', '+5511955550611', 2);
    await kit.run(async () => {
      const br = await kit.enter(channelSend, 'ch-auto-br', 'Channel Send', { case: 'a', channels: 'auto' });
      const preferring = await kit.enter(channelSend, 'ch-auto-pref', 'Channel Send', { case: 'a', channels: 'auto' });
      expect((await br.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'whatsapp' });
      expect((await preferring.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'sms' });
    });
    expect(sentTo('whatsapp:+5511955550610')).toHaveLength(1);
    expect(sentTo('+5511955550611')).toHaveLength(1);
    expect(sentTo('whatsapp:+5511955550611')).toHaveLength(0);
  });

  it('sends an MMS with its media, and lets a journey wait for its delivery', async () => {
    await kit.identify('ch-mms', { first_name: 'Mel', phone: '+14155550612' });
    await kit.run(async () => {
      const instance = await kit.enter(channelSend, 'ch-mms', 'Channel Send', {
        case: 'a',
        channels: ['mms'],
        mediaUrls: ['https://example.com/parcel.png'],
        waitForDelivery: '1 day',
      });
      await waitFor('the delivery', async () => (await entries(instance.workflowId, 'completed')).length > 0, 20_000);
      const state: JourneyState = await instance.result();
      expect(state.context['delivery']).toEqual({ outcome: 'delivered', status: 'delivered' });
    });
    const [mms] = sentTo('+14155550612');
    expect(mms!.mediaUrls).toEqual(['https://example.com/parcel.png']);
  });

  it("keeps an in-app message in the customer's inbox, delivered at once, once per step", async () => {
    await kit.identify('ch-in-app', { first_name: 'Nina' });
    await kit.run(async () => {
      const instance = await kit.enter(channelSend, 'ch-in-app', 'Channel Send', { case: 'a', channels: ['email', 'in_app'], waitForDelivery: '1 day' });
      const state = await instance.result();
      expect(state.context['outcome']).toMatchObject({ status: 'sent', channel: 'in_app', to: 'ch-in-app' });
      expect(state.context['delivery']).toEqual({ outcome: 'delivered', status: 'delivered' });
    });
    const page = await new InboxStore(kit.bed.dataSource).list(DEFAULT_WORKSPACE_ID, 'ch-in-app', { limit: 10 });
    expect(page.items.map((item) => ({ title: item.message.title, body: item.message.body }))).toEqual([{ title: 'Order shipped', body: 'Your order shipped, Nina' }]);
    const [row] = await kit.bed.dataSource.query(`SELECT channel, status, provider_id FROM messages WHERE customer_id = 'ch-in-app'`);
    expect(row).toEqual({ channel: 'in_app', status: 'delivered', provider_id: `inbox:${page.items[0]!.message.id}` });
  });

  it('sends email through SendGrid with the subject, its outbox row keyed by the X-Message-Id', async () => {
    await kit.identify('ch-email', { first_name: 'Olga', email: 'Olga@Example.com' });
    await kit.run(async () => {
      const instance = await kit.enter(channelSend, 'ch-email', 'Channel Send', { case: 'a', channels: ['sms', 'email'] });
      expect((await instance.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'email', to: 'olga@example.com' });
    });
    const emails = kit.emailsTo('olga@example.com');
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ subject: 'Your order shipped', from: { email: 'journeys@continuum.test' }, content: [{ type: 'text/plain', value: 'Your order shipped, Olga' }] });
    const [row] = await kit.bed.dataSource.query(`SELECT id, channel, provider_id FROM messages WHERE customer_id = 'ch-email'`);
    expect(row).toMatchObject({ channel: 'email', provider_id: emails[0]!.messageId });
    // The event webhook finds the message by its id too.
    expect(emails[0]!.customArgs).toEqual({ continuum_message_id: row.id });
  });

  it('sends RCS through the Messaging Service, which falls back to SMS for a handset without RCS', async () => {
    await kit.identify('ch-rcs', { first_name: 'Paz', phone: '+14155550613' });
    await kit.identify('ch-rcs-old-phone', { first_name: 'Quim', phone: '+15005550650' });
    await kit.run(async () => {
      const capable = await kit.enter(channelSend, 'ch-rcs', 'Channel Send', { case: 'a', channels: ['rcs'] });
      const old = await kit.enter(channelSend, 'ch-rcs-old-phone', 'Channel Send', { case: 'a', channels: ['rcs'] });
      expect((await capable.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'rcs' });
      expect((await old.result()).context['outcome']).toMatchObject({ status: 'sent', channel: 'rcs' });
    });
    await kit.bed.emulator.callbacksSettled();
    const [rcs] = sentTo('+14155550613');
    const [sms] = sentTo('+15005550650');
    expect(rcs).toMatchObject({ messagingServiceSid: kit.bed.emulator.messagingService.sid, from: 'rcs:continuum_agent' });
    expect(sms).toMatchObject({ messagingServiceSid: kit.bed.emulator.messagingService.sid, from: EMULATOR_FROM_NUMBER });
  });
});
