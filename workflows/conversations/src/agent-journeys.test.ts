import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATION_WORKFLOW, conversationWorkflowId, journeyWorkflowId, TOPIC_ASSIGNED, TOPIC_MESSAGE, topicProgressSignal } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { workflowTypeOf } from '@continuum/journey';
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

  it('ends idle when its first message never came, and tells the conversation of its customer (named by nothing yet)', async () => {
    // The conversation starts its agent, then signals it the message: on an overloaded server that
    // signal can come after the agent's one-minute wait for it. The agent ends idle and says so to
    // its conversation, which hands the message to a new instance (agent-reports.ts).
    const customer = 'agent-late';
    const { client } = kit.bed.env;
    const input = { workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, customerRef: customer };
    const conversation = await client.workflow.start(CONVERSATION_WORKFLOW, { workflowId: conversationWorkflowId(customer), taskQueue: kit.bed.taskQueue, args: [input] });
    const agent = await client.workflow.start(workflowTypeOf('returns-agent'), {
      workflowId: journeyWorkflowId('returns-agent', customer, 't-late'),
      taskQueue: kit.bed.taskQueue,
      args: [{ journeyId: 'returns-agent', workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, key: 't-late' }],
    });
    await kit.run(async () => {
      // Bounded: a workflow task that fails for ever would never give a result.
      const state = await Promise.race([
        agent.result() as Promise<{ status: string }>,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the agent did not end within 40 s')), 40_000)),
      ]);
      expect(state.status).toBe('completed');
    });
    const agentHistory = await agent.fetchHistory();
    expect(agentHistory.events?.filter((event) => event.workflowTaskFailedEventAttributes)).toEqual([]);
    const told = agentHistory.events?.map((event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes).filter(Boolean);
    expect(told?.map((attributes) => [attributes!.workflowExecution?.workflowId, attributes!.signalName])).toEqual([[conversationWorkflowId(customer), topicProgressSignal.name]]);
    const conversationHistory = await conversation.fetchHistory();
    expect(conversationHistory.events?.some((event) => event.workflowExecutionSignaledEventAttributes?.signalName === topicProgressSignal.name)).toBe(true);
  });
});
