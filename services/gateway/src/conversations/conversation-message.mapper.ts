import type { ConversationMessage } from '@continuum/data';
import type { ChannelName } from '../common/models/channel.model';
import type { ConversationMessageModel, MessageDirectionName } from './conversation.models';

/** A stored conversation message as the API shows it. */
export function toConversationMessage(message: ConversationMessage): ConversationMessageModel {
  return {
    id: message.id,
    topicId: message.topicId,
    direction: message.direction as MessageDirectionName,
    author: message.author,
    channel: message.channel as ChannelName,
    body: message.body,
    intent: message.intent,
    status: message.status,
    reason: message.reason,
    deliveryStatus: message.deliveryStatus,
    journeyInstance: message.journeyInstance,
    at: message.at,
  };
}
