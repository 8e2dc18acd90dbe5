import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ConversationListener, ConversationStore, type ConversationNotice } from '@continuum/data';
import { NotifiedUpdates } from '../common/notified-updates';
import { GATEWAY_CONFIG } from '../core/tokens';
import type { ConversationUpdate } from './conversation.models';
import { toTopic } from './topic.mapper';

interface Filter {
  workspaceId: string;
  /** null: every customer of the workspace (an agents' console). */
  customerId: string | null;
}

/**
 * Conversation changes for every replica, from PostgreSQL notifications (`continuum_conversation`,
 * sent by whoever wrote: the worker's conversation activity or a claim here), in commit order.
 */
@Injectable()
export class ConversationUpdates extends NotifiedUpdates<ConversationNotice, Filter, ConversationUpdate> {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly conversations: ConversationStore,
  ) {
    super(ConversationUpdates.name, 'conversation', (handlers) => new ConversationListener(config.DATABASE_URL, { applicationName: 'continuum-gateway-conversations', ...handlers }), false);
  }

  subscribe(workspaceId: string, customerId: string | null): AsyncIterableIterator<ConversationUpdate> {
    return this.hub.subscribe({ workspaceId, customerId });
  }

  protected async deliver(notice: ConversationNotice): Promise<void> {
    const wanted = (filter: Filter) => filter.workspaceId === notice.workspaceId && (filter.customerId === null || filter.customerId === notice.customerId);
    if (!this.hub.wants(wanted)) return;
    let topic = null;
    if (notice.topicId) {
      try {
        const stored = await this.conversations.topic(notice.workspaceId, notice.topicId);
        topic = stored ? toTopic(stored) : null;
      } catch (error) {
        this.logger.warn(`conversation update for topic ${notice.topicId} not read: ${(error as Error).message}`);
      }
    }
    this.hub.publish(wanted, { kind: notice.kind, userId: notice.customerId, topicId: notice.topicId, topic });
  }
}
