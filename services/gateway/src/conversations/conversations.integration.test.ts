import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { ConversationStore, DEFAULT_WORKSPACE_ID, JourneyCatalogueStore } from '@continuum/data';
import { createTwilioEmulator, DEFAULT_SENDGRID_API_KEY, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, journeyDescriptors, type JourneyWorker } from '@continuum/worker';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../test-support/gateway-fixture';
import { toGlobalId } from '../node/global-id';
import { ConversationUpdates } from './conversation-updates';

type GqlError = { message: string; extensions?: { code?: string } };
type Result<T> = { data?: T; errors?: GqlError[] };
type Topic = { id: string; status: string; intent: string; channel: string; escalationReason: string | null; escalationKeyword: string | null; assignedAgent: string | null; resolvedBy: string | null; facts: Record<string, string> };
type Message = {
  id: string;
  direction: string;
  author: string;
  channel: string;
  body: string;
  status: string | null;
  reason: string | null;
  topic: { id: string } | null;
  journeyInstance: string | null;
};
type UserError = { code: string; field: string[] | null; message: string };

const TOPIC_FIELDS = 'id status intent channel escalationReason escalationKeyword assignedAgent resolvedBy facts';
const USER_ERRORS = 'userErrors { code field message }';
const CONVERSATION = `query($userId: String!) { conversation(userId: $userId) {
  topics(first: 100) { nodes { ${TOPIC_FIELDS} } }
  messages(last: 100) { nodes { id direction author channel body status reason topic { id } journeyInstance } }
} }`;
const POST_IN_APP = `mutation($userId: String!, $body: String!, $id: String) {
  postInAppMessage(input: { userId: $userId, body: $body, clientMessageId: $id }) { conversationMessageId duplicate ${USER_ERRORS} }
}`;
const QUEUE = `query($state: QueueState!) { agentQueue(state: $state, first: 100) { nodes { ${TOPIC_FIELDS} } } }`;
const CLAIM = `mutation($topicId: ID!, $agent: String!) { claimTopic(input: { topicId: $topicId, agent: $agent }) { topic { ${TOPIC_FIELDS} } ${USER_ERRORS} } }`;
const REPLY = `mutation($topicId: ID!, $agent: String!, $body: String!) {
  replyToTopic(input: { topicId: $topicId, agent: $agent, body: $body }) { message { id channel status } topic { id status } ${USER_ERRORS} }
}`;
const HAND_BACK = `mutation($topicId: ID!, $agent: String!) { handBackTopic(input: { topicId: $topicId, agent: $agent }) { topic { ${TOPIC_FIELDS} } ${USER_ERRORS} } }`;
const RESOLVE = `mutation($topicId: ID!, $agent: String!) { resolveTopic(input: { topicId: $topicId, agent: $agent }) { topic { ${TOPIC_FIELDS} } ${USER_ERRORS} } }`;

/** The topic's uuid inside its global id (the handoff journey's instance key). */
function localTopicId(id: string): string {
  return Buffer.from(id, 'base64url').toString('utf8').slice('ConversationTopic:'.length);
}

