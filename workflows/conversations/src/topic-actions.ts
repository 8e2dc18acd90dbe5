import { AGENT_REPLIED, HUMAN_HANDOFF_JOURNEY, TOPIC_ESCALATED, type MessageChannel, type TopicState } from '@continuum/contracts';
import { activities } from './conversation-activities';
import type { ConversationMemory } from './conversation-memory';
import { uuid4 } from './temporal';
import type { TopicInstances } from './topic-instances';

/**
 * Who has a topic: handover to a person (escalation), a person's reply, handing back to the
 * topic's agent, and resolving it. Each closes the instances that answered before and records
 * the topic's new state.
 */
export class TopicActions {
  constructor(
    private readonly memory: ConversationMemory,
    private readonly instances: TopicInstances,
  ) {}

  /** A person takes the topic: the human-handoff journey acknowledges it and sends their replies. */
  async escalate(topic: TopicState, reason: string, at: string): Promise<void> {
    await this.instances.closeInstances(topic, `escalated: ${reason}`);
    topic.status = 'human';
    topic.escalation = { reason, at };
    topic.notUnderstood = 0;
    const event = this.instances.journeyEvent(topic, TOPIC_ESCALATED, { reason, ...(topic.locale ? { locale: topic.locale } : {}), ...(topic.voice ? { voice: topic.voice } : {}) });
    topic.humanInstance = await this.instances.deliver(HUMAN_HANDOFF_JOURNEY, topic, event, [event]);
    await activities.recordConversation({ topics: [this.memory.topicRecord(topic)], events: [this.memory.topicEvent(topic, 'escalated', at, { reason })] });
  }

  async resolve(topic: TopicState, by: string): Promise<TopicState> {
    if (topic.status === 'resolved') return topic;
    await this.instances.closeInstances(topic, `resolved by ${by}`);
    const at = new Date(Date.now()).toISOString();
    topic.status = 'resolved';
    topic.resolvedAt = at;
    topic.resolvedBy = by;
    await activities.recordConversation({ topics: [this.memory.topicRecord(topic)], events: [this.memory.topicEvent(topic, 'resolved', at, { reason: by })] });
    return topic;
  }

  /** The person gives the topic back to automation: its agent answers the next message. */
  async handBack(topic: TopicState, agent: string): Promise<TopicState> {
    await this.instances.closeInstances(topic, `handed back by ${agent}`);
    topic.status = 'automated';
    topic.notUnderstood = 0;
    await activities.recordConversation({
      topics: [this.memory.topicRecord(topic)],
      events: [this.memory.topicEvent(topic, 'handed-back', new Date(Date.now()).toISOString(), { reason: agent })],
    });
    return topic;
  }

  async reply(topic: TopicState, agent: string, body: string): Promise<{ replyId: string; channel: MessageChannel }> {
    const replyId = `reply:${uuid4()}`;
    const at = new Date(Date.now()).toISOString();
    const event = this.instances.journeyEvent(topic, AGENT_REPLIED, { reply_id: replyId, body, agent_name: agent });
    // The handoff instance sends it (consent, quiet hours: it waits them out); a new one if it ended.
    const resumed = this.instances.journeyEvent(topic, TOPIC_ESCALATED, { reason: topic.escalation?.reason ?? 'agent', acknowledge: false });
    topic.humanInstance = await this.instances.deliver(HUMAN_HANDOFF_JOURNEY, topic, event, [resumed, event]);
    this.memory.remember(topic, { direction: 'out', author: `human:${agent}`, channel: topic.channel, body, at });
    const { workspaceId, customerId } = this.memory;
    await activities.recordConversation({
      messages: [{ id: replyId, workspaceId, customerId, topicId: topic.id, direction: 'out', author: `human:${agent}`, channel: topic.channel, body, status: 'pending', at }],
      topics: [this.memory.topicRecord(topic)],
    });
    return { replyId, channel: topic.channel };
  }
}
