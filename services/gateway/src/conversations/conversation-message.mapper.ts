import type { ConversationMessage as StoredConversationMessage } from '@continuum/data';
import type { ChannelName } from '../common/models/channel.model';
import type { MessageStatusName } from '../common/models/message-status.model';
import type { ConversationMessage, MessageDirectionName, MessageIntentName, ReplyStatusName } from './conversation.models';

export function toConversationMessage(message: StoredConversationMessage): ConversationMessage {
  return {
    localId: message.id,
    topicLocalId: message.topicId,
    direction: message.direction as MessageDirectionName,
    author: message.author,
    channel: message.channel as ChannelName,
    body: message.body,
    intent: message.intent as MessageIntentName | null,
    status: message.status as ReplyStatusName | null,
    reason: message.reason,
    deliveryStatus: message.deliveryStatus as MessageStatusName | null,
    journeyInstance: message.journeyInstance,
    at: message.at,
  };
}
