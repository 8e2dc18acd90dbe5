import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ConversationListener, ConversationStore, type ConversationNotice } from '@continuum/data';
import { SubscriberHub } from '../common/subscriber-hub';
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
export class ConversationUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ConversationUpdates.name);
  private readonly hub = new SubscriberHub<Filter, ConversationUpdate>();
  private readonly listener: ConversationListener;
  private delivery: Promise<void> = Promise.resolve();

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly conversations: ConversationStore,
  ) {
    this.listener = new ConversationListener(config.DATABASE_URL, {
      applicationName: 'continuum-gateway-conversations',
      onNotice: (notice) => {
        this.delivery = this.delivery.then(() => this.deliver(notice));
      },
      onStatus: (status) => {
        if (status.state !== 'listening') this.logger.warn(`conversation updates disconnected (${status.error.message}); reconnecting in ${status.retryInMs} ms`);
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.hub.close();
    await this.listener.stop();
    await this.delivery;
  }

  /** How many conversation subscriptions are open on this replica. */
  get subscriberCount(): number {
    return this.hub.size;
  }

  subscribe(workspaceId: string, customerId: string | null): AsyncIterableIterator<ConversationUpdate> {
    return this.hub.subscribe({ workspaceId, customerId });
  }

  private async deliver(notice: ConversationNotice): Promise<void> {
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
