import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startStack, waitFor, type Stack } from '@continuum/testing';
import { resolveTemporalCli } from '@continuum/provision';

// One brand with a Brazilian and a US market (country layers of its policy) on the stack as
// `npm start` runs it: the same journey (order-shipped, with the workspace's stored templates)
// reaches the Brazilian customer on WhatsApp in pt-BR in the Brazilian voice, after Brazil's quiet
// hours, and the US customer by SMS in English in the US voice at once; the agent answers in the
// Brazilian voice too.
type Entry = { type: string; step: string; detail: Record<string, unknown> };
type Rule = { rule: string; value: unknown; source: string; country: string | null };
interface EmulatedMessage {
  to: string;
  body: string;
}

/** HH:MM in `zone` at `ms`. */
function localTime(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

describe('markets: one journey, a Brazilian and a US customer, each in their market’s policy', { timeout: 600_000 }, () => {
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

  async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': stack.devApiKey },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as { data?: T; errors?: unknown[] };
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  const sentTo = async (to: string): Promise<EmulatedMessage[]> => {
    const { messages } = (await (await fetch(`${stack.emulatorUrl}/__emulator/messages`)).json()) as { messages: EmulatedMessage[] };
    return messages.filter((message) => message.to === to);
  };
  const timeline = async (workflowId: string): Promise<Entry[]> =>
    (
      await graphql<{ journeyInstance: { timeline: { nodes: Entry[] } } | null }>(
        `query($id: String!) { journeyInstance(workflowId: $id) { timeline(first: 100) { nodes { type step detail } } } }`,
        { id: workflowId },
      )
    ).journeyInstance?.timeline.nodes ?? [];

  /** Waits for the first journal entry of `type` of the instance (the message may reach the emulator before its entry is journaled). */
  const journaled = async (workflowId: string, type: string): Promise<Entry> => {
    let found: Entry | undefined;
    await waitFor(`${type} of ${workflowId}`, async () => (found = (await timeline(workflowId)).find((entry) => entry.type === type)) !== undefined, 60_000);
    return found!;
  };

  it('sends WhatsApp in pt-BR in the formal Brazilian voice after Brazil’s quiet hours, SMS in English in the US voice at once, and the agent answers formally', async () => {
    // Brazil's quiet hours end a few minutes from now in São Paulo; the US ones are hours away in New York.
    const now = Date.now();
    const brQuiet = { start: localTime(now - 3_600_000, 'America/Sao_Paulo'), end: localTime(now + 4 * 60_000, 'America/Sao_Paulo') };
    const usQuiet = { start: localTime(now + 5 * 3_600_000, 'America/New_York'), end: localTime(now + 6 * 3_600_000, 'America/New_York') };
    const brVoice = { address: 'formal', signOff: 'Equipe Loja Brasil', emoji: false };
    const usVoice = { address: 'informal', signOff: '— The Store team 👋', emoji: true };
    const saved = await graphql<{ updateMessagingPolicy: { messagingPolicy: { version: number } | null; userErrors: unknown[] } }>(
      `mutation($input: UpdateMessagingPolicyInput!) { updateMessagingPolicy(input: $input) { messagingPolicy { version } userErrors { code field message } } }`,
      {
        input: {
          comment: 'Brazil and US markets',
          document: {
            channelOrder: ['sms'],
            voice: { address: 'informal' },
            countries: {
              BR: { channelOrder: ['whatsapp', 'sms'], quietHours: brQuiet, quietHoursMode: 'queue', timeZone: 'America/Sao_Paulo', voice: brVoice },
              US: { channelOrder: ['sms'], quietHours: usQuiet, quietHoursMode: 'queue', timeZone: 'America/New_York', voice: usVoice },
            },
          },
        },
      },
    );
    expect(saved.updateMessagingPolicy).toEqual({ messagingPolicy: { version: 1 }, userErrors: [] });
    // One journey, one wording per channel and locale: the voice decides the form of address and the sign-off.
    const publish = (name: string, locale: string, channel: string, body: string) =>
      graphql(`mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { userErrors { code field message } } }`, { input: { name, locale, channel, body } });
    await publish(
      'order-shipped.whatsapp',
      'pt-BR',
      'WHATSAPP',
      '{% if voice.formal %}Prezado(a) {{ profile.traits.first_name }}, o seu pedido{% else %}Oi {{ profile.traits.first_name }}, seu pedido{% endif %} {{ journey.key }} foi enviado 📦\n{{ voice.signOff }}',
    );
    await publish('order-shipped.sms', 'default', 'SMS', 'Hi {{ profile.traits.first_name }}! Your order {{ journey.key }} has shipped 📦\n{{ voice.signOff }}');
    const journeyId = (await graphql<{ journey: { id: string } }>(`{ journey(key: "order-shipped") { id } }`)).journey.id;
    await graphql(`mutation($input: UpdateJourneySettingsInput!) { updateJourneySettings(input: $input) { journey { id } } }`, {
      input: { id: journeyId, settings: { storedTemplates: true } },
    });

    const ana = { phone: '+5511955550801', whatsapp: 'whatsapp:+5511955550801' };
    const bob = { phone: '+14155550802' };
    await graphql(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, {
      input: { userId: 'ana-br', traits: { first_name: 'Ana', phone: ana.phone, whatsapp: ana.phone, country: 'BR', locale: 'pt-BR' } },
    });
    await graphql(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, {
      input: { userId: 'bob-us', traits: { first_name: 'Bob', phone: bob.phone, country: 'US', locale: 'en-US' } },
    });

    // effectivePolicy says which layer gave each customer's voice.
    const voiceOf = async (userId: string) =>
      (await graphql<{ effectivePolicy: { rules: Rule[] } }>(`query($u: String!) { effectivePolicy(userId: $u) { rules { rule value source country } } }`, { u: userId })).effectivePolicy.rules.find(
        (rule) => rule.rule === 'VOICE',
      );
    expect(await voiceOf('ana-br')).toEqual({ rule: 'VOICE', value: brVoice, source: 'WORKSPACE_COUNTRY', country: 'BR' });
    expect(await voiceOf('bob-us')).toEqual({ rule: 'VOICE', value: usVoice, source: 'WORKSPACE_COUNTRY', country: 'US' });

    // Ana writes on WhatsApp (it opens her 24-hour window): the agent answers in the formal Brazilian voice.
    const inbound = await fetch(`${stack.emulatorUrl}/__emulator/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: ana.whatsapp, to: 'whatsapp:+15005550006', body: 'meu pedido está atrasado, ainda não chegou' }),
    });
    expect(inbound.status).toBe(200);
    let answer: EmulatedMessage | undefined;
    await waitFor('the agent’s answer on WhatsApp', async () => {
      answer = (await sentTo(ana.whatsapp)).find((message) => message.body.startsWith('Vou verificar'));
      return answer !== undefined;
    }, 60_000);
    expect(answer!.body).toBe('Vou verificar a sua entrega. Qual é o número do pedido?\nEquipe Loja Brasil');

    // The same journey for both.
    for (const [userId, order] of [['ana-br', 'BR-1'], ['bob-us', 'US-1']]) {
      await graphql(`mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, { input: { userId, event: 'Order Shipped', properties: { order_id: order, eta: 'Friday' } } });
    }

    // Bob: SMS in English, in the US voice (emoji allowed), at once — New York is not in its quiet hours.
    let bobs: EmulatedMessage[] = [];
    await waitFor('Bob’s SMS', async () => (bobs = await sentTo(bob.phone)).length > 0, 60_000);
    expect(bobs.map((message) => message.body)).toEqual(['Hi Bob! Your order US-1 has shipped 📦\n— The Store team 👋']);
    expect((await journaled('journey/order-shipped/bob-us/US-1', 'MESSAGE_SENT')).detail).toMatchObject({ channel: 'sms', template: 'order-shipped.sms' });
    expect((await timeline('journey/order-shipped/bob-us/US-1')).some((entry) => entry.type === 'SEND_HELD')).toBe(false);

    // Ana: held by Brazil's quiet hours until their end in São Paulo, the reason journaled.
    const held = await journaled('journey/order-shipped/ana-br/BR-1', 'SEND_HELD');
    expect(held.detail).toMatchObject({ reason: 'quiet hours', window: `${brQuiet.start}-${brQuiet.end}`, timeZone: 'America/Sao_Paulo' });
    const until = Date.parse(String(held.detail['until']));
    expect(localTime(until, 'America/Sao_Paulo')).toBe(brQuiet.end);
    expect(until).toBeGreaterThan(now);
    expect((await sentTo(ana.whatsapp)).filter((message) => message.body.includes('BR-1'))).toEqual([]);

    // Then WhatsApp (her window is open), pt-BR, formal, signed off, its emoji taken out.
    let notice: EmulatedMessage | undefined;
    await waitFor('Ana’s WhatsApp notice', async () => {
      notice = (await sentTo(ana.whatsapp)).find((message) => message.body.includes('BR-1'));
      return notice !== undefined;
    }, 420_000);
    expect(notice!.body).toBe('Prezado(a) Ana, o seu pedido BR-1 foi enviado\nEquipe Loja Brasil');
    expect((await journaled('journey/order-shipped/ana-br/BR-1', 'MESSAGE_SENT')).detail).toMatchObject({ channel: 'whatsapp', template: 'order-shipped.whatsapp' });
    expect(await sentTo(ana.phone)).toEqual([]);
  });
});
