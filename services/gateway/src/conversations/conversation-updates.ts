import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ConversationListener, ConversationStore, type ConversationNotice } from '@continuum/data';
import { GATEWAY_CONFIG } from '../core/tokens';
import type { ConversationUpdate } from './conversation.models';
import { toTopic } from './topic.mapper';

/** Updates a subscriber has not taken yet; one that falls this far behind is ended with an error. */
const MAX_PENDING = 1_000;

interface Subscriber {
  workspaceId: string;
  /** null: every customer of the workspace (an agents' console). */
  customerId: string | null;
  pending: ConversationUpdate[];
  wake: (() => void) | null;
  ended: boolean;
  error: Error | null;
}

/**
 * Conversation changes for every replica, from PostgreSQL notifications (`continuum_conversation`,
 * sent by whoever wrote: the worker's conversation activity or a claim here), in commit order.
 */
@Injectable()
export class ConversationUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ConversationUpdates.name);
  private readonly subscribers = new Set<Subscriber>();
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
    for (const subscriber of this.subscribers) this.end(subscriber, null);
    await this.listener.stop();
    await this.delivery;
  }

  subscribe(workspaceId: string, customerId: string | null): AsyncIterableIterator<ConversationUpdate> {
    const subscriber: Subscriber = { workspaceId, customerId, pending: [], wake: null, ended: false, error: null };
    this.subscribers.add(subscriber);
    const finish = (): Promise<IteratorResult<ConversationUpdate>> => {
      this.end(subscriber, null);
      return Promise.resolve({ value: undefined, done: true });
    };
    const iterator: AsyncIterableIterator<ConversationUpdate> = {
      next: async () => {
        while (subscriber.pending.length === 0 && !subscriber.ended) await new Promise<void>((resolve) => (subscriber.wake = resolve));
        if (subscriber.error) throw subscriber.error;
        const value = subscriber.pending.shift();
        return value ? { value, done: false } : { value: undefined, done: true };
      },
      return: finish,
      throw: finish,
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private async deliver(notice: ConversationNotice): Promise<void> {
    const interested = [...this.subscribers].filter(
      (subscriber) => subscriber.workspaceId === notice.workspaceId && (subscriber.customerId === null || subscriber.customerId === notice.customerId),
    );
    if (interested.length === 0) return;
    let topic = null;
    if (notice.topicId) {
      try {
        const stored = await this.conversations.topic(notice.workspaceId, notice.topicId);
        topic = stored ? toTopic(stored) : null;
      } catch (error) {
        this.logger.warn(`conversation update for topic ${notice.topicId} not read: ${(error as Error).message}`);
      }
    }
    const update: ConversationUpdate = { kind: notice.kind, userId: notice.customerId, topicId: notice.topicId, topic };
    for (const subscriber of interested) {
      if (subscriber.ended) continue;
      if (subscriber.pending.length >= MAX_PENDING) {
        this.end(subscriber, new Error(`Subscription ended: more than ${MAX_PENDING} updates were not consumed`));
        continue;
      }
      subscriber.pending.push(update);
      this.wakeUp(subscriber);
    }
  }

  private end(subscriber: Subscriber, error: Error | null): void {
    subscriber.ended = true;
    subscriber.error = error;
    if (!error) subscriber.pending.length = 0;
    this.subscribers.delete(subscriber);
    this.wakeUp(subscriber);
  }

  private wakeUp(subscriber: Subscriber): void {
    const wake = subscriber.wake;
    subscriber.wake = null;
    wake?.();
  }
}
