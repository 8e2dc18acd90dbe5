import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONVERSATION_WORKFLOW,
  conversationStateQuery,
  conversationWorkflowId,
  handBackTopicUpdate,
  inboundMessageSignal,
  replyToTopicUpdate,
  resolveTopicUpdate,
  type ConversationState,
  type InboundMessage,
  type TopicState,
} from '@continuum/contracts';
import { CLI_ACTOR, ConversationStore, DEFAULT_WORKSPACE_ID, MessagingPolicyStore, WorkspaceStore } from '@continuum/data';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';

// Recorded conversation histories (`RECORD_HISTORIES=1`), replayed by replay.test.ts.
const HISTORIES = join(__dirname, '..', 'histories');

async function eventually<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

// The conversation workflow on its own client (no gateway): the agent journeys, the handoff and the
// worker's real activities, on time-skipping Temporal, PostgreSQL and the Twilio emulator.
describe('a conversation (workflow, agents, a person)', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit();
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('opens a topic, escalates on a keyword, takes a person’s reply, is handed back, resolved and reopened, and escalates when not understood twice', async () => {
    const customer = 'conversation-one';
    const phone = '+14155550761';
    await kit.identify(customer, { phone });
    const workflowId = conversationWorkflowId(customer);
    let n = 0;
    const message = (body: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
      messageId: `test:${customer}:${++n}`,
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: customer,
      channel: 'sms',
      body,
      at: new Date().toISOString(),
      ...extra,
    });
    let handle: WorkflowHandle | undefined;
    const send = async (inbound: InboundMessage) => {
      if (!handle) {
        handle = await kit.bed.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
          workflowId,
          taskQueue: kit.bed.taskQueue,
          args: [{ workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, customerRef: customer }],
          signal: inboundMessageSignal,
          signalArgs: [inbound],
        });
      } else await handle.signal(inboundMessageSignal, inbound);
    };
    const state = () => handle!.query(conversationStateQuery);
    const until = (what: string, holds: (state: ConversationState) => TopicState | undefined) =>
      eventually(async () => holds(await state()), what);
    const outs = (topic: TopicState) => topic.history.filter((each) => each.direction === 'out');

    await kit.run(async () => {
      await send(message('I want to return order #4417'));
      let returns = await until('the returns agent asks why', (s) => s.topics.find((t) => t.intent === 'returns' && outs(t).length >= 1));
      expect(returns.facts).toMatchObject({ orderId: '4417' });
      expect(outs(returns)[0]!.body).toMatch(/reason for the return/);

      // A repeated message is ignored; a consent keyword belongs to no topic.
      const reason = message('Too small');
      await send(reason);
      await send({ ...reason });
      await send(message('HELP', { keyword: 'HELP' }));
      returns = await until('the return is started', (s) => s.topics.find((t) => t.id === returns.id && t.facts['returnStatus'] === 'label-sent'));
      expect((await state()).messagesSeen).toBe(3);

      await send(message('this is a complaint, I will call my lawyer'));
      returns = await until('a person takes the topic', (s) => s.topics.find((t) => t.id === returns.id && t.status === 'human'));
      expect(returns.escalation?.reason).toMatch(/^keyword:/);

      const reply = await handle!.executeUpdate(replyToTopicUpdate, { args: [{ topicId: returns.id, agent: 'ana', body: 'Hi, Ana here. I will sort this out.' }] });
      expect(reply).toMatchObject({ channel: 'sms' });
      await eventually(async () => (kit.messagesTo(phone).some((m) => m.body.includes('Ana here')) ? true : undefined), 'the person’s reply sent');
      const handedBack = await handle!.executeUpdate(handBackTopicUpdate, { args: [{ topicId: returns.id, agent: 'ana' }] });
      expect(handedBack.status).toBe('automated');

      // Back with an agent (a new instance), which knows what the topic learnt.
      await send(message('when is my refund?'));
      await eventually(async () => (kit.messagesTo(phone).some((m) => /refund for order 4417/.test(m.body)) ? true : undefined), 'the refund answer');
      await send(message('thanks!'));
      returns = await until('the agent resolves the topic', (s) => s.topics.find((t) => t.id === returns.id && t.status === 'resolved'));
      expect(returns.resolvedBy).toBe('bot:returns');
      const again = await handle!.executeUpdate(resolveTopicUpdate, { args: [{ topicId: returns.id, by: 'ana' }] });
      expect(again.resolvedBy).toBe('bot:returns');

      // A return question after it was resolved reopens it.
      await send(message('I want to return another one'));
      returns = await until('the topic reopens', (s) => s.topics.find((t) => t.id === returns.id && t.reopened === 1 && t.status === 'automated'));

      // Something else: a support topic, whose agent does not understand twice.
      await send(message('my delivery is late'));
      const support = await until('a support topic answers', (s) => s.topics.find((t) => t.intent === 'support' && outs(t).length >= 1));
      await send(message('blorp'));
      await until('the agent did not understand', (s) => s.topics.find((t) => t.id === support.id && t.notUnderstood === 1));
      await send(message('zzxq'));
      const escalated = await until('a person takes the support topic', (s) => s.topics.find((t) => t.id === support.id && t.status === 'human'));
      expect(escalated.escalation?.reason).toBe('not-understood-twice');
      const resolved = await handle!.executeUpdate(resolveTopicUpdate, { args: [{ topicId: support.id, by: 'ana' }] });
      expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'ana' });
      await expect(handle!.executeUpdate(replyToTopicUpdate, { args: [{ topicId: support.id, agent: 'ana', body: 'late' }] })).rejects.toThrow();

      if (process.env['RECORD_HISTORIES'] === '1') {
        const { History } = temporal.api.history.v1;
        mkdirSync(HISTORIES, { recursive: true });
        writeFileSync(join(HISTORIES, 'conversation-return-person-reopen.history.pb'), History.encode(History.fromObject(await handle!.fetchHistory())).finish());
      }
    });
  });

  it('answers in the language the customer writes in (pt-BR, es), the handover notice too', async () => {
    const customer = 'conversation-languages';
    const phone = '+14155550762';
    await kit.identify(customer, { phone });
    let n = 0;
    const message = (body: string): InboundMessage => ({
      messageId: `test:${customer}:${++n}`,
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: customer,
      channel: 'sms',
      body,
      at: new Date().toISOString(),
    });
    const workflowId = conversationWorkflowId(customer);
    const texts = () => kit.messagesTo(phone).map((m) => m.body);
    const sent = (what: string, holds: (body: string) => boolean) => eventually(async () => texts().find(holds), what);
    await kit.run(async () => {
      const handle = await kit.bed.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
        workflowId,
        taskQueue: kit.bed.taskQueue,
        args: [{ workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, customerRef: customer }],
        signal: inboundMessageSignal,
        signalArgs: [message('Quero devolver o pedido #5120, como faço?')],
      });
      expect(await sent('the reason asked in Portuguese', (body) => body.includes('pedido 5120'))).toMatch(/Qual é o motivo da devolução/);
      await handle.signal(inboundMessageSignal, message('o tênis ficou muito apertado'));
      expect(await sent('the return started in Portuguese', (body) => body.startsWith('Obrigado. A devolução'))).toContain('motivo: o tênis ficou muito apertado');
      // The same customer asks something else in Spanish: a new topic, answered in Spanish, which knows
      // the order number they gave minutes ago (never asked for again; a new number would replace it).
      await handle.signal(inboundMessageSignal, message('mi pedido llega tarde, todavía no ha llegado'));
      expect(await sent('a delivery answer in Spanish', (body) => body.startsWith('El pedido 5120'))).toBe(
        'El pedido 5120 está en camino; recibirás las actualizaciones de seguimiento por mensaje.',
      );
      // Back to Portuguese to ask for a person: the notice is in the language of that message.
      await handle.signal(inboundMessageSignal, message('quero falar com um atendente'));
      expect(await sent('the handover in Portuguese', (body) => body.startsWith('Claro.'))).toBe(
        'Claro. Vou passar você agora para alguém da nossa equipe. A pessoa vê toda a nossa conversa, então você não vai precisar repetir nada.',
      );
      expect(texts().some((body) => /What's the|Got it|passing you/.test(body))).toBe(false);
    });
  });

  it("answers and hands over in the workspace's voice for the customer's country (formal, signed off, no emoji)", async () => {
    const workspaceId = (await new WorkspaceStore(kit.bed.dataSource).createWorkspace('conversation-voice', 'Loja Brasil')).id;
    await new MessagingPolicyStore(kit.bed.dataSource).save(
      workspaceId,
      { voice: { address: 'informal', signOff: 'Loja 🛍️' }, countries: { BR: { voice: { address: 'formal', signOff: 'Equipe Loja Brasil', emoji: false } } } },
      CLI_ACTOR,
    );
    const customer = 'conversation-voice';
    const phone = '+5511955550763';
    await kit.identify(customer, { phone, country: 'BR', locale: 'pt-BR' }, { workspaceId });
    let n = 0;
    const message = (body: string): InboundMessage => ({ messageId: `test:${customer}:${++n}`, workspaceId, customerId: customer, channel: 'sms', body, at: new Date().toISOString() });
    const texts = () => kit.messagesTo(phone).map((m) => m.body);
    const sent = (what: string, holds: (body: string) => boolean) =>
      eventually(async () => texts().find(holds), what).catch((error: Error) => Promise.reject(new Error(`${error.message}; sent: ${JSON.stringify(texts())}`)));
    await kit.run(async () => {
      const handle = await kit.bed.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
        workflowId: conversationWorkflowId(customer),
        taskQueue: kit.bed.taskQueue,
        args: [{ workspaceId, customerId: customer, customerRef: customer }],
        signal: inboundMessageSignal,
        signalArgs: [message('meu pedido está atrasado, ainda não chegou')],
      });
      expect(await sent('a delivery answer', (body) => body.startsWith('Vou verificar'))).toBe('Vou verificar a sua entrega. Qual é o número do pedido?\nEquipe Loja Brasil');
      await handle.signal(inboundMessageSignal, message('quero falar com um atendente'));
      expect(await sent('the handover', (body) => body.startsWith('Claro.'))).toBe(
        'Claro. Vou transferir o(a) senhor(a) agora para alguém da nossa equipe. A pessoa vê toda a nossa conversa, então o(a) senhor(a) não precisará repetir nada.\nEquipe Loja Brasil',
      );
      expect(texts().some((body) => /você|🛍️/.test(body))).toBe(false);
    });
  });

  it("records the purchase date on the customer's calendar, and hands a customer upset twice to a person", async () => {
    const customer = 'conversation-entities';
    const phone = '+14155550763';
    // Late on Wednesday 13 May in São Paulo, already Thursday in UTC: "yesterday" is Tuesday 12 May there.
    await kit.identify(customer, { phone, timezone: 'America/Sao_Paulo' });
    let n = 0;
    const message = (body: string): InboundMessage => ({
      messageId: `test:${customer}:${++n}`,
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: customer,
      channel: 'sms',
      body,
      at: new Date(Date.parse('2026-05-14T02:30:00Z') + n * 1_000).toISOString(),
    });
    await kit.run(async () => {
      const handle = await kit.bed.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
        workflowId: conversationWorkflowId(customer),
        taskQueue: kit.bed.taskQueue,
        args: [{ workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, customerRef: customer }],
        signal: inboundMessageSignal,
        signalArgs: [message('I want to return the shoes I bought yesterday, order #7788')],
      });
      const topicOf = (holds: (topic: TopicState) => boolean, what: string) => eventually(async () => (await handle.query(conversationStateQuery)).topics.find(holds), what);
      const returns = await topicOf((t) => t.intent === 'returns' && t.history.some((m) => m.direction === 'out'), 'the reason asked');
      expect(returns.facts).toMatchObject({ orderId: '7788', purchaseDate: '2026-05-12' });
      // Strongly negative once: the agent answers (here it takes it as the reason); twice: a person takes over.
      await handle.signal(inboundMessageSignal, message('These shoes are terrible, awful quality, the worst'));
      await topicOf((t) => t.id === returns.id && t.facts['upset'] === '1' && t.facts['returnStatus'] === 'label-sent', 'the return started');
      await handle.signal(inboundMessageSignal, message('Horrible, useless, I hate this'));
      const escalated = await topicOf((t) => t.id === returns.id && t.status === 'human', 'a person takes the topic');
      expect(escalated.escalation?.reason).toBe('upset');
      expect(await eventually(async () => kit.messagesTo(phone).find((m) => m.body.startsWith("I'm sorry this"))?.body, 'the handover notice')).toMatch(/passing you to a member of our team right away/);
      const [row] = await kit.bed.dataSource.query(`SELECT facts FROM conversation_topics WHERE id = $1`, [returns.id]);
      expect(row.facts).toMatchObject({ purchaseDate: '2026-05-12', upset: '2' });
    });
  });

  it('reuses what the customer told in another topic (no re-ask); asks again only for what is too old to reuse, counted as a re-ask', async () => {
    const customer = 'conversation-reask';
    const phone = '+14155550764';
    await kit.identify(customer, { phone });
    const start = await kit.now();
    let n = 0;
    const message = (body: string, afterDays = 0): InboundMessage => ({
      messageId: `test:${customer}:${++n}`,
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: customer,
      channel: n % 2 === 0 ? 'whatsapp' : 'sms',
      body,
      at: new Date(start + afterDays * 86_400_000 + n * 1_000).toISOString(),
    });
    const reasked = async () =>
      (await kit.bed.dataSource.query(`SELECT reason FROM conversation_topic_events WHERE customer_id = $1 AND type = 'reasked' ORDER BY at`, [customer])) as Array<{ reason: string }>;
    await kit.run(async () => {
      const handle = await kit.bed.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
        workflowId: conversationWorkflowId(customer),
        taskQueue: kit.bed.taskQueue,
        args: [{ workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, customerRef: customer }],
        signal: inboundMessageSignal,
        signalArgs: [message('where is my delivery? order #5150')],
      });
      const state = () => handle.query(conversationStateQuery);
      const topicOf = (holds: (topic: TopicState) => boolean, what: string) => eventually(async () => (await state()).topics.find(holds), what);
      const answered = (topic: TopicState, count: number) => topic.history.filter((m) => m.direction === 'out').length >= count;
      await topicOf((t) => t.intent === 'support' && answered(t, 1), 'the delivery answer');
      await handle.signal(inboundMessageSignal, message('thanks'));
      await topicOf((t) => t.intent === 'support' && t.status === 'resolved', 'the support topic resolved');
      // A return, on another channel: the new topic knows the order, so the agent asks only the reason.
      await handle.signal(inboundMessageSignal, message('I want to return it'));
      const returns = await topicOf((t) => t.intent === 'returns' && answered(t, 1), 'the returns agent answers');
      expect(returns.facts['orderId']).toBe('5150');
      expect(returns.history.find((m) => m.direction === 'out')?.body).toMatch(/^Got it, order 5150\. What's the reason/);
      // Shopping: the product is asked for (nobody gave it yet), then named.
      await handle.signal(inboundMessageSignal, message('I want to buy something'));
      await topicOf((t) => t.intent === 'sales' && answered(t, 1), 'the sales agent asks which product');
      await handle.signal(inboundMessageSignal, message('Trail runners'));
      await topicOf((t) => t.intent === 'sales' && t.facts['product'] === 'Trail runners' && answered(t, 2), 'the product chosen');
      await handle.signal(inboundMessageSignal, message('thanks'));
      await topicOf((t) => t.intent === 'sales' && t.status === 'resolved', 'the sales topic resolved');
      expect(await reasked()).toEqual([]);

      // Ten days later (past the 7-day window: the product may have changed), shopping again: asked anew, a re-ask.
      await handle.signal(inboundMessageSignal, message("I'd like to buy something", 10));
      await topicOf((t) => t.intent === 'sales' && t.status === 'automated' && answered(t, 1), 'a new sales topic asks which product');
      expect(await eventually(async () => ((await reasked()).length > 0 ? reasked() : undefined), 'the re-ask recorded')).toEqual([{ reason: 'product' }]);
      const metrics = await new ConversationStore(kit.bed.dataSource).metrics(DEFAULT_WORKSPACE_ID, { from: new Date(start - 86_400_000), to: new Date(start + 30 * 86_400_000), withinDays: 7 });
      expect(metrics.repeatedQuestions.reasked).toBe(1);
    });
  });
});

