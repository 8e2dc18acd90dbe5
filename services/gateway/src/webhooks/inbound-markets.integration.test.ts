import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import type { MessagingActivities, SendMessageInput } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, WorkspaceStore } from '@continuum/data';
import { createSmsSender } from '@continuum/twilio';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { buildActivities, createJourneyWorker, type JourneyWorker } from '@continuum/worker';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../test-support/gateway-fixture';

/**
 * Double opt-in and inbound routed to its workspace (issue 18, items 3 and 4) through the real
 * gateway, PostgreSQL and the worker's real send activity (its policy read, the twilio SDK against
 * the emulator): a START asks for a YES, sends wait for it, the YES (or SIM/SÍ) subscribes; each
 * inbound number or inbox lands in its workspace, an unassigned one is refused and recorded.
 */

type UserErrors = Array<{ code: string; field: string[] | null; message: string }>;
type ConsentRow = { channel: string; purpose: string; status: string; source: string };

const BR_SENDER = '+5511999990301';
const BR_INBOUND = '+5511999990302';
const BR_INBOX = 'contato@loja-br.test';

const DOI_POLICY = {
  senders: { sms: BR_SENDER, whatsapp: BR_SENDER, inbound: [BR_INBOUND, 'Contato@Loja-BR.test'] },
  keywords: { pt: { start: ['quero'], confirm: ['sim'] }, es: { confirm: ['sí', 'si'] } },
  confirmationReplies: {
    'pt-BR': { request: 'Loja: responda SIM para confirmar que quer nossas mensagens.', confirmed: 'Loja: pronto, inscrição confirmada!' },
    es: { request: 'Tienda: responde SÍ para confirmar.', confirmed: 'Tienda: ¡listo, confirmado!' },
  },
  countries: { BR: { consent: { sms: 'double_opt_in', whatsapp: 'double_opt_in' } }, MX: { consent: { sms: 'double_opt_in' } } },
};

