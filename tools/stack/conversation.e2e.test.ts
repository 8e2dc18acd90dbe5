import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, stackEngineOptions, startStack, waitFor, type Stack } from '@continuum/testing';

// The README's conversation story on the stack exactly as `npm start` runs it (no extra settings):
// in-app chat, then email and SMS delivered by the emulator the way SendGrid and Twilio deliver them.
// Temporal is the run's engine: the dev server, or the real server with TEMPORAL_ENGINE=server.
type Message = { direction: string; author: string; channel: string; body: string; status: string | null };
type Topic = { id: string; status: string; intent: string; escalationReason: string | null; facts: Record<string, string> };

describe('a conversation across in-app, email and SMS on the npm start stack', { timeout: 240_000 }, () => {
  let stack: Stack;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'continuum-conversation-e2e-'));
    const temporal = await freePort();
    stack = await startStack({
      dataDir,
      ...(await stackEngineOptions(undefined, temporal)),
      ports: { temporal, postgres: await freePort(), gateway: await freePort(), emulator: await freePort() },
      serviceEnv: { LOG_LEVEL: 'warn' },
    });
  });

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

  async function conversation(userId: string): Promise<{ topics: Topic[]; messages: Message[] }> {
    const { conversation: found } = await graphql<{ conversation: { topics: { nodes: Topic[] }; messages: { nodes: Message[] } } | null }>(
      `query($userId: String!) { conversation(userId: $userId) {
        topics(first: 10) { nodes { id status intent escalationReason facts } }
        messages(last: 50) { nodes { direction author channel body status } } } }`,
      { userId },
    );
    return { topics: found?.topics.nodes ?? [], messages: found?.messages.nodes ?? [] };
  }

  /** Waits for the customer's nth automated reply (sent), and returns it. */
  async function reply(userId: string, nth: number): Promise<Message> {
    let found: Message | undefined;
    await waitFor(`reply ${nth} to ${userId}`, async () => {
      const replies = (await conversation(userId)).messages.filter((message) => message.direction === 'OUT' && message.status === 'SENT');
      found = replies[nth - 1];
      return found !== undefined;
    }, 30_000);
    return found!;
  }

  const emulator = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${stack.emulatorUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('takes a follow-up for a follow-up, answers a question, and hands over to a person with the right reason', async () => {
    await graphql(`mutation { identify(input: { userId: "ana", traits: { first_name: "Ana", phone: "+14155550100", email: "ana@example.com" } }) { duplicate } }`);

    // In the app: the returns agent learns the order and asks for the reason.
    await graphql(`mutation { postInAppMessage(input: { userId: "ana", body: "I want to return my order #4417", clientMessageId: "c-1" }) { duplicate } }`);
    expect((await reply('ana', 1)).body).toMatch(/order 4417.*reason/);

    // By email, delivered by the emulator as SendGrid's Inbound Parse: a follow-up, not the reason.
    const followUp = await emulator('/__emulator/inbound-email', { from: 'Ana Lima <ana@example.com>', to: 'support@continuum.test', subject: 'Re: Your return', text: 'Any update on my return?' });
    expect(followUp).toMatchObject({ status: 200, json: { webhookStatus: 200 } });
    const second = await reply('ana', 2);
    expect(second).toMatchObject({ channel: 'EMAIL', author: 'bot:returns' });
    expect(second.body).toMatch(/not started yet.*reason/);
    expect(second.body).not.toContain('Any update');

    // A question is answered from the knowledge base; the reason is then taken as the reason.
    await emulator('/__emulator/inbound-email', { from: 'ana@example.com', to: 'support@continuum.test', subject: 'Re: Your return', text: 'Where do I drop off the parcel?' });
    expect((await reply('ana', 3)).body).toMatch(/post office.*reason/);
    await emulator('/__emulator/inbound-email', { from: 'ana@example.com', to: 'support@continuum.test', subject: 'Re: Your return', text: 'The shoes are too small.' });
    expect((await reply('ana', 4)).body).toContain('(reason: The shoes are too small.)');
    // Read as maybe-sales (unsure): a follow-up in the return, not a new sales topic.
    await emulator('/__emulator/inbound-email', { from: 'ana@example.com', to: 'support@continuum.test', subject: 'Re: Your return', text: 'How can I ship this back to you?' });
    expect(await reply('ana', 5)).toMatchObject({ author: 'bot:returns', channel: 'EMAIL' });

    // By SMS through the emulator's signed Twilio webhook: she asks for a person.
    const sms = await emulator('/__emulator/inbound', { from: '+14155550100', to: '+15005550006', body: 'get me a human' });
    expect(sms).toMatchObject({ status: 200, json: { webhookStatus: 200 } });
    let topic: Topic | undefined;
    await waitFor('the topic queued for a person', async () => {
      topic = (await conversation('ana')).topics.find((each) => each.status === 'HUMAN');
      return topic !== undefined;
    }, 30_000);
    expect(topic).toMatchObject({ intent: 'RETURNS', escalationReason: 'ASKED_FOR_PERSON', facts: { orderId: '4417', reason: 'The shoes are too small.' } });
    const { topics, messages } = await conversation('ana');
    expect(topics).toHaveLength(1);
    expect(messages.filter((message) => message.direction === 'IN').map((message) => message.channel)).toEqual(['IN_APP', 'EMAIL', 'EMAIL', 'EMAIL', 'EMAIL', 'SMS']);

    // Follow-ups within one topic: she never had to repeat herself.
    const { conversationMetrics } = await graphql<{ conversationMetrics: Record<string, unknown> }>(
      `query($from: DateTime!, $to: DateTime!) { conversationMetrics(from: $from, to: $to, withinDays: 7) {
        inboundMessages topicsOpened repeatedQuestions { topics repeats } escalation { topics } } }`,
      { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() },
    );
    expect(conversationMetrics).toEqual({ inboundMessages: 6, topicsOpened: 1, repeatedQuestions: { topics: 0, repeats: 0 }, escalation: { topics: 1 } });
  });

  it('answers a product question by the sales agent', async () => {
    await graphql(`mutation { postInAppMessage(input: { userId: "teo", body: "Do you have these running shoes in size 42?", clientMessageId: "c-2" }) { duplicate } }`);
    const answer = await reply('teo', 1);
    expect(answer.author).toBe('bot:sales');
    expect(answer.body).toMatch(/sizes in stock/);
    expect((await conversation('teo')).topics).toMatchObject([{ intent: 'SALES' }]);
  });
});