// The sales agent with the worker's stock lookup (CONVERSATION_STOCK_LOOKUP=product-stock) over a
// real warehouse database: it answers from the stock rows, in the customer's language, and never
// claims stock it was not told of.
describe('a conversation with a stock lookup', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ warehouse: true, settings: { CONVERSATION_STOCK_LOOKUP: 'product-stock' } });
    await kit.warehouse(`
      CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, keywords text[] NOT NULL DEFAULT '{}');
      CREATE TABLE product_stock (product_id int REFERENCES products, size text, available int, PRIMARY KEY (product_id, size));
      INSERT INTO products VALUES (1, 'Trail Runner', '{running shoes,tênis de corrida,zapatillas de running}'), (2, 'City Hoodie', '{hoodie,moletom,sudadera}');
      INSERT INTO product_stock VALUES (1, '41', 2), (1, '42', 3), (1, '43', 0), (2, 'M', 0), (2, 'L', 0);`);
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('answers whether a product is in stock in the size asked, then in the size given next, in the customer’s language', async () => {
    const customer = 'conversation-stock';
    const phone = '+14155550763';
    await kit.identify(customer, { phone });
    let n = 0;
    const message = (body: string): InboundMessage => ({
      messageId: `test:${customer}:${++n}`,
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: customer,
      channel: 'sms',
      body,
      at: new Date().toISOString(),
    });
    const texts = () => kit.messagesTo(phone).map((m) => m.body);
    const sent = (what: string, holds: (body: string) => boolean) => eventually(async () => texts().find(holds), what);
    await kit.run(async () => {
      const handle = await kit.bed.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
        workflowId: conversationWorkflowId(customer),
        taskQueue: kit.bed.taskQueue,
        args: [{ workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, customerRef: customer }],
        signal: inboundMessageSignal,
        signalArgs: [message('Do you have these running shoes in size 43?')],
      });
      expect(await sent('sold out in 43', (body) => body.includes('size 43'))).toBe('Trail Runner in size 43 is sold out right now; in stock: size 41 or 42.');
      // A size alone: the product is the open sales topic's (once the agent told the conversation what it learnt).
      await eventually(async () => ((await handle.query(conversationStateQuery)).topics.some((topic) => topic.facts['product'] === 'Trail Runner') ? true : undefined), 'the product learnt');
      await handle.signal(inboundMessageSignal, message('ok, size 42 then'));
      expect(await sent('in stock in 42', (body) => body.startsWith('Yes:'))).toBe('Yes: Trail Runner in size 42 is in stock (3 left). Use code WELCOME10 for 10% off at checkout today.');
      await handle.signal(inboundMessageSignal, message('vocês têm o moletom no tamanho M?'));
      expect(await sent('the hoodie sold out, in Portuguese', (body) => body.startsWith('City Hoodie'))).toBe('City Hoodie está esgotado em todos os tamanhos no momento.');
      const learnt = await eventually(async () => (await handle.query(conversationStateQuery)).topics.find((topic) => topic.intent === 'sales' && topic.facts['product'] === 'City Hoodie'), 'the hoodie learnt');
      expect(learnt.facts).toMatchObject({ product: 'City Hoodie', size: 'M' });
    });
  });
});

