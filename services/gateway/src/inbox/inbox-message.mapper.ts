import type { InboxMessage as StoredInboxMessage } from '@continuum/data';
import type { InboxMessage } from './models/inbox-message.model';

export function toInboxMessage(message: StoredInboxMessage): InboxMessage {
  return {
    localId: message.id,
    customerId: message.customerId,
    messageId: message.messageId,
    title: message.title,
    body: message.body,
    data: message.data,
    createdAt: message.createdAt,
    readAt: message.readAt,
    archivedAt: message.archivedAt,
  };
}
