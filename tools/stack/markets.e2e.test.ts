import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startStack, waitFor, type Stack } from '@continuum/testing';
import { resolveTemporalCli } from '@continuum/provision';

// Two brands as two workspaces on the stack as `npm start` runs it — a Brazilian one and a US one,
// each with its own key, policy, numbers and templates — running the same journey (order-shipped,
// with the workspace's stored templates) for similar customers: the channel, the wording and form of
// address, the quiet hours and the opt-in differ exactly as each brand's policy says.
type Entry = { type: string; step: string; detail: Record<string, unknown> };
type Rule = { rule: string; value: unknown; source: string; country: string | null };
type Consent = { channel: string; status: string };
interface EmulatedMessage {
  to: string;
  from: string;
  body: string;
}

/** HH:MM in `zone` at `ms`. */
function localTime(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

const BR_SMS = '+5511400000001';
const BR_WHATSAPP = '+5511400000002';
const US_SMS = '+14155550900';

describe('markets: a Brazilian and a US brand (two workspaces), one journey, each in its own policy', { timeout: 600_000 }, () => {
  let stack: Stack;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'continuum-markets-e2e-'));
    stack = await startStack({
      dataDir,
      temporalCliPath: process.env['TEMPORAL_CLI_PATH'] ?? (await resolveTemporalCli()),
      ports: { temporal: await freePort(), postgres: await freePort(), gateway: await freePort(), emulator: await freePort() },
      serviceEnv: { LOG_LEVEL: 'warn' },
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function graphql<T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as { data?: T; errors?: unknown[] };
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  /** A brand: a workspace the operator creates, and a key of its own. */
  async function brand(slug: string, name: string): Promise<string> {
    const created = await graphql<{ createWorkspace: { workspace: { id: string } | null; userErrors: unknown[] } }>(
      stack.devApiKey,
      `mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id } userErrors { code field message } } }`,
      { input: { slug, name } },
    );
    expect(created.createWorkspace.userErrors).toEqual([]);
    const key = await graphql<{ createApiKey: { secret: string | null; userErrors: unknown[] } }>(
      stack.devApiKey,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret userErrors { code field message } } }`,
      { input: { name: `${name} e2e`, scopes: ['ALL'], workspaceId: created.createWorkspace.workspace!.id } },
    );
    expect(key.createApiKey.userErrors).toEqual([]);
    return key.createApiKey.secret!;
  }

  const sentTo = async (to: string): Promise<EmulatedMessage[]> => {
    const { messages } = (await (await fetch(`${stack.emulatorUrl}/__emulator/messages`)).json()) as { messages: EmulatedMessage[] };
    return messages.filter((message) => message.to === to);
  };
  /** A customer's message through the emulator (signed like Twilio's) to one of a brand's numbers. */
  const inbound = async (from: string, to: string, body: string) => {
    const response = await fetch(`${stack.emulatorUrl}/__emulator/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, to, body }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { webhookStatus: number }).webhookStatus).toBe(200);
  };
  const timeline = async (key: string, workflowId: string): Promise<Entry[]> =>
    (
      await graphql<{ journeyInstance: { timeline: { nodes: Entry[] } } | null }>(
        key,
        `query($id: String!) { journeyInstance(workflowId: $id) { timeline(first: 100) { nodes { type step detail } } } }`,
        { id: workflowId },
      )
    ).journeyInstance?.timeline.nodes ?? [];
  /** Waits for the first journal entry of `type` of the instance (the message may reach the emulator before its entry is journaled). */
  const journaled = async (key: string, workflowId: string, type: string, timeoutMs = 60_000): Promise<Entry> => {
    let found: Entry | undefined;
    await waitFor(`${type} of ${workflowId}`, async () => (found = (await timeline(key, workflowId)).find((entry) => entry.type === type)) !== undefined, timeoutMs);
    return found!;
  };
  const consentOf = async (key: string, userId: string, channel: string): Promise<string | undefined> =>
    (await graphql<{ profile: { consent: Consent[] } | null }>(key, `query($u: String!) { profile(userId: $u) { consent { channel status } } }`, { u: userId })).profile?.consent.find(
      (row) => row.channel === channel,
    )?.status;
  const voiceOf = async (key: string, userId: string) =>
    (await graphql<{ effectivePolicy: { rules: Rule[] } }>(key, `query($u: String!) { effectivePolicy(userId: $u) { rules { rule value source country } } }`, { u: userId })).effectivePolicy.rules.find(
      (rule) => rule.rule === 'VOICE',
    );

  it('sends the Brazilian brand’s customers WhatsApp in formal pt-BR after Brazil’s quiet hours and only after a double opt-in, the US brand’s SMS in English at once', async () => {
    const br = await brand('loja-br', 'Loja Brasil');
    const us = await brand('store-us', 'The Store US');

    // Each brand writes its own policy with its own key. Brazil: WhatsApp first, quiet hours ending
    // a few minutes from now in São Paulo, a formal voice without emoji, double opt-in on both
    // channels. The US: SMS, quiet hours hours away in New York, an informal voice, no opt-in asked.
    const now = Date.now();
    const brQuiet = { start: localTime(now - 3_600_000, 'America/Sao_Paulo'), end: localTime(now + 4 * 60_000, 'America/Sao_Paulo') };
    const usQuiet = { start: localTime(now + 5 * 3_600_000, 'America/New_York'), end: localTime(now + 6 * 3_600_000, 'America/New_York') };
    const brVoice = { address: 'formal', signOff: 'Equipe Loja Brasil', emoji: false };
    const usVoice = { address: 'informal', signOff: '— The Store team 👋', emoji: true };
    const policy = async (key: string, document: Record<string, unknown>) => {
      const saved = await graphql<{ updateMessagingPolicy: { messagingPolicy: { version: number } | null; userErrors: unknown[] } }>(
        key,
        `mutation($input: UpdateMessagingPolicyInput!) { updateMessagingPolicy(input: $input) { messagingPolicy { version } userErrors { code field message } } }`,
        { input: { comment: 'market rules', document } },
      );
      expect(saved.updateMessagingPolicy).toEqual({ messagingPolicy: { version: 1 }, userErrors: [] });
    };
    await policy(br, {
      channelOrder: ['whatsapp', 'sms'],
      quietHours: brQuiet,
      quietHoursMode: 'queue',
      timeZone: 'America/Sao_Paulo',
      voice: brVoice,
      consent: { whatsapp: 'double_opt_in', sms: 'double_opt_in' },
      keywords: { pt: { start: ['quero'], confirm: ['sim'] } },
      senders: { sms: BR_SMS, whatsapp: BR_WHATSAPP },
    });
    await policy(us, { channelOrder: ['sms'], quietHours: usQuiet, quietHoursMode: 'queue', timeZone: 'America/New_York', voice: usVoice, senders: { sms: US_SMS } });

    // One journey, each brand's own wording: the voice decides the form of address and the sign-off.
    const publish = (key: string, name: string, locale: string, channel: string, body: string) =>
      graphql(key, `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { userErrors { code field message } } }`, { input: { name, locale, channel, body } });
    await publish(
      br,
      'order-shipped.whatsapp',
      'pt-BR',
      'WHATSAPP',
      '{% if voice.formal %}Prezado(a) {{ profile.traits.first_name }}, o seu pedido{% else %}Oi {{ profile.traits.first_name }}, seu pedido{% endif %} {{ journey.key }} foi enviado 📦\n{{ voice.signOff }}',
    );
    await publish(br, 'order-shipped.sms', 'pt-BR', 'SMS', 'Prezado(a) {{ profile.traits.first_name }}, o seu pedido {{ journey.key }} foi enviado\n{{ voice.signOff }}');
    await publish(us, 'order-shipped.sms', 'default', 'SMS', 'Hi {{ profile.traits.first_name }}! Your order {{ journey.key }} has shipped 📦\n{{ voice.signOff }}');
    for (const key of [br, us]) {
      const journeyId = (await graphql<{ journey: { id: string } }>(key, `{ journey(key: "order-shipped") { id } }`)).journey.id;
      await graphql(key, `mutation($input: UpdateJourneySettingsInput!) { updateJourneySettings(input: $input) { journey { id } } }`, {
        input: { id: journeyId, settings: { storedTemplates: true } },
      });
    }

    // Similar customers: Ana and Carla of the Brazilian brand, Bob of the US one.
    const ana = { phone: '+5511955550801', whatsapp: 'whatsapp:+5511955550801' };
    const carla = { phone: '+5511955550803' };
    const bob = { phone: '+14155550802' };
    const identify = (key: string, userId: string, traits: Record<string, unknown>) =>
      graphql(key, `mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, { input: { userId, traits } });
    await identify(br, 'ana', { first_name: 'Ana', phone: ana.phone, whatsapp: ana.phone, country: 'BR', locale: 'pt-BR' });
    await identify(br, 'carla', { first_name: 'Carla', phone: carla.phone, country: 'BR', locale: 'pt-BR' });
    await identify(us, 'bob', { first_name: 'Bob', phone: bob.phone, country: 'US', locale: 'en-US' });
    expect(await voiceOf(br, 'ana')).toEqual({ rule: 'VOICE', value: brVoice, source: 'WORKSPACE', country: null });
    expect(await voiceOf(us, 'bob')).toEqual({ rule: 'VOICE', value: usVoice, source: 'WORKSPACE', country: null });

    // Opt-in: in Brazil a WhatsApp "QUERO" to the brand's number is pending until her "SIM"; in the US
    // a START subscribes at once. Each lands in the workspace its number belongs to.
    await inbound(ana.whatsapp, `whatsapp:${BR_WHATSAPP}`, 'QUERO');
    await waitFor('Ana’s WhatsApp consent pending', async () => (await consentOf(br, 'ana', 'WHATSAPP')) === 'PENDING', 60_000);
    await inbound(ana.whatsapp, `whatsapp:${BR_WHATSAPP}`, 'sim');
    await waitFor('Ana’s WhatsApp consent confirmed', async () => (await consentOf(br, 'ana', 'WHATSAPP')) === 'SUBSCRIBED', 60_000);
    await inbound(bob.phone, US_SMS, 'START');
    await waitFor('Bob subscribed at once', async () => (await consentOf(us, 'bob', 'SMS')) === 'SUBSCRIBED', 60_000);
    expect(await consentOf(us, 'ana', 'WHATSAPP')).toBeUndefined();

    // Ana writes to the Brazilian brand on WhatsApp: its agent answers in the formal Brazilian voice, from its number.
    await inbound(ana.whatsapp, `whatsapp:${BR_WHATSAPP}`, 'meu pedido está atrasado, ainda não chegou');
    let answer: EmulatedMessage | undefined;
    await waitFor('the agent’s answer on WhatsApp', async () => {
      answer = (await sentTo(ana.whatsapp)).find((message) => message.body.startsWith('Vou verificar'));
      return answer !== undefined;
    }, 60_000);
    expect(answer!.body).toBe('Vou verificar a sua entrega. Qual é o número do pedido?\nEquipe Loja Brasil');
    expect(answer!.from).toBe(`whatsapp:${BR_WHATSAPP}`);

    // The same journey for all three, each through its brand's key.
    for (const [key, userId, order] of [
      [br, 'ana', 'BR-1'],
      [br, 'carla', 'BR-2'],
      [us, 'bob', 'US-1'],
    ] as const) {
      await graphql(key, `mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, { input: { userId, event: 'Order Shipped', properties: { order_id: order, eta: 'Friday' } } });
    }
    const anaInstance = 'journey/order-shipped/loja-br:ana/BR-1';
    const carlaInstance = 'journey/order-shipped/loja-br:carla/BR-2';
    const bobInstance = 'journey/order-shipped/store-us:bob/US-1';

    // Bob: SMS in English, in the US voice (emoji allowed), from the US number, at once — New York is not in its quiet hours.
    let bobs: EmulatedMessage[] = [];
    await waitFor('Bob’s SMS', async () => (bobs = (await sentTo(bob.phone)).filter((message) => message.body.includes('US-1'))).length > 0, 60_000);
    expect(bobs.map((message) => [message.from, message.body])).toEqual([[US_SMS, 'Hi Bob! Your order US-1 has shipped 📦\n— The Store team 👋']]);
    expect((await journaled(us, bobInstance, 'MESSAGE_SENT')).detail).toMatchObject({ channel: 'sms', template: 'order-shipped.sms' });
    expect((await timeline(us, bobInstance)).some((entry) => entry.type === 'SEND_HELD')).toBe(false);

    // Ana and Carla: held by Brazil's quiet hours until their end in São Paulo, the reason journaled.
    for (const instance of [anaInstance, carlaInstance]) {
      const held = await journaled(br, instance, 'SEND_HELD');
      expect(held.detail).toMatchObject({ reason: 'quiet hours', window: `${brQuiet.start}-${brQuiet.end}`, timeZone: 'America/Sao_Paulo' });
      const until = Date.parse(String(held.detail['until']));
      expect(localTime(until, 'America/Sao_Paulo')).toBe(brQuiet.end);
      expect(until).toBeGreaterThan(now);
    }
    expect((await sentTo(ana.whatsapp)).filter((message) => message.body.includes('BR-1'))).toEqual([]);

    // Then Ana on WhatsApp (confirmed, her window open): pt-BR, formal, signed off, its emoji taken out.
    let notice: EmulatedMessage | undefined;
    await waitFor('Ana’s WhatsApp notice', async () => {
      notice = (await sentTo(ana.whatsapp)).find((message) => message.body.includes('BR-1'));
      return notice !== undefined;
    }, 420_000);
    expect(notice!.body).toBe('Prezado(a) Ana, o seu pedido BR-1 foi enviado\nEquipe Loja Brasil');
    expect(notice!.from).toBe(`whatsapp:${BR_WHATSAPP}`);
    expect((await journaled(br, anaInstance, 'MESSAGE_SENT')).detail).toMatchObject({ channel: 'whatsapp', template: 'order-shipped.whatsapp' });
    expect(await sentTo(ana.phone)).toEqual([]);

    // Carla never confirmed an opt-in, which the Brazilian brand requires: nothing is sent, and why is journaled.
    await waitFor(
      'Carla’s notice skipped for want of consent',
      async () => (await timeline(br, carlaInstance)).some((entry) => entry.type === 'MESSAGE_SKIPPED' && entry.detail['rule'] === 'no-consent'),
      120_000,
    );
    expect(await sentTo(carla.phone)).toEqual([]);
  });
});
