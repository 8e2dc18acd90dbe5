import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationMessageRecord, MessageChannel, TopicEventRecord, TopicIntent, TopicRecord } from '@continuum/contracts';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { ConversationStore, DEFAULT_WORKSPACE_ID } from '../index';

const T0 = Date.parse('2026-10-01T00:00:00Z');
const day = (n: number, hour = 12) => new Date(T0 + n * 86_400_000 + hour * 3_600_000).toISOString();
const ids = { A: 'a0000000-0000-4000-8000-00000000000a', B: 'b0000000-0000-4000-8000-00000000000b', C: 'c0000000-0000-4000-8000-00000000000c', D: 'd0000000-0000-4000-8000-00000000000d', E: 'e0000000-0000-4000-8000-00000000000e', F: 'f0000000-0000-4000-8000-00000000000f', G: '00000000-0000-4000-8000-000000000001', H: '00000000-0000-4000-8000-000000000002', I: '00000000-0000-4000-8000-000000000003', J: '00000000-0000-4000-8000-000000000004', K: '00000000-0000-4000-8000-000000000005', L: '00000000-0000-4000-8000-000000000006', M: '00000000-0000-4000-8000-000000000007' };

/**
 * A scripted month of conversations (October 2026), with the metrics worked out by hand:
 * - c1: topic A (returns) in the app, asked twice; resolved by the bot on day 2; back by email on day 5
 *   (a recontact, and A reopened on another channel, asked a third time); resolved again on day 6.
 * - c2: topic B (support) by SMS, asked for a person, resolved by Maria on day 4.
 * - c3: topic C (sales) on WhatsApp, a VIP, resolved by a person on day 10; back by SMS on day 20
 *   (10 days later: not a recontact within 7), topic D, resolved by the bot.
 * - c4: topic E (returns) by SMS, resolved by the bot on day 12; back the next day (a recontact by
 *   SMS), topic F (support), escalated for the keyword "lawyer", still with a person.
 * - c5: only outside the month (day -5 and day 40).
 * - c6: topic H (returns) in the app, asked about twice (a follow-up, not a repeat), resolved by the bot
 *   on day 15; on day 20 (5 days later) a new returns topic I about the same need (a repeat, and a
 *   recontact in the app), resolved by the bot on day 21 and reopened on day 22 (still open: its
 *   resolution counts all the same).
 *
 * - c7: topic J (support) by SMS on day 8 gives order #5150, resolved by the bot; on day 9 a returns
 *   topic K on WhatsApp starts knowing the order (the conversation reuses it): no re-ask, and no repeat
 *   (another intent); a recontact on WhatsApp.
 * - c8: topic L (sales) in the app on day 2 names the product, resolved by the bot; on day 25 (23 days
 *   later, too old to reuse) a new sales topic M, whose agent asks which product: a re-ask (`reasked`).
 *
 * By hand (October, withinDays 7): 16 inbound messages from 7 customers; 12 topics opened.
 * recontact: 10 resolutions (A twice, B, C, D, E, H, I, J, L); c1 (email, day 5 after day 2), c4 (SMS,
 * day 13 after day 12), c6 (in-app, day 20 after day 15) and c7 (WhatsApp, day 9 after day 8) wrote
 * again within 7 days → 4 customers (c8 came back after 23 days).
 * repeatedQuestions: A's reopening (day 5), topic I (same intent as H, resolved 5 days before), I's
 * reopening (day 22) and M's re-ask (day 25) → 4 repeats in 3 topics, 1 of them reasked; the follow-ups
 * inside A and H are none, and K, which reused the order number, has none.
 * reopened: A (on another channel) and I → 2 topics, 1 on a different channel.
 * escalation: B, C, F of the 12 opened → 0.25.
 * automation: of the 10 resolutions (the same 10 as recontact's), by a bot without an escalation since
 * the topic's previous resolution: A (day 2), A (day 6), D, E, H, I, J, L → 8, share 0.8.
 */
