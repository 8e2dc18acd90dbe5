import type { MessageEntity } from '@continuum/data';
import type { ChannelName } from '../common/models/channel.model';
import type { MessageStatusName } from '../common/models/message-status.model';
import type { Message } from './models/profile.model';

/** A stored outbox row as the GraphQL Message (a Node, local id: the row's uuid). */
export function toMessage(message: MessageEntity): Message {
  return {
    messageRowId: message.id,
    customerId: message.customerId,
    instanceId: message.instanceId,
    runId: message.runId,
    channel: message.channel as ChannelName,
    to: message.to,
    body: message.body,
    status: message.status as MessageStatusName,
    step: message.step,
    providerId: message.providerId,
    errorCode: message.errorCode,
    errorMessage: message.errorMessage,
    createdAt: message.createdAt,
  };
}
