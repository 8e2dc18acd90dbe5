import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ConversationListener, ConversationStore, IdentityStore, LiveChangeStore, type ApiKeyPrincipal, type ConversationNotice, type LiveChange } from '@continuum/data';
import { customerOf } from '../common/customer-of';
import { NotifiedUpdates } from '../common/notified-updates';
import type { Delivered } from '../common/resumable-feed';
import { GATEWAY_CONFIG } from '../core/tokens';
import { toConversationMessage } from './conversation-message.mapper';
import { ConversationUpdateKind, type ConversationUpdate } from './conversation-update.model';
import { toTopic } from './topic.mapper';

interface Filter {
  workspaceId: string;
  /** null: every customer of the workspace (an agents' console). */
  customerId: string | null;
}

type Update = Omit<ConversationUpdate, 'cursor'>;

/**
 * Conversation changes for every replica, resumable: notices on `continuum_conversation` (sent by
 * whoever wrote: the worker's conversation activity or a claim here) wake the subscriptions they
 * concern, which read the changes from the log (`live_changes`, stream `conversation`): each topic
 * or message as it is then, a message with its topic.
 */
@Injectable()
export class ConversationUpdates extends NotifiedUpdates<ConversationNotice, Filter> {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly conversations: ConversationStore,
    private readonly identities: IdentityStore,
    changes: LiveChangeStore,
  ) {
    super(
      ConversationUpdates.name,
      'conversation',
      (handlers) => new ConversationListener(config.DATABASE_URL, { applicationName: 'continuum-gateway-conversations', ...handlers }),
      false,
      changes,
    );
  }

  /** A customer's conversation changes (`rawUserId` null: the whole workspace's) after `after` (a cursor of conversationUpdates), else from now on. */
  async subscribe(principal: ApiKeyPrincipal, rawUserId: string | null, after: string | null): Promise<AsyncIterableIterator<Delivered<Update>>> {
    const workspaceId = principal.workspaceId;
    const customerId = rawUserId == null ? null : await customerOf(this.identities, workspaceId, rawUserId);
    return this.open(
      { workspaceId, customerId },
      {
        subscription: 'conversationUpdates',
        filter: customerId === null ? { workspaceId, stream: 'conversation' } : { workspaceId, stream: 'conversation', scope: customerId },
        load: (changes) => Promise.all(changes.map((change) => this.update(workspaceId, change))),
      },
      after,
    );
  }

  protected concerns(filter: Filter, notice: ConversationNotice): boolean {
    return filter.workspaceId === notice.workspaceId && (filter.customerId === null || filter.customerId === notice.customerId);
  }

  private async update(workspaceId: string, change: LiveChange): Promise<Update | null> {
    if (change.kind === ConversationUpdateKind.TOPIC) {
      const topic = await this.conversations.topic(workspaceId, change.ref);
      return topic ? { kind: ConversationUpdateKind.TOPIC, userId: change.scope, topicId: topic.id, topic: toTopic(topic), message: null } : null;
    }
    const message = await this.changes.conversationMessage(workspaceId, change.ref);
    if (!message) return null; // erased
    const topic = message.topicId ? await this.conversations.topic(workspaceId, message.topicId) : undefined;
    return { kind: ConversationUpdateKind.MESSAGE, userId: change.scope, topicId: message.topicId, topic: topic ? toTopic(topic) : null, message: toConversationMessage(message) };
  }
}