describe('continuity metrics on a scripted population (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: ConversationStore;
  let seq = 0;
  const messages: ConversationMessageRecord[] = [];
  const topics: TopicRecord[] = [];
  const events: TopicEventRecord[] = [];

  const inbound = (customer: string, topicId: string | null, channel: MessageChannel, at: string, intent: string, body = 'hi') =>
    messages.push({ id: `m${++seq}`, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, topicId, direction: 'in', author: 'customer', channel, body, intent: intent as never, at });
  const reply = (customer: string, topicId: string, channel: MessageChannel, at: string, author: string) =>
    messages.push({ id: `m${++seq}`, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, topicId, direction: 'out', author, channel, body: 'answer', status: 'sent', at });
  const event = (customer: string, topicId: string, type: TopicEventRecord['type'], channel: MessageChannel, at: string, extra: Partial<TopicEventRecord> = {}) =>
    events.push({ id: `${topicId}:${++seq}`, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, topicId, type, channel, at, ...extra });
  const topic = (id: string, customer: string, intent: TopicIntent, channel: MessageChannel, opened: string, last: string, extra: Partial<TopicRecord> = {}) =>
    topics.push({ id, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, intent, status: 'resolved', channel, openedAt: opened, lastMessageAt: last, reopened: 0, facts: {}, ...extra });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new ConversationStore(db.dataSource);
    // c1
    inbound('c1', ids.A, 'in_app', day(1), 'returns', 'I want to return my order');
    reply('c1', ids.A, 'in_app', day(1, 13), 'bot:returns');
    inbound('c1', ids.A, 'in_app', day(1, 14), 'returns', 'return please');
    event('c1', ids.A, 'opened', 'in_app', day(1));
    event('c1', ids.A, 'resolved', 'in_app', day(2), { reason: 'bot:returns' });
    inbound('c1', ids.A, 'email', day(5), 'returns', 'my refund?');
    event('c1', ids.A, 'reopened', 'email', day(5), { previousChannel: 'in_app' });
    event('c1', ids.A, 'resolved', 'email', day(6), { reason: 'bot:returns' });
    topic(ids.A, 'c1', 'returns', 'email', day(1), day(5), { resolvedAt: day(6), resolvedBy: 'bot:returns', reopened: 1 });
    // c2
    inbound('c2', ids.B, 'sms', day(3), 'human');
    event('c2', ids.B, 'opened', 'sms', day(3));
    event('c2', ids.B, 'escalated', 'sms', day(3), { reason: 'asked-for-person' });
    event('c2', ids.B, 'resolved', 'sms', day(4), { reason: 'human:maria' });
    topic(ids.B, 'c2', 'support', 'sms', day(3), day(3), { resolvedAt: day(4), resolvedBy: 'human:maria', escalatedAt: day(3), escalationReason: 'asked-for-person' });
    // c3
    inbound('c3', ids.C, 'whatsapp', day(10), 'sales');
    event('c3', ids.C, 'resolved', 'whatsapp', day(10, 18), { reason: 'human:joao' });
    topic(ids.C, 'c3', 'sales', 'whatsapp', day(10), day(10), { resolvedAt: day(10, 18), resolvedBy: 'human:joao', escalatedAt: day(10), escalationReason: 'vip' });
    inbound('c3', ids.D, 'sms', day(20), 'support');
    event('c3', ids.D, 'resolved', 'sms', day(20, 13), { reason: 'bot:support' });
    topic(ids.D, 'c3', 'support', 'sms', day(20), day(20), { resolvedAt: day(20, 13), resolvedBy: 'bot:support' });
    // c4
    inbound('c4', ids.E, 'sms', day(12), 'returns');
    event('c4', ids.E, 'resolved', 'sms', day(12, 15), { reason: 'bot:returns' });
    topic(ids.E, 'c4', 'returns', 'sms', day(12), day(12), { resolvedAt: day(12, 15), resolvedBy: 'bot:returns' });
    inbound('c4', ids.F, 'sms', day(13), 'support', 'I am calling my lawyer');
    topic(ids.F, 'c4', 'support', 'sms', day(13), day(13), { status: 'human', escalatedAt: day(13), escalationReason: 'keyword:lawyer' });
    // c6
    inbound('c6', ids.H, 'in_app', day(15), 'returns', 'I want to return the boots');
    inbound('c6', ids.H, 'in_app', day(15, 13), 'returns', 'any update on my return?');
    event('c6', ids.H, 'opened', 'in_app', day(15));
    event('c6', ids.H, 'resolved', 'in_app', day(15, 18), { reason: 'bot:returns' });
    topic(ids.H, 'c6', 'returns', 'in_app', day(15), day(15, 13), { resolvedAt: day(15, 18), resolvedBy: 'bot:returns' });
    inbound('c6', ids.I, 'in_app', day(20), 'returns', 'I still need to return the boots');
    event('c6', ids.I, 'opened', 'in_app', day(20));
    event('c6', ids.I, 'resolved', 'in_app', day(21), { reason: 'bot:returns' });
    inbound('c6', ids.I, 'in_app', day(22), 'returns', 'the label does not work');
    event('c6', ids.I, 'reopened', 'in_app', day(22), { previousChannel: 'in_app' });
    topic(ids.I, 'c6', 'returns', 'in_app', day(20), day(22), { status: 'automated', reopened: 1 });
    // c7: the order given in one topic is reused by the next, never asked for again
    inbound('c7', ids.J, 'sms', day(8), 'support', 'where is order #5150?');
    event('c7', ids.J, 'opened', 'sms', day(8));
    event('c7', ids.J, 'resolved', 'sms', day(8, 15), { reason: 'bot:support' });
    topic(ids.J, 'c7', 'support', 'sms', day(8), day(8), { resolvedAt: day(8, 15), resolvedBy: 'bot:support', facts: { orderId: '5150' } });
    inbound('c7', ids.K, 'whatsapp', day(9), 'returns', 'I want to send it back');
    event('c7', ids.K, 'opened', 'whatsapp', day(9));
    topic(ids.K, 'c7', 'returns', 'whatsapp', day(9), day(9), { status: 'automated', facts: { orderId: '5150' } });
    // c8: the product named 23 days before is asked for again
    inbound('c8', ids.L, 'in_app', day(2), 'sales', 'do you have the trail runners?');
    event('c8', ids.L, 'opened', 'in_app', day(2));
    event('c8', ids.L, 'resolved', 'in_app', day(2, 14), { reason: 'bot:sales' });
    topic(ids.L, 'c8', 'sales', 'in_app', day(2), day(2), { resolvedAt: day(2, 14), resolvedBy: 'bot:sales', facts: { product: 'trail runners' } });
    inbound('c8', ids.M, 'in_app', day(25), 'sales', "I'd like to buy something");
    event('c8', ids.M, 'opened', 'in_app', day(25));
    event('c8', ids.M, 'reasked', 'in_app', day(25, 13), { reason: 'product' });
    topic(ids.M, 'c8', 'sales', 'in_app', day(25), day(25), { status: 'automated' });
    // c5, outside the month
    inbound('c5', null, 'sms', day(-5), 'unknown');
    inbound('c5', ids.G, 'sms', day(40), 'returns');
    event('c5', ids.G, 'resolved', 'sms', day(40, 13));
    topic(ids.G, 'c5', 'returns', 'sms', day(40), day(40), { resolvedAt: day(40, 13), resolvedBy: 'bot:returns', escalatedAt: day(40), escalationReason: 'vip' });
    await store.record({ topics, messages, events });
    // Written twice (an activity retried): the same rows, nothing counted twice.
    await store.record({ topics, messages, events });
  });

  afterAll(async () => {
    await db?.teardown();
  });

  it('equals the answer worked out by hand', async () => {
    const metrics = await store.metrics(DEFAULT_WORKSPACE_ID, { from: new Date(T0), to: new Date(day(30, 0)), withinDays: 7 });
    expect(metrics).toEqual({
      from: new Date(T0),
      to: new Date(day(30, 0)),
      withinDays: 7,
      inboundMessages: 16,
      customers: 7,
      topicsOpened: 12,
      recontact: {
        resolutions: 10,
        customers: 4,
        byChannel: [
          { channel: 'email', customers: 1 },
          { channel: 'in_app', customers: 1 },
          { channel: 'sms', customers: 1 },
          { channel: 'whatsapp', customers: 1 },
        ],
      },
      repeatedQuestions: { topics: 3, repeats: 4, reasked: 1 },
      reopened: { topics: 2, onDifferentChannel: 1 },
      escalation: { topics: 3, rate: 0.25, byReason: [{ reason: 'asked-for-person', topics: 1 }, { reason: 'keyword:lawyer', topics: 1 }, { reason: 'vip', topics: 1 }] },
      automation: { resolvedTopics: 10, withoutPerson: 8, share: 0.8, target: 0.8 },
    });
  });

  it('moves with the window: within 10 days c3 came back too', async () => {
    const metrics = await store.metrics(DEFAULT_WORKSPACE_ID, { from: new Date(T0), to: new Date(day(30, 0)), withinDays: 10 });
    expect(metrics.recontact).toEqual({
      resolutions: 10,
      customers: 5,
      byChannel: [
        { channel: 'sms', customers: 2 },
        { channel: 'email', customers: 1 },
        { channel: 'in_app', customers: 1 },
        { channel: 'whatsapp', customers: 1 },
      ],
    });
  });

  it("pages a customer's history and a topic's messages by keyset both ways, counts them, and finds rows by id in one workspace", async () => {
    const history = messages.filter((message) => message.customerId === 'c1').map((message) => message.id);
    const walk = async (filter: { customerId: string } | { topicId: string }, backward: boolean) => {
      const seen: string[] = [];
      let cursor: { at: string; id: string } | undefined;
      for (;;) {
        const rows = await store.messagesPage(DEFAULT_WORKSPACE_ID, filter, { limit: 2, backward, ...(cursor ? (backward ? { before: cursor } : { after: cursor }) : {}) });
        const page = rows.slice(0, 2);
        seen.push(...page.map((row) => row.row.id));
        if (rows.length <= 2) return backward ? seen.reverse() : seen;
        cursor = page.at(-1)!.position;
      }
    };
    expect(await walk({ customerId: 'c1' }, false)).toEqual(history);
    expect(await walk({ customerId: 'c1' }, true)).toEqual(history);
    expect(await store.countMessages(DEFAULT_WORKSPACE_ID, { customerId: 'c1' })).toBe(history.length);
    expect(await walk({ topicId: ids.A }, false)).toEqual(history);
    // A topic id that cannot exist pages nothing, without a query error.
    expect(await store.messagesPage(DEFAULT_WORKSPACE_ID, { topicId: 'not-a-uuid' }, { limit: 5 })).toEqual([]);
    expect(await store.countMessages(DEFAULT_WORKSPACE_ID, { topicId: 'not-a-uuid' })).toBe(0);

    const newestFirst = (await store.topicsPage(DEFAULT_WORKSPACE_ID, 'c3', { limit: 5 })).map((row) => row.row.id);
    expect(newestFirst).toEqual([ids.D, ids.C]);
    expect(await store.countTopics(DEFAULT_WORKSPACE_ID, 'c3')).toBe(2);

    const other = '00000000-0000-4000-8000-0000000000ff'; // a workspace with nothing in it
    expect((await store.topicsByIds(DEFAULT_WORKSPACE_ID, [ids.A, 'nope', ids.B])).map((topic) => topic.id).sort()).toEqual([ids.A, ids.B].sort());
    expect(await store.topicsByIds(other, [ids.A])).toEqual([]);
    expect((await store.messagesByIds(DEFAULT_WORKSPACE_ID, ['m1', 'm-none'])).map((message) => message.id)).toEqual(['m1']);
    expect(await store.messagesByIds(other, ['m1'])).toEqual([]);
    expect((await store.customersWithConversation(DEFAULT_WORKSPACE_ID, ['c1', 'c5', 'nobody'])).sort()).toEqual(['c1', 'c5']);
    expect(await store.customersWithConversation(other, ['c1'])).toEqual([]);
  });

  it('claims an escalated topic for one person only, and keeps the claim when the workflow writes the topic again', async () => {
    expect(await store.claim(DEFAULT_WORKSPACE_ID, ids.F, 'maria')).toMatchObject({ topic: { assignedAgent: 'maria' } });
    expect(await store.claim(DEFAULT_WORKSPACE_ID, ids.F, 'joao')).toEqual({ refused: 'claimed-by-another', holder: 'maria' });
    expect(await store.claim(DEFAULT_WORKSPACE_ID, ids.E, 'joao')).toEqual({ refused: 'not-escalated' });
    expect(await store.claim(DEFAULT_WORKSPACE_ID, 'nope', 'joao')).toEqual({ refused: 'not-found' });
    const f = topics.find((each) => each.id === ids.F)!;
    await store.record({ topics: [{ ...f, lastMessageAt: day(14) }] });
    expect((await store.topic(DEFAULT_WORKSPACE_ID, ids.F))?.assignedAgent).toBe('maria');
    // Handed back to automation: nobody holds it any more.
    await store.record({ topics: [{ ...f, status: 'automated' }] });
    expect((await store.topic(DEFAULT_WORKSPACE_ID, ids.F))?.assignedAgent).toBeNull();
  });
});
