import { Module } from '@nestjs/common';
import { ConversationStore, KnowledgeStore, LiveChangeStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { EventsModule } from '../events/events.module';
import { ConversationMessageResolver } from './conversation-message.resolver';
import { ConversationMessageConnectionTotalCount, ConversationTopicConnectionTotalCount } from './conversation.models';
import { ConversationRelay } from './conversation-relay';
import { ConversationResolver } from './conversation.resolver';
import { ConversationUpdates } from './conversation-updates';
import { ConversationUpdatesResolver } from './conversation-updates.resolver';
import { ConversationsResolver } from './conversations.resolver';
import { ConversationsService } from './conversations.service';
import { CustomerProfiles } from './customer-profiles';
import { InboundMessages } from './inbound-messages.service';
import { IntentExampleConnectionTotalCount, KnowledgeBaseEntryConnectionTotalCount } from './knowledge.models';
import { KnowledgeResolver } from './knowledge.resolver';
import { KnowledgeService } from './knowledge.service';

/** Conversations: inbound messages on every channel, the relay to each customer's conversation workflow, the agents' GraphQL, the workspace's knowledge base and intent examples. */
@Module({
  imports: [EventsModule],
  providers: [
    InboundMessages,
    ConversationRelay,
    ConversationUpdates,
    ConversationsService,
    ConversationsResolver,
    ConversationResolver,
    ConversationMessageResolver,
    ConversationTopicConnectionTotalCount,
    ConversationMessageConnectionTotalCount,
    CustomerProfiles,
    ConversationUpdatesResolver,
    KnowledgeService,
    KnowledgeResolver,
    KnowledgeBaseEntryConnectionTotalCount,
    IntentExampleConnectionTotalCount,
    { provide: KnowledgeStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new KnowledgeStore(dataSource) },
    { provide: ConversationStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ConversationStore(dataSource) },
    { provide: LiveChangeStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new LiveChangeStore(dataSource) },
  ],
  exports: [InboundMessages],
})
export class ConversationsModule {}
