import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPIC_ASSIGNED, TOPIC_MESSAGE } from '@continuum/contracts';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import { supportAgent } from './agents';

// An agent journey on its own (its conversation is not running: what it tells it goes nowhere),
// with time-skipping Temporal, the worker's real activities, PostgreSQL and the Twilio emulator.
describe('an agent journey', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit();
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  /** What the conversation hands the agent with a customer's message (see `journeyEvent` in topic-instances.ts). */
  const topicEvent = (topicId: string, messageId: string, body: string, intent: string) => ({
    topic_id: topicId,
    conversation_id: `conversation/${topicId}`,
    intent: 'support',
    agent: 'support',
    channel: 'sms',
    facts: {},
    history: [],
    message: { messageId, body, channel: 'sms', at: new Date().toISOString(), intent },
  });

  it('answers a message that came while it was answering the one that resolved its topic, instead of completing', async () => {
    await kit.identify('agent-thanks', { phone: '+14155550731' });
    // The customer said thanks and wrote again at once: both reach the instance before it has answered the first.
    const instance = await kit.enter(supportAgent, 'agent-thanks', TOPIC_ASSIGNED, topicEvent('t-thanks', 'in-1', 'thank you', 'thanks'));
    await instance.send(TOPIC_MESSAGE, topicEvent('t-thanks', 'in-2', 'I forgot my password', 'support'));
    await kit.run(async () => {
      const state = await instance.result();
      expect(state.status).toBe('completed');
    });
    const replies = kit.messagesTo('+14155550731').map((message) => message.body);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatch(/reset your password/);
  });
});
