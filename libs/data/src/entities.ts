import { ApiKeyEntity } from './workspaces/api-key.entity';
import { EventEntity } from './events/event.entity';
import { InboxMessageEntity } from './inbox/inbox-message.entity';
import { JournalEntryEntity } from './journeys/journal-entry.entity';
import { JourneyInstanceEntity } from './journeys/journey-instance.entity';
import { MessageEntity } from './messages/message.entity';
import { ProfileEntity } from './profiles/profile.entity';
import { WorkspaceEntity } from './workspaces/workspace.entity';

export { ApiKeyEntity, EventEntity, InboxMessageEntity, JournalEntryEntity, JourneyInstanceEntity, MessageEntity, ProfileEntity, WorkspaceEntity };
export type { MessageChannelName, MessageStatus } from './messages/message.entity';

/** Every entity, each beside its feature's store: the DataSource registers them by class (data-source.ts). */
export const entities = [
  WorkspaceEntity,
  ApiKeyEntity,
  ProfileEntity,
  EventEntity,
  JourneyInstanceEntity,
  JournalEntryEntity,
  MessageEntity,
  InboxMessageEntity,
];
