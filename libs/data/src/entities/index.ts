import { ApiKeyEntity } from './api-key.entity';
import { EventEntity } from './event.entity';
import { InboxMessageEntity } from './inbox-message.entity';
import { JournalEntryEntity } from './journal-entry.entity';
import { JourneyInstanceEntity } from './journey-instance.entity';
import { MessageEntity } from './message.entity';
import { ProfileEntity } from './profile.entity';
import { WorkspaceEntity } from './workspace.entity';

export { ApiKeyEntity, EventEntity, JournalEntryEntity, JourneyInstanceEntity, MessageEntity, ProfileEntity, WorkspaceEntity };
export type { MessageChannelName, MessageStatus } from './message.entity';

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

export { InboxMessageEntity };
