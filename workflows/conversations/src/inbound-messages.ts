import { AGENT_JOURNEYS, TOPIC_ASSIGNED, TOPIC_MESSAGE, type ConversationMessageRecord, type InboundMessage, type TopicEventRecord } from '@continuum/contracts';
import { activities } from './conversation-activities';
import { KNOWN_FACTS_PATCH, UNANSWERED_KEPT, UPSET_LIMIT } from './conversation-limits';
import type { ConversationMemory } from './conversation-memory';
import type { TopicActions } from './topic-actions';
import { patched } from './temporal';
import { byLastAt, chooseTopic } from './topic-choice';
import type { TopicInstances } from './topic-instances';

/**
 * A customer's message: recorded, classified, placed in a topic, then answered by whoever has the
 * topic (its agent, or a person, or a person from now on when the message asks for one).
 */
export class InboundMessages {
  constructor(
    private readonly memory: ConversationMemory,
    private readonly instances: TopicInstances,
    private readonly actions: TopicActions,
  ) {}

  async receive(message: InboundMessage): Promise<void> {
    const { memory, instances } = this;
    if (!memory.firstSeen(message.messageId)) return;
    const { workspaceId, customerId } = memory;
    const base: ConversationMessageRecord = {
      id: message.messageId,
      workspaceId,
      customerId,
      topicId: null,
      direction: 'in',
      author: 'customer',
      channel: message.channel,
      body: message.body,
      at: message.at,
    };
    // Consent keywords and replies to a journey's message belong to no topic: nobody answers them here.
    if (message.keyword || message.inReplyTo) {
      await activities.recordConversation({ messages: [{ ...base, ...(message.inReplyTo ? { journeyInstance: message.inReplyTo.instanceId } : {}) }] });
      return;
    }
    const context = await activities.getConversationContext({ workspaceId, customerId });
    const text = [message.subject && !/^\s*(re|fwd?|aw):/i.test(message.subject) ? message.subject : '', message.body].filter(Boolean).join('\n');
    // The language the customer writes in here (their latest topic's) tells a short reply's language better than the profile.
    const latestFirst = [...memory.topics].sort(byLastAt);
    const spoken = latestFirst.find((topic) => topic.locale)?.locale;
    const shopping = latestFirst.find((topic) => topic.intent === 'sales' && topic.status !== 'resolved')?.facts['product'];
    const classification = await activities.classifyMessage({
      workspaceId,
      text,
      locale: message.locale ?? spoken ?? context.locale,
      ...(shopping ? { product: shopping } : {}),
      at: message.at,
      ...(context.timeZone ? { timeZone: context.timeZone } : {}),
    });
    const at = message.at;
    const { topic, event } = chooseTopic(memory.topics, message, classification, context.reopenWithinDays);
    if (!topic) {
      await activities.recordConversation({ messages: [{ ...base, intent: classification.intent }] });
      return;
    }
    const previousChannel = topic.channel;
    topic.channel = message.channel;
    if (message.subject) topic.subject = message.subject.replace(/^\s*((re|fwd?|aw):\s*)+/i, '');
    topic.lastAt = at;
    // A new topic starts with what the customer told lately in their other topics: no agent asks again.
    if (event === 'opened' && patched(KNOWN_FACTS_PATCH)) topic.facts = { ...memory.recentCustomerFacts(topic, at, context.reopenWithinDays), ...topic.facts };
    topic.facts = { ...topic.facts, ...classification.entities };
    // Strongly negative messages in the topic, counted: the second one hands it to a person (`upset`).
    const upset = classification.sentiment?.strong === true;
    if (upset) topic.facts['upset'] = String(Number(topic.facts['upset'] ?? 0) + 1);
    if (classification.locale) topic.locale = classification.locale;
    if (context.voice) topic.voice = context.voice;
    memory.remember(topic, { direction: 'in', author: 'customer', channel: message.channel, body: message.body, at });
    const events: TopicEventRecord[] = event ? [memory.topicEvent(topic, event, at, event === 'reopened' ? { previousChannel } : {})] : [];
    await activities.recordConversation({ messages: [{ ...base, topicId: topic.id, intent: classification.intent }], topics: [memory.topicRecord(topic)], events });

    if (topic.status === 'human') return; // a person has it: they see it in the history and by subscription
    const keyword = classification.escalationKeyword;
    const reason =
      classification.intent === 'human'
        ? 'asked-for-person'
        : keyword
          ? `keyword:${keyword}`
          : context.vip
            ? 'vip'
            : upset && Number(topic.facts['upset']) >= UPSET_LIMIT
              ? 'upset'
              : undefined;
    if (reason) return this.actions.escalate(topic, reason, at);

    const agentJourney = AGENT_JOURNEYS[topic.intent];
    const properties = {
      message: {
        messageId: message.messageId,
        body: message.body,
        channel: message.channel,
        at,
        intent: classification.intent,
        ...(classification.question !== undefined ? { question: classification.question } : {}),
        ...(classification.knowledge ? { knowledge: classification.knowledge } : {}),
        ...(classification.locale ? { locale: classification.locale } : {}),
        ...(classification.stock ? { stock: classification.stock } : {}),
        ...(context.voice ? { voice: context.voice } : {}),
      },
      classification: { intent: classification.intent, confidence: classification.confidence, source: classification.source, ...(classification.fallback ? { fallback: classification.fallback } : {}) },
    };
    const next = instances.journeyEvent(topic, TOPIC_MESSAGE, properties);
    const first = instances.journeyEvent(topic, TOPIC_ASSIGNED, properties);
    topic.agentInstance = await instances.deliver(agentJourney, topic, next, [first]);
    if (instances.handsOver) topic.unanswered = [...(topic.unanswered ?? []), properties].slice(-UNANSWERED_KEPT);
  }
}
