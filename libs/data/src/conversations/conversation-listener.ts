import { NotificationListener, type NotificationListenerOptions } from '../notification-listener';
import { CONVERSATION_CHANNEL, type ConversationNotice } from './conversation-store';

export interface ConversationListenerOptions extends NotificationListenerOptions {
  onNotice: (notice: ConversationNotice) => void;
}

/** Listens on {@link CONVERSATION_CHANNEL} (topic and message changes) over its own reconnecting connection. */
export class ConversationListener extends NotificationListener {
  constructor(databaseUrl: string, options: ConversationListenerOptions) {
    super(
      databaseUrl,
      CONVERSATION_CHANNEL,
      (payload) => {
        const notice = parseNotice(payload);
        if (notice) options.onNotice(notice);
      },
      { ...options, applicationName: options.applicationName ?? 'continuum-conversation-listener' },
    );
  }
}

function parseNotice(payload: string): ConversationNotice | null {
  try {
    const raw = JSON.parse(payload) as Partial<ConversationNotice>;
    if (typeof raw.workspaceId !== 'string' || typeof raw.customerId !== 'string' || (raw.kind !== 'TOPIC' && raw.kind !== 'MESSAGE')) return null;
    return { workspaceId: raw.workspaceId, customerId: raw.customerId, topicId: typeof raw.topicId === 'string' ? raw.topicId : null, kind: raw.kind, ...(typeof raw.status === 'string' ? { status: raw.status } : {}) };
  } catch {
    return null;
  }
}