describe('double opt-in and inbound to its workspace', () => {
  let gateway: GatewayFixture;
  let emulator: TwilioEmulator;
  let messaging: MessagingActivities;
  let brazil: string;
  let admin: string;
  let sequence = 0;
  let worker: JourneyWorker;
  let running: Promise<void>;

  beforeAll(async () => {
    gateway = await startGatewayFixture({ env: { GRAPHQL_RATE_LIMIT_PER_SECOND: '0', SENDGRID_INBOUND_TOKEN: 'inbound-secret' } });
    const workspaces = new WorkspaceStore(gateway.dataSource);
    brazil = (await workspaces.createWorkspace('doi-br', 'Loja Brasil')).id;
    admin = await workspaces.createApiKey(brazil, 'doi-admin', undefined, ['admin', 'read', 'track']);
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 5 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    // The worker's own activities (its policy read, consent check and outbox), sending through the twilio SDK to the emulator.
    const config = await workerConfigFor(gateway, emulatorUrl);
    messaging = buildActivities({
      dataSource: gateway.dataSource,
      twilio: createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: emulatorUrl }),
      config,
    }) as unknown as MessagingActivities;
    // A journey worker too: it sends the confirmation request of a grant made through the API or tracking.
    worker = await createJourneyWorker(config);
    running = worker.run();
    const saved = await gateway.graphql<{ updateMessagingPolicy: { userErrors: UserErrors } }>(
      `mutation($input: UpdateMessagingPolicyInput!) { updateMessagingPolicy(input: $input) { userErrors { code field message } } }`,
      { input: { document: DOI_POLICY } },
      admin,
    );
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.updateMessagingPolicy.userErrors).toEqual([]);
  }, 300_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await emulator?.close();
    await gateway?.teardown();
  });

  const identify = async (userId: string, traits: Record<string, unknown>) => {
    const result = await gateway.graphql(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, { input: { userId, traits } }, admin);
    expect(result.errors).toBeUndefined();
  };
  const sms = (from: string, to: string, body: string) =>
    gateway.twilioWebhook('/webhooks/twilio/inbound', { MessageSid: `SM${String(++sequence).padStart(32, '0')}`, AccountSid: EMULATOR_ACCOUNT_SID, From: from, To: to, Body: body, NumMedia: '0' });
  const inbound = async (from: string, body: string, to = BR_SENDER): Promise<{ reply: string | undefined; sid: string }> => {
    const response = await sms(from, to, body);
    expect(response.status).toBe(200);
    const text = await response.text();
    return { reply: /<Message>([^<]*)<\/Message>/.exec(text)?.[1], sid: `SM${String(sequence).padStart(32, '0')}` };
  };
  const consent = async (userId: string): Promise<{ consent: ConsentRow[]; history: ConsentRow[] }> => {
    const result = await gateway.graphql<{ profile: { consent: ConsentRow[]; consentHistory: { nodes: ConsentRow[] } } }>(
      `query($u: String!) { profile(userId: $u) { consent { channel purpose status source } consentHistory(first: 50) { nodes { channel purpose status source } } } }`,
      { u: userId },
      admin,
    );
    expect(result.errors).toBeUndefined();
    return { consent: result.data!.profile.consent, history: result.data!.profile.consentHistory.nodes };
  };
  const marketingSms = (customerId: string, step: string, purpose: 'marketing' | 'transactional' = 'marketing'): Promise<Awaited<ReturnType<MessagingActivities['sendMessage']>>> =>
    messaging.sendMessage({
      workspaceId: brazil,
      customerId,
      instanceId: `journey/promo/${customerId}/1`,
      runId: 'run-1',
      journeyId: 'promo',
      step,
      channel: 'sms',
      body: `Oferta ${step}`,
      purpose,
    } as SendMessageInput);
  const storedEvent = async (sid: string) =>
    (await gateway.dataSource.query(`SELECT workspace_id, properties FROM events WHERE message_id = $1`, [`twilio:${sid}`])) as Array<{ workspace_id: string; properties: Record<string, unknown> }>;

  it('makes a START pending and asks for a YES in the customer\'s locale; sends are skipped with the reason until the SIM; STOP while pending ends it', async () => {
    await identify('ana', { phone: '+5511955550301', country: 'BR', locale: 'pt-BR' });
    const asked = await inbound('+5511955550301', 'Quero');
    expect(asked.reply).toBe('Loja: responda SIM para confirmar que quer nossas mensagens.');
    expect((await consent('ana')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'PENDING', source: 'inbound:QUERO' });

    // Before the YES: a marketing send is skipped with why (nothing reaches Twilio); a transactional one goes.
    const before = await marketingSms('ana', 'before');
    expect(before).toMatchObject({ status: 'skipped', rule: 'no-consent', reason: expect.stringMatching(/consent pending.*double opt-in/) });
    expect(emulator.messages().filter((message) => message.to === '+5511955550301')).toHaveLength(0);
    expect(await marketingSms('ana', 'receipt', 'transactional')).toMatchObject({ status: 'sent' });

    // Her SIM confirms (a word of the policy's Portuguese list), answered in pt-BR; not a reply to the journey's SMS, not a conversation message.
    const confirmed = await inbound('+5511955550301', 'sim!');
    expect(confirmed.reply).toBe('Loja: pronto, inscrição confirmada!');
    const after = await consent('ana');
    expect(after.consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'SUBSCRIBED', source: 'inbound:SIM' });
    expect(after.history.filter((row) => row.purpose === 'marketing' && row.channel === 'SMS').map((row) => [row.status, row.source])).toEqual([
      ['SUBSCRIBED', 'inbound:SIM'],
      ['PENDING', 'inbound:QUERO'],
    ]);
    const [detail] = await gateway.dataSource.query(
      `SELECT detail FROM consent_changes WHERE workspace_id = $1 AND customer_id = 'ana' AND status = 'subscribed' AND purpose = 'marketing'`,
      [brazil],
    );
    expect(detail.detail).toMatchObject({ doubleOptIn: 'confirmed', requestedBy: 'inbound:QUERO', messageSid: confirmed.sid, requestedAt: expect.any(String) });
    const [confirmEvent] = await storedEvent(confirmed.sid);
    expect(confirmEvent!.workspace_id).toBe(brazil);
    expect(confirmEvent!.properties).toMatchObject({ keyword: 'SIM', keywordKind: 'confirm' });
    expect(confirmEvent!.properties).not.toHaveProperty('in_reply_to');

    // Now the send goes out.
    expect(await marketingSms('ana', 'after')).toMatchObject({ status: 'sent' });
    expect(emulator.messages().filter((message) => message.to === '+5511955550301').map((message) => message.body)).toContain('Oferta after');

    // A second YES changes nothing, and (nothing pending) is a reply to the journey's SMS as before.
    const historyBefore = (await consent('ana')).history.length;
    const again = await inbound('+5511955550301', 'YES');
    expect(again.reply).toBeUndefined();
    expect((await consent('ana')).history).toHaveLength(historyBefore);
    const [againEvent] = await storedEvent(again.sid);
    expect(againEvent!.properties).toMatchObject({ keyword: 'YES', keywordKind: 'start', in_reply_to: { journey_id: 'promo', instance_id: 'journey/promo/ana/1' } });

    // Another customer: START, then STOP while pending ends it; a later YES is a START again (asks again).
    await identify('bia', { phone: '+5511955550302', country: 'BR', locale: 'pt-BR' });
    expect((await inbound('+5511955550302', 'START')).reply).toBe('Loja: responda SIM para confirmar que quer nossas mensagens.');
    await inbound('+5511955550302', 'STOP');
    expect((await consent('bia')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'UNSUBSCRIBED', source: 'inbound:STOP' });
    expect(await marketingSms('bia', 'stopped')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/unsubscribed/) });
    expect((await inbound('+5511955550302', 'sim')).reply).toBeUndefined();
    expect((await consent('bia')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'UNSUBSCRIBED', source: 'inbound:STOP' });
  });

  it('confirms with the Spanish SÍ for a customer in Mexico, asked in Spanish; a customer in the US (no double opt-in) is subscribed at once', async () => {
    await identify('carla', { phone: '+5215555550303', country: 'MX', locale: 'es-MX' });
    expect((await inbound('+5215555550303', 'start')).reply).toBe('Tienda: responde SÍ para confirmar.');
    expect((await inbound('+5215555550303', '¡Sí!')).reply).toBe('Tienda: ¡listo, confirmado!');
    expect((await consent('carla')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'SUBSCRIBED', source: 'inbound:SÍ' });

    await identify('dan', { phone: '+14155550304', country: 'US', locale: 'en-US' });
    await inbound('+14155550304', 'START');
    expect((await consent('dan')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'SUBSCRIBED', source: 'inbound:START' });
  });

  it('makes a grant through setConsent or identify traits pending and sends the request through the worker; the SIM subscribes; PENDING cannot be set directly', async () => {
    const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    await identify('eva', { phone: '+5511955550305', country: 'BR', locale: 'pt-BR' });
    const set = await gateway.graphql<{ setConsent: { userErrors: UserErrors } }>(
      `mutation { setConsent(input: { userId: "eva", channel: SMS, status: SUBSCRIBED, source: "signup-form" }) { profile { userId } userErrors { code field message } } }`,
      {},
      admin,
    );
    expect(set.errors).toBeUndefined();
    expect((await consent('eva')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'PENDING', source: 'api:signup-form' });
    const request = await eventually('the request SMS', async () => emulator.messages().find((message) => message.to === '+5511955550305'));
    expect(request.body).toBe('Loja: responda SIM para confirmar que quer nossas mensagens.');
    expect(request.from).toBe(BR_SENDER);
    expect((await inbound('+5511955550305', 'SIM')).reply).toBe('Loja: pronto, inscrição confirmada!');
    expect((await consent('eva')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'SUBSCRIBED', source: 'inbound:SIM' });
    // Granting again once subscribed asks nothing more.
    await gateway.graphql(`mutation { setConsent(input: { userId: "eva", channel: SMS, status: SUBSCRIBED }) { userErrors { code } } }`, {}, admin);
    expect((await consent('eva')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'SUBSCRIBED', source: 'api' });

    // Tracking: the consent trait of an identify, for a Brazilian customer the same event makes.
    await identify('fabio', { phone: '+5511955550306', country: 'BR', locale: 'pt-BR', consent: { sms: 'subscribed' } });
    expect((await consent('fabio')).consent).toContainEqual({ channel: 'SMS', purpose: 'marketing', status: 'PENDING', source: 'traits' });
    await eventually('the request SMS to fabio', async () => emulator.messages().find((message) => message.to === '+5511955550306'));

    const direct = await gateway.graphql<{ setConsent: { userErrors: UserErrors } }>(
      `mutation { setConsent(input: { userId: "eva", channel: SMS, status: PENDING }) { userErrors { code field message } } }`,
      {},
      admin,
    );
    expect(direct.data!.setConsent.userErrors).toMatchObject([{ code: 'INVALID', field: ['input', 'status'] }]);
  });

  it('lands an inbound SMS, WhatsApp and email in the workspace of the number or inbox it was sent to; the emulator\'s stay in the default workspace', async () => {
    const toInbound = await inbound('+5511955550399', 'Olá, uma dúvida', BR_INBOUND);
    expect((await storedEvent(toInbound.sid))[0]!.workspace_id).toBe(brazil);
    const whatsapp = await gateway.twilioWebhook('/webhooks/twilio/inbound', {
      MessageSid: `SM${String(++sequence).padStart(32, '0')}`,
      From: 'whatsapp:+5511955550399',
      To: `whatsapp:${BR_SENDER}`,
      Body: 'Oi',
    });
    expect(whatsapp.status).toBe(200);
    expect((await storedEvent(`SM${String(sequence).padStart(32, '0')}`))[0]!.workspace_id).toBe(brazil);
    const emulatorNumber = await inbound('+14155550398', 'hello', EMULATOR_FROM_NUMBER);
    expect((await storedEvent(emulatorNumber.sid))[0]!.workspace_id).toBe(DEFAULT_WORKSPACE_ID);
  });

  it('refuses an SMS to a number no workspace has with 404 naming To, records it for operators and counts it; never a 5xx for any To', async () => {
    const response = await sms('+14155550397', '+19995550100', 'hello?');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND', field: 'To', message: expect.stringContaining('+19995550100 is not assigned to any workspace') } });
    const sid = `SM${String(sequence).padStart(32, '0')}`;
    expect(await storedEvent(sid)).toEqual([]);
    const [refusal] = await gateway.dataSource.query(`SELECT provider, channel, to_address, from_address, reason FROM inbound_refusals WHERE provider_message_id = $1`, [sid]);
    expect(refusal).toEqual({ provider: 'twilio', channel: 'sms', to_address: '+19995550100', from_address: '+14155550397', reason: '+19995550100 is not assigned to any workspace' });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/continuum_inbound_refused_total\{provider="twilio",channel="sms"\} [1-9]/);

    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(BR_SENDER, BR_INBOUND, EMULATOR_FROM_NUMBER, `whatsapp:${BR_SENDER}`)), async (to) => {
        runs += 1;
        const reply = await sms('+14155550396', to, 'ping');
        const id = `SM${String(sequence).padStart(32, '0')}`;
        expect(reply.status).toBeLessThan(500);
        const stored = await storedEvent(id);
        const refused = await gateway.dataSource.query(`SELECT 1 FROM inbound_refusals WHERE provider_message_id = $1`, [id]);
        // Exactly one of: stored in a workspace (200), refused and recorded (404), or bad input (400) and nothing kept.
        if (reply.status === 200) expect([stored.length, refused.length]).toEqual([1, 0]);
        else if (reply.status === 404) expect([stored.length, refused.length]).toEqual([0, 1]);
        else expect([reply.status, stored.length, refused.length]).toEqual([400, 0, 0]);
      }),
      { numRuns: 40 },
    );
    expect(runs).toBe(40);
  });

  it('lands an email sent to a workspace\'s inbox there; one to an inbox nobody has is answered 200 (SendGrid would retry), refused and recorded', async () => {
    const email = (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      return fetch(`${gateway.url}/webhooks/sendgrid/inbound?token=inbound-secret`, { method: 'POST', body: form });
    };
    const landed = await email({ from: 'Rui <rui@example.com>', to: 'Loja <CONTATO@loja-br.test>, other@nowhere.test', subject: 'Pedido', text: 'Onde está meu pedido?' });
    expect(landed.status).toBe(200);
    const { messageId } = (await landed.json()) as { messageId: string };
    const [row] = await gateway.dataSource.query(`SELECT workspace_id FROM events WHERE message_id = $1`, [messageId]);
    expect(row.workspace_id).toBe(brazil);

    const refused = await email({ from: 'eve@example.com', to: 'sales@nowhere.test', subject: 'Hi', text: 'hello', headers: 'Message-ID: <refused-1@example.com>' });
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({ refused: true, reason: 'sales@nowhere.test is not assigned to any workspace' });
    const [recorded] = await gateway.dataSource.query(`SELECT provider, channel, to_address, from_address FROM inbound_refusals WHERE provider_message_id = '<refused-1@example.com>'`);
    expect(recorded).toEqual({ provider: 'sendgrid', channel: 'email', to_address: 'sales@nowhere.test', from_address: 'eve@example.com' });
  });

  it('keeps a number or inbox to one workspace: another workspace\'s policy naming it is a CONFLICT naming the field', async () => {
    const workspaces = new WorkspaceStore(gateway.dataSource);
    const other = (await workspaces.createWorkspace('doi-other', 'Other')).id;
    const otherAdmin = await workspaces.createApiKey(other, 'other-admin', undefined, ['admin']);
    const result = await gateway.graphql<{ updateMessagingPolicy: { userErrors: UserErrors } }>(
      `mutation($input: UpdateMessagingPolicyInput!) { updateMessagingPolicy(input: $input) { userErrors { code field message } } }`,
      { input: { document: { senders: { inbound: ['+15551230000', BR_INBOX] } } } },
      otherAdmin,
    );
    expect(result.data!.updateMessagingPolicy.userErrors).toMatchObject([{ code: 'CONFLICT', field: ['input', 'document', 'senders', 'inbound', '1'] }]);
  });
});
