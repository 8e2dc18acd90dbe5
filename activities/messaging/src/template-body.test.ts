import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import type { MessagingActivities, SendSmsInput } from '@continuum/contracts';
import type { Voice } from '@continuum/domain';
import { ConsentStore, DEFAULT_WORKSPACE_ID, MessageStore, ProfileStore, TemplateStore } from '@continuum/data';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { createSmsSender } from '@continuum/twilio';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createMessagingActivities } from './messaging-activities';
import { createTemplateBodyRenderer } from './template-body';

// A templated send renders at the moment of sending, in the customer's locale, against a real outbox.
describe('sendSms with a template', () => {
  let db: TestDatabase;
  let emulator: TwilioEmulator;
  let activities: MessagingActivities;
  let emulatorUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 5 }, { logger: silentLogger });
    const { url } = await emulator.listen(0, '127.0.0.1');
    emulatorUrl = url;
    const templates = new TemplateStore(db.dataSource);
    const profiles = new ProfileStore(db.dataSource);
    activities = createMessagingActivities({
      messages: new MessageStore(db.dataSource),
      consents: new ConsentStore(db.dataSource),
      twilio: createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: url }),
      senders: { sms: EMULATOR_FROM_NUMBER },
      renderBody: createTemplateBodyRenderer({ templates, profiles }),
    });
    const publish = (locale: string, body: string, channel = 'sms') =>
      templates.publish(DEFAULT_WORKSPACE_ID, { name: 'cart-reminder', locale, channel, body, createdBy: 'test' });
    await publish('default', 'Hi {{ profile.traits.first_name }}, your cart is waiting');
    await publish('pt', 'Olá {{ profile.traits.first_name }}, seu carrinho está esperando');
    await publish('pt', 'Oi {{ profile.traits.first_name }}, seu carrinho te espera');
    await templates.publish(DEFAULT_WORKSPACE_ID, { name: 'newsletter', locale: 'default', channel: 'email', body: 'Hi', createdBy: 'test' });
    await profiles.mergeTraits(DEFAULT_WORKSPACE_ID, 'ana', { first_name: 'Ana' }, { locale: 'pt-BR', phone: '+14155550200' });
  });
  afterAll(async () => {
    await emulator?.close();
    await db?.teardown();
  });

  const input = (step: string, template: SendSmsInput['template']): SendSmsInput => ({
    workspaceId: DEFAULT_WORKSPACE_ID,
    customerId: 'ana',
    instanceId: 'journey/abandoned-cart/ana/c1',
    runId: 'run-1',
    journeyId: 'abandoned-cart',
    step,
    to: '+14155550200',
    template,
  });
  const sentBodies = () => emulator.messages().filter((message) => message.to === '+14155550200').map((message) => message.body);

  it("renders the latest version for the profile's locale (pt-BR → pt) and records the text in the outbox", async () => {
    const outcome = await activities.sendSms(input('reminder-1', { name: 'cart-reminder', payload: { profile: { traits: { first_name: 'Ana' } } } }));
    expect(outcome).toMatchObject({ status: 'sent', duplicate: false });
    expect(sentBodies()).toEqual(['Oi Ana, seu carrinho te espera']);
    const [row] = await db.dataSource.query(`SELECT body FROM messages WHERE step = 'reminder-1'`);
    expect(row.body).toBe('Oi Ana, seu carrinho te espera');
  });

  it('uses an explicit locale over the profile, falling back to default', async () => {
    await activities.sendSms(input('reminder-2', { name: 'cart-reminder', locale: 'fr-FR', payload: { profile: { traits: { first_name: 'Ana' } } } }));
    expect(sentBodies().at(-1)).toBe('Hi Ana, your cart is waiting');
  });

  it('fails permanently on a missing variable, a missing template or another channel: nothing reaches the outbox or Twilio', async () => {
    const before = sentBodies().length;
    await expect(activities.sendSms(input('reminder-3', { name: 'cart-reminder', payload: { profile: { traits: {} } } }))).resolves.toEqual({
      status: 'failed',
      reason: 'template error: template "cart-reminder" v2 (pt): undefined variable: profile.traits.first_name, line:1, col:7',
    });
    await expect(activities.sendSms(input('reminder-4', { name: 'nope', payload: {} }))).resolves.toEqual({
      status: 'failed',
      reason: 'template error: no template "nope" for locale pt-BR (tried pt-BR, pt, default)',
    });
    await expect(activities.sendSms(input('reminder-5', { name: 'newsletter', payload: {} }))).resolves.toMatchObject({
      status: 'failed',
      reason: 'template error: template "newsletter" v1 (default) is for email, not sms',
    });
    expect(sentBodies()).toHaveLength(before);
    const rows = await db.dataSource.query(`SELECT step FROM messages WHERE step IN ('reminder-3', 'reminder-4', 'reminder-5')`);
    expect(rows).toEqual([]);
  });

  it("renders in the workspace's voice, read at send time: formal or informal variant, sign-off, emoji taken out when not allowed", async () => {
    const templates = new TemplateStore(db.dataSource);
    await templates.publish(DEFAULT_WORKSPACE_ID, {
      name: 'back-in-stock',
      locale: 'pt',
      channel: 'sms',
      body: '{% if voice.formal %}Prezado(a) cliente, o senhor{% else %}Oi {{ profile.traits.first_name }}, você{% endif %} pediu e chegou 🎉 {{ product }}\n{{ voice.signOff }}',
      createdBy: 'test',
    });
    let voice: Voice = { address: 'formal', signOff: 'Equipe Loja', emoji: false };
    const voiced = createMessagingActivities({
      messages: new MessageStore(db.dataSource),
      consents: new ConsentStore(db.dataSource),
      twilio: createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: emulatorUrl }),
      senders: { sms: EMULATOR_FROM_NUMBER },
      renderBody: createTemplateBodyRenderer({ templates, profiles: new ProfileStore(db.dataSource), voiceFor: async () => voice }),
    });
    const payload = { profile: { traits: { first_name: 'Ana' } }, product: 'Tênis 👟 Trail' };
    await voiced.sendSms(input('voice-1', { name: 'back-in-stock', payload }));
    expect(sentBodies().at(-1)).toBe('Prezado(a) cliente, o senhor pediu e chegou Tênis Trail\nEquipe Loja');
    // The policy changed: the next send reads the new voice (no change to the journey).
    voice = { address: 'informal', signOff: 'Beijos, Loja 💜', emoji: true };
    await voiced.sendSms(input('voice-2', { name: 'back-in-stock', payload }));
    expect(sentBodies().at(-1)).toBe('Oi Ana, você pediu e chegou 🎉 Tênis 👟 Trail\nBeijos, Loja 💜');
    // Without a voice (a worker that has none): the default voice, so `voice` is always there.
    await activities.sendSms(input('voice-3', { name: 'back-in-stock', payload }));
    expect(sentBodies().at(-1)).toBe('Oi Ana, você pediu e chegou 🎉 Tênis 👟 Trail\n');
  });
});
