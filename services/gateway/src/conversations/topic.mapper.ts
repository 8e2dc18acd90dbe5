import type { Topic } from '@continuum/data';
import type { ChannelName } from '../common/models/channel.model';
import { escalationReasonOf, type ConversationTopic, type TopicIntentName, type TopicStatusName } from './conversation.models';

export function toTopic(topic: Topic): ConversationTopic {
  const escalation = escalationReasonOf(topic.escalationReason);
  return {
    localId: topic.id,
    userId: topic.customerId,
    intent: topic.intent as TopicIntentName,
    status: topic.status as TopicStatusName,
    channel: topic.channel as ChannelName,
    openedAt: topic.openedAt,
    lastMessageAt: topic.lastMessageAt,
    escalatedAt: topic.escalatedAt,
    escalationReason: escalation?.reason ?? null,
    escalationKeyword: escalation?.keyword ?? null,
    assignedAgent: topic.assignedAgent,
    claimedAt: topic.claimedAt,
    resolvedAt: topic.resolvedAt,
    resolvedBy: topic.resolvedBy,
    reopened: topic.reopened,
    facts: topic.facts,
  };
}