/** An Etc/GMT zone where the local hour is `hour` right now (quiet hours are 21:00–08:00 in these tests). */
function zoneAtLocalHour(hour: number): string {
  const utc = new Date().getUTCHours();
  let offset = (hour - utc + 24) % 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

// The whole path on real parts: signed Twilio webhooks, SendGrid Inbound Parse (multipart), the
// in-app GraphQL mutation, the gateway's relay to the conversation workflow on a Temporal dev
// server, agent journeys sending through the real twilio and SendGrid SDKs to the emulator.
describe('conversations across channels (gateway, worker, dev server, emulator)', () => {
  let gw: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'conversations-test'),
      env: { SENDGRID_INBOUND_TOKEN: 'inbound-secret' },
    });
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    const config = await workerConfigFor(gw, emulatorUrl, {
      SENDGRID_API_KEY: DEFAULT_SENDGRID_API_KEY,
      SENDGRID_API_BASE_URL: emulatorUrl,
      EMAIL_FROM: 'support@continuum.test',
      QUIET_HOURS: 'default=21:00-08:00',
      // A workspace's knowledge version is read at most every half second (5 s by default).
      CONVERSATION_KNOWLEDGE_CHECK_MS: '500',
    });
    worker = await createJourneyWorker(config);
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await emulator?.close();
    await gw?.teardown();
  });

  async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<Result<T>> {
    return (await gw.graphql<T>(query, variables)) as Result<T>;
  }
  async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await graphql<T>(query, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }
  async function identify(userId: string, traits: Record<string, unknown>): Promise<void> {
    await ok(`mutation($userId: String!, $traits: JSONObject!) { identify(input: { userId: $userId, traits: $traits }) { duplicate } }`, { userId, traits });
  }
  let sid = 0;
  async function sms(from: string, body: string): Promise<Response> {
    const form = { MessageSid: `SM${String(++sid).padStart(32, '0')}`, AccountSid: EMULATOR_ACCOUNT_SID, From: from, To: EMULATOR_FROM_NUMBER, Body: body, NumMedia: '0' };
    const response = await gw.twilioWebhook('/webhooks/twilio/inbound', form);
    expect(response.status).toBe(200);
    return response;
  }
  function inboundEmail(fields: Record<string, string>, token = 'inbound-secret'): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${gw.url}/webhooks/sendgrid/inbound?token=${encodeURIComponent(token)}`, { method: 'POST', body: form });
  }
  /** The customer's topics and latest messages (none before their first message). */
  async function conversation(userId: string): Promise<{ topics: Topic[]; messages: Message[] }> {
    const found = (await ok<{ conversation: { topics: { nodes: Topic[] }; messages: { nodes: Message[] } } | null }>(CONVERSATION, { userId })).conversation;
    return { topics: found?.topics.nodes ?? [], messages: found?.messages.nodes ?? [] };
  }
  async function queue(state: string): Promise<Topic[]> {
    return (await ok<{ agentQueue: { nodes: Topic[] } }>(QUEUE, { state })).agentQueue.nodes;
  }
  /** Waits until the customer's history has `count` replies (out) that are no longer pending, or a predicate holds. */
  async function repliesOf(userId: string, count: number): Promise<Message[]> {
    return eventually(async () => {
      const outs = (await conversation(userId)).messages.filter((message) => message.direction === 'OUT' && message.status !== 'PENDING');
      return outs.length >= count ? outs : undefined;
    }, `${count} replies to ${userId}`);
  }
  const smsTo = (to: string) => emulator.messages().filter((message) => message.to === to);

  it('carries a return across in-app, email and SMS, through a person and back, without the customer repeating themselves', async () => {
    const phone = '+14155550601';
    await identify('ana', { first_name: 'Ana', phone, email: 'ana@example.com', timezone: zoneAtLocalHour(12) });

    // 1. In the app's chat: the returns agent learns the order and asks only what it does not know.
    const posted = await ok<{ postInAppMessage: { conversationMessageId: string; duplicate: boolean } }>(POST_IN_APP, { userId: 'ana', body: 'Hi, I want to return my order #4417', id: 'chat-1' });
    expect(posted.postInAppMessage).toEqual({ conversationMessageId: toGlobalId('ConversationMessage', 'in_app:chat-1'), duplicate: false, userErrors: [] });
    const again = await ok<{ postInAppMessage: { duplicate: boolean } }>(POST_IN_APP, { userId: 'ana', body: 'Hi, I want to return my order #4417', id: 'chat-1' });
    expect(again.postInAppMessage.duplicate).toBe(true);
    const [first] = await repliesOf('ana', 1);
    expect(first).toMatchObject({ author: 'bot:returns', channel: 'IN_APP', status: 'SENT' });
    expect(first!.body).toContain('order 4417');
    expect(first!.body).toMatch(/reason/i);
    const inbox = await ok<{ inbox: { edges: Array<{ node: { body: string } }> } }>(`query { inbox(userId: "ana") { edges { node { body } } } }`);
    expect(inbox.inbox.edges.map((edge) => edge.node.body)).toContain(first!.body);

    // 2. By email (an Inbound Parse reply, quoting our message): the reason; the order is not asked again.
    expect((await inboundEmail({ from: 'ana@example.com', text: 'x' }, 'wrong')).status).toBe(403);
    const noSender = await inboundEmail({ subject: 'Hello', text: 'x' });
    expect(noSender.status).toBe(400);
    expect(await noSender.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
    const email = await inboundEmail({
      from: 'Ana Lima <Ana@Example.com>',
      to: 'support@continuum.test',
      subject: 'Re: my return',
      text: `The shoes are too small.\n\nOn Mon, 23 Nov 2026 at 10:00, Support <support@continuum.test> wrote:\n> ${first!.body}`,
      headers: 'Message-ID: <reply-1@example.com>\nIn-Reply-To: <x@continuum.test>',
    });
    expect(email.status).toBe(200);
    expect(await email.json()).toMatchObject({ messageId: 'sendgrid:<reply-1@example.com>', customerId: 'ana', created: false, duplicate: false });
    const [, second] = await repliesOf('ana', 2);
    expect(second).toMatchObject({ author: 'bot:returns', channel: 'EMAIL', status: 'SENT' });
    expect(second!.body).toContain('order 4417');
    expect(second!.body).toContain('too small');
    const mail = await eventually(async () => emulator.emails().find((each) => each.personalizations[0]?.to[0]?.email === 'ana@example.com'), 'the email reply');
    expect(mail.subject ?? mail.personalizations[0]?.subject).toBe('Re: my return');
    expect(mail.content.map((part) => part.value).join(' ')).toContain('order 4417');

    // 3. By SMS: she asks for a person; the topic is queued for a person and she is told so.
    await sms(phone, 'Can I talk to a person please?');
    const queued = await eventually(async () => {
      return (await queue('QUEUED')).find((topic) => topic.facts['orderId'] === '4417');
    }, 'the topic in the agent queue');
    expect(queued).toMatchObject({ status: 'HUMAN', intent: 'RETURNS', channel: 'SMS', escalationReason: 'ASKED_FOR_PERSON', escalationKeyword: null });
    expect(queued.facts).toMatchObject({ orderId: '4417', reason: 'The shoes are too small.' });
    const acknowledged = await eventually(async () => smsTo(phone).find((message) => /member of our team/.test(message.body)), 'the handover SMS');
    expect(acknowledged.body).toMatch(/won't need to repeat/);

    // 4. A person claims it (only one can), reads everything on every channel, and replies by SMS.
    const claimed = await ok<{ claimTopic: { topic: Topic } }>(CLAIM, { topicId: queued.id, agent: 'maria' });
    expect(claimed.claimTopic.topic).toMatchObject({ assignedAgent: 'maria', status: 'HUMAN' });
    const stolen = await ok<{ claimTopic: { userErrors: UserError[] } }>(CLAIM, { topicId: queued.id, agent: 'joao' });
    expect(stolen.claimTopic.userErrors).toMatchObject([{ code: 'CONFLICT', field: ['input', 'topicId'] }]);
    const notHolder = await ok<{ replyToTopic: { userErrors: UserError[] } }>(REPLY, { topicId: queued.id, agent: 'joao', body: 'Hello' });
    expect(notHolder.replyToTopic.userErrors).toMatchObject([{ code: 'FAILED_PRECONDITION', field: ['input', 'topicId'] }]);
    const history = (await conversation('ana')).messages;
    expect(history.filter((message) => message.direction === 'IN').map((message) => [message.channel, message.body.split('\n')[0]])).toEqual([
      ['IN_APP', 'Hi, I want to return my order #4417'],
      ['EMAIL', 'The shoes are too small.'],
      ['SMS', 'Can I talk to a person please?'],
    ]);
    expect(history.every((message) => message.topic?.id === queued.id)).toBe(true);
    const replied = await ok<{ replyToTopic: { message: { id: string; channel: string; status: string } } }>(REPLY, {
      topicId: queued.id,
      agent: 'maria',
      body: "Hi Ana, I'm Maria. I see the return of order 4417 (too small): I've added a free exchange label too.",
    });
    expect(replied.replyToTopic.message).toMatchObject({ channel: 'SMS', status: 'PENDING' });
    await eventually(async () => smsTo(phone).find((message) => message.body.startsWith("Hi Ana, I'm Maria")), "the person's SMS");
    const sentReply = await eventually(async () => (await conversation('ana')).messages.find((message) => message.id === replied.replyToTopic.message.id && message.status === 'SENT'), 'the reply recorded as sent');
    expect(sentReply).toMatchObject({ author: 'human:maria', channel: 'SMS' });

    // 5. Back to automation: the returns agent answers the next question with everything learnt before.
    const handedBack = await ok<{ handBackTopic: { topic: Topic } }>(HAND_BACK, { topicId: queued.id, agent: 'maria' });
    expect(handedBack.handBackTopic.topic.status).toBe('AUTOMATED');
    await sms(phone, 'When do I get my refund?');
    const refund = await eventually(async () => smsTo(phone).find((message) => /refund for order 4417/.test(message.body)), 'the refund answer');
    expect(refund.body).toContain('too small');

    // 6. Thanks: the agent resolves the topic, without a person at the end.
    await sms(phone, 'Thanks!');
    const resolved = await eventually(async () => (await conversation('ana')).topics.find((topic) => topic.id === queued.id && topic.status === 'RESOLVED'), 'the resolved topic');
    expect(resolved.resolvedBy).toBe('bot:returns');
  });

  it('answers from a knowledge-base entry saved through GraphQL while the worker runs, without a restart', async () => {
    await identify('kb-eva', { first_name: 'Eva', timezone: zoneAtLocalHour(12) });
    await ok(POST_IN_APP, { userId: 'kb-eva', body: 'Do you ship to the Azores?', id: 'kb-1' });
    const [before] = await repliesOf('kb-eva', 1);
    expect(before!.body).not.toContain('Azores in 5 business days');

    const answer = 'Yes: orders reach the Azores in 5 business days, at no extra cost.';
    const saved = await ok<{ saveKnowledgeBaseEntry: { knowledgeBaseEntry: { id: string } | null; userErrors: UserError[] } }>(
      `mutation($input: SaveKnowledgeBaseEntryInput!) { saveKnowledgeBaseEntry(input: $input) { knowledgeBaseEntry { id } ${USER_ERRORS} } }`,
      { input: { locale: 'en', questions: ['do you deliver to the azores', 'can you ship to the azores islands', 'is shipping to the azores available'], answer } },
    );
    expect(saved.saveKnowledgeBaseEntry.userErrors).toEqual([]);
    // Past the worker's check interval: its next message reads the new version.
    await new Promise((resolve) => setTimeout(resolve, 600));

    await ok(POST_IN_APP, { userId: 'kb-eva', body: 'Can you ship to the Azores islands?', id: 'kb-2' });
    const [, after] = await repliesOf('kb-eva', 2);
    expect(after!.body).toContain(answer);
  });

  it('creates a profile for an unknown address, and routes a reply YES to the journey instance whose SMS it answers', async () => {
    const phone = '+14155550602';
    await identify('bea', { first_name: 'Bea', phone, timezone: zoneAtLocalHour(12) });
    const book = (id: string, startsAt: string) =>
      ok(`mutation($props: JSONObject!) { track(input: { userId: "bea", event: "Appointment Booked", properties: $props }) { duplicate } }`, {
        props: { appointment_id: id, starts_at: startsAt },
      });
    await book('apt-1', 'Monday 10:00');
    await eventually(async () => smsTo(phone).find((message) => message.body.includes('Monday 10:00')), 'the first confirmation request');
    await book('apt-2', 'Tuesday 15:00');
    await eventually(async () => smsTo(phone).find((message) => message.body.includes('Tuesday 15:00')), 'the second confirmation request');
    // The emulator holds the SMS as soon as Twilio's API accepted it; a phone has it only after the
    // send was recorded (what the gateway correlates a reply with), so the customer answers then.
    await eventually(async () => {
      const rows: Array<{ status: string }> = await gw.dataSource.query(`SELECT status FROM messages WHERE instance_id = $1`, ['journey/appointment-confirmation/bea/apt-2']);
      return rows.some((row) => row.status !== 'pending') || undefined;
    }, 'the second request recorded as sent');

    await sms(phone, 'YES');
    const confirmed = await eventually(async () => smsTo(phone).find((message) => message.body.startsWith('Thanks, your appointment')), 'the confirmation');
    // The reply answered the most recent request: Tuesday's appointment, not Monday's.
    expect(confirmed.body).toContain('Tuesday 15:00');
    const monday = gw.temporal.workflow.getHandle('journey/appointment-confirmation/bea/apt-1');
    const tuesday = gw.temporal.workflow.getHandle('journey/appointment-confirmation/bea/apt-2');
    expect(await tuesday.result()).toMatchObject({ status: 'completed' });
    expect((await monday.describe()).status.name).toBe('RUNNING');
    const history = (await conversation('bea')).messages;
    expect(history.find((message) => message.body === 'YES')).toMatchObject({ journeyInstance: 'journey/appointment-confirmation/bea/apt-2', topic: null });
    // No agent answered it: the journey did.
    expect(history.filter((message) => message.direction === 'OUT')).toEqual([]);
    // A later question answers the thank-you of an instance that has ended: the conversation takes it.
    await sms(phone, 'Is there parking nearby?');
    const answered = await eventually(async () => (await conversation('bea')).messages.find((message) => message.direction === 'OUT'), 'an answer to the question');
    expect(answered).toMatchObject({ author: 'bot:support', channel: 'SMS', status: 'SENT' });
    expect((await conversation('bea')).messages.find((message) => message.body === 'Is there parking nearby?')).toMatchObject({ journeyInstance: null });

    // Someone new writes: they get a profile of their own, with the number as its identity, and an answer.
    await sms('+14155550699', 'hello');
    const stranger = await eventually(async () => {
      const messages = (await conversation('+14155550699')).messages;
      return messages.some((message) => message.direction === 'OUT') ? messages : undefined;
    }, 'an answer to the stranger');
    expect(stranger.find((message) => message.direction === 'OUT')).toMatchObject({ author: 'bot:support', channel: 'SMS', status: 'SENT' });
    expect(smsTo('+14155550699').map((message) => message.body)).toEqual(['Hi! How can I help you today?']);
  });

  it('escalates on each rule: not understood twice, a keyword, a VIP, and tells an agents console live', async () => {
    // An agents' console: every conversation change of the workspace, by subscription.
    const updates: Array<{
      kind: string;
      userId: string;
      topic: { status: string; escalationReason: string | null } | null;
      message: { direction: string; channel: string; body: string } | null;
    }> = [];
    const console_ = createClient({ url: `${gw.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': gw.apiKey }, retryAttempts: 0 });
    const hub = gw.app.get(ConversationUpdates);
    const unsubscribe = console_.subscribe<{ conversationUpdates: (typeof updates)[number] }>(
      { query: 'subscription { conversationUpdates { cursor kind userId topic { status escalationReason } message { direction channel body } } }' },
      { next: (result) => void (result.data && updates.push(result.data.conversationUpdates)), error: () => undefined, complete: () => undefined },
    );
    await eventually(async () => (hub.subscriberCount > 0 ? true : undefined), 'the console subscription');
    await identify('caio', { phone: '+14155550603', timezone: zoneAtLocalHour(12) });
    await sms('+14155550603', 'blorp');
    await eventually(async () => smsTo('+14155550603').find((message) => message.body.startsWith("Sorry, I didn't catch that")), 'the first not-understood answer');
    await sms('+14155550603', 'zzz qqq');
    const caio = await eventually(async () => (await conversation('caio')).topics.find((topic) => topic.status === 'HUMAN'), "caio's escalation");
    expect(caio.escalationReason).toBe('NOT_UNDERSTOOD_TWICE');

    await identify('dora', { phone: '+14155550604', timezone: zoneAtLocalHour(12) });
    await sms('+14155550604', 'This is unacceptable, I am calling my lawyer about my delivery');
    const dora = await eventually(async () => (await conversation('dora')).topics.find((topic) => topic.status === 'HUMAN'), "dora's escalation");
    expect(dora).toMatchObject({ escalationReason: 'KEYWORD', escalationKeyword: 'lawyer' });

    await identify('eva', { phone: '+14155550605', vip: true, timezone: zoneAtLocalHour(12) });
    await sms('+14155550605', 'How much is the premium plan?');
    const eva = await eventually(async () => (await conversation('eva')).topics.find((topic) => topic.status === 'HUMAN'), "eva's escalation");
    expect(eva).toMatchObject({ escalationReason: 'VIP', intent: 'SALES' });
    const reasons = (await queue('QUEUED')).map((topic) => topic.escalationReason);
    expect(reasons).toEqual(expect.arrayContaining(['NOT_UNDERSTOOD_TWICE', 'KEYWORD', 'VIP']));
    const METRICS = `query($from: DateTime!, $to: DateTime!, $within: Int!) { conversationMetrics(from: $from, to: $to, withinDays: $within) {
      topicsOpened escalation { topics rate byReason { reason keyword topics } } automation { resolvedTopics withoutPerson share target meetsTarget } } }`;
    const range = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString(), within: 7 };
    const metrics = (await ok<{ conversationMetrics: { topicsOpened: number; escalation: { topics: number; rate: number; byReason: Array<{ reason: string; keyword: string | null; topics: number }> }; automation: { target: number } } }>(METRICS, range)).conversationMetrics;
    expect(metrics.escalation.byReason.map((row) => row.reason)).toEqual(expect.arrayContaining(['ASKED_FOR_PERSON', 'NOT_UNDERSTOOD_TWICE', 'KEYWORD', 'VIP']));
    expect(metrics.escalation.byReason).toContainEqual({ reason: 'KEYWORD', keyword: 'lawyer', topics: 1 });
    expect(metrics.escalation.rate).toBeCloseTo(metrics.escalation.topics / metrics.topicsOpened, 4);
    expect(metrics.automation.target).toBe(0.8);
    expect((await graphql(METRICS, { ...range, within: 0 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await graphql(METRICS, { ...range, to: range.from })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The console saw each customer's message come in and each topic go to a person.
    for (const [userId, reason] of [['caio', 'NOT_UNDERSTOOD_TWICE'], ['dora', 'KEYWORD'], ['eva', 'VIP']]) {
      await eventually(async () => updates.find((update) => update.userId === userId && update.kind === 'TOPIC' && update.topic?.escalationReason === reason) ?? undefined, `the live escalation of ${userId}`);
      expect(updates.some((update) => update.userId === userId && update.kind === 'MESSAGE')).toBe(true);
    }
    // A MESSAGE update carries the message itself.
    expect(updates.find((update) => update.userId === 'dora' && update.kind === 'MESSAGE' && update.message?.direction === 'IN')?.message).toEqual({
      direction: 'IN',
      channel: 'SMS',
      body: 'This is unacceptable, I am calling my lawyer about my delivery',
    });
    expect(updates.filter((update) => update.kind === 'TOPIC').every((update) => update.message === null)).toBe(true);
    unsubscribe();
    await console_.dispose();
    // No agent journey answered after the handover: the last SMS each got is the acknowledgement.
    for (const phone of ['+14155550603', '+14155550604', '+14155550605']) {
      await eventually(async () => smsTo(phone).at(-1)?.body.includes('member of our team') || undefined, `the handover SMS to ${phone}`);
    }
  });

  it('answers a customer who said thanks and wrote again at once, while the agent was ending (several customers at a time)', async () => {
    const customers = ['hal', 'ida', 'jon', 'kim', 'lia', 'max'];
    const post = (userId: string, body: string, id: string) => ok(POST_IN_APP, { userId, body, id: `${userId}-${id}` });
    await Promise.all(customers.map(async (userId) => {
      await post(userId, 'I forgot my password', '1');
      await repliesOf(userId, 1);
    }));
    // "thank you" resolves the topic and ends the agent; the next message comes before it has ended.
    await Promise.all(customers.map(async (userId) => {
      await post(userId, 'thank you', '2');
      await post(userId, 'where is my order?', '3');
    }));
    for (const userId of customers) {
      const replies = await repliesOf(userId, 3);
      expect(replies.map((reply) => reply.body)).toEqual([
        expect.stringMatching(/reset your password/),
        "You're welcome! Glad I could help.",
        "Let me check your delivery. What's the order number?",
      ]);
    }
  });

  it("holds a person's reply during the customer's quiet hours, and does not send it without consent", async () => {
    // Fay is at 02:00 local time: the reply waits for 08:00.
    await identify('fay', { phone: '+14155550606', timezone: zoneAtLocalHour(2) });
    await sms('+14155550606', 'I want to talk to a human');
    const fay = await eventually(async () => (await conversation('fay')).topics.find((topic) => topic.status === 'HUMAN'), "fay's escalation");
    await ok(CLAIM, { topicId: fay.id, agent: 'maria' });
    const held = await ok<{ replyToTopic: { message: { id: string } } }>(REPLY, { topicId: fay.id, agent: 'maria', body: 'Hi Fay, Maria here.' });
    const held_ = await eventually(async () => {
      const rows: Array<{ detail: { until?: string; timeZone?: string } }> = await gw.dataSource.query(
        `SELECT detail FROM journal_entries WHERE instance_id = $1 AND type = 'send.held'`,
        [`journey/human-handoff/fay/${localTopicId(fay.id)}`],
      );
      return rows[0];
    }, 'the reply held for quiet hours');
    // Held until 08:00 in her zone, some six hours from now.
    const until = Date.parse(held_.detail.until!);
    expect(until - Date.now()).toBeGreaterThan(5 * 3_600_000);
    expect(until - Date.now()).toBeLessThan(7 * 3_600_000);
    expect(smsTo('+14155550606').some((message) => message.body === 'Hi Fay, Maria here.')).toBe(false);
    expect((await conversation('fay')).messages.find((message) => message.id === held.replyToTopic.message.id)).toMatchObject({ status: 'PENDING' });

    // Gus texted STOP: a person's reply is not sent on a channel he left.
    await identify('gus', { phone: '+14155550607', timezone: zoneAtLocalHour(12) });
    await sms('+14155550607', 'I need to speak to an agent');
    const gus = await eventually(async () => (await conversation('gus')).topics.find((topic) => topic.status === 'HUMAN'), "gus's escalation");
    await eventually(async () => smsTo('+14155550607').find((message) => /member of our team/.test(message.body)), 'the handover SMS to gus');
    await sms('+14155550607', 'STOP');
    await ok(CLAIM, { topicId: gus.id, agent: 'joao' });
    const refused = await ok<{ replyToTopic: { message: { id: string } } }>(REPLY, { topicId: gus.id, agent: 'joao', body: 'Hi Gus, can I help?' });
    const skipped = await eventually(
      async () => (await conversation('gus')).messages.find((message) => message.id === refused.replyToTopic.message.id && message.status === 'SKIPPED'),
      'the skipped reply',
    );
    expect(skipped.reason).toMatch(/consent|unsubscribed/i);
    expect(smsTo('+14155550607').some((message) => message.body === 'Hi Gus, can I help?')).toBe(false);
    // The STOP itself was recorded, and answered by nobody.
    expect((await conversation('gus')).messages.find((message) => message.body === 'STOP')).toMatchObject({ topic: null, direction: 'IN' });
    const closed = await ok<{ resolveTopic: { topic: Topic } }>(RESOLVE, { topicId: gus.id, agent: 'joao' });
    expect(closed.resolveTopic.topic).toMatchObject({ status: 'RESOLVED', resolvedBy: 'human:joao' });
  });

  it("resumes a customer's conversationUpdates after a forced disconnect with each message of the gap once, in order, with the message", async () => {
    const store = new ConversationStore(gw.dataSource);
    const topicId = randomUUID();
    const at = () => new Date().toISOString();
    const message = (body: string) => ({
      id: randomUUID(),
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: 'conv-resume',
      topicId,
      direction: 'in' as const,
      author: 'customer',
      channel: 'sms' as const,
      body,
      at: at(),
    });
    type Update = { cursor: string; kind: string; message: { body: string } | null };
    let socket: WebSocket | undefined;
    class CapturedWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        socket = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the test drops this very socket
      }
    }
    const hub = gw.app.get(ConversationUpdates);
    const follow = async (after?: string) => {
      const received: Update[] = [];
      const client = createClient({ url: `${gw.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: CapturedWebSocket, connectionParams: { 'x-api-key': gw.apiKey }, retryAttempts: 0 });
      const before = hub.subscriberCount;
      client.subscribe<{ conversationUpdates: Update }>(
        { query: 'subscription($after: String) { conversationUpdates(userId: "conv-resume", after: $after) { cursor kind message { body } } }', variables: { after } },
        { next: (result) => void (result.data && received.push(result.data.conversationUpdates)), error: () => undefined, complete: () => undefined },
      );
      await eventually(async () => (hub.subscriberCount > before ? true : undefined), 'the subscription');
      return { received, client, socket: socket! };
    };

    const first = await follow();
    await store.record({
      topics: [{ id: topicId, workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'conv-resume', intent: 'support', status: 'automated', channel: 'sms', openedAt: at(), lastMessageAt: at(), reopened: 0, facts: {} }],
      messages: [message('m1')],
    });
    await eventually(async () => (first.received.length === 2 ? true : undefined), 'the topic and the first message');
    expect(first.received.map((update) => [update.kind, update.message?.body ?? null])).toEqual([
      ['TOPIC', null],
      ['MESSAGE', 'm1'],
    ]);
    const open = hub.subscriberCount;
    first.socket.terminate();
    await eventually(async () => (hub.subscriberCount === open - 1 ? true : undefined), 'the gateway to notice the dropped connection');

    await store.record({ messages: [message('m2'), message('m3')] }); // the gap
    const second = await follow(first.received.at(-1)!.cursor);
    await store.record({ messages: [message('m4')] }); // live
    await eventually(async () => (second.received.length >= 3 ? true : undefined), 'the gap and the live message');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.received.map((update) => [update.kind, update.message?.body])).toEqual([
      ['MESSAGE', 'm2'],
      ['MESSAGE', 'm3'],
      ['MESSAGE', 'm4'],
    ]);
    await Promise.all([first.client.dispose(), second.client.dispose()]);
  });
});
