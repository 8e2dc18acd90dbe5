export * from './entities';
export { migrations, DEFAULT_WORKSPACE_ID } from './migrations';
export { createDataSource, openDataSource } from './data-source';
export { WorkspaceStore, hashApiKey, type ApiKeyPrincipal } from './repositories/workspace-store';
export {
  ProfileStore,
  type ProfileIdentities,
  type ProfileEventPage,
  type ProfileEventRow,
  type ProfilePage,
  type ProfileSearchCriteria,
} from './repositories/profile-store';
export { ErasureStore, erasedCustomerRef, type ErasureCounts } from './repositories/erasure-store';
export { EventStore, type AcceptedEvent, type EventType, type NewEvent } from './repositories/event-store';
export { SourceKeyStore, type SourceWriteKey, type WriteKeyPrincipal } from './repositories/source-key-store';
export { JournalStore, type JournalWrite } from './repositories/journal-store';
export { MessageStore, type FrequencyCap, type OutboxClaim } from './repositories/message-store';
export { SendRateLimiter } from './repositories/send-rate-limiter';
export {
  CustomerTimelineStore,
  type LiveTimelineRow,
  type TimelineKind,
  type TimelinePageOptions,
  type TimelinePosition,
  type TimelineRow,
} from './repositories/customer-timeline-store';
export {
  JourneyInstanceSearchStore,
  type InstancePosition,
  type JourneyInstanceFilter,
  type JourneyInstanceRow,
} from './repositories/journey-instance-search-store';
export { JourneyStatsStore, type JourneyStats, type JourneyStatsQuery, type MessageChannelStats } from './repositories/journey-stats-store';
export { OperatorAuditStore, type OperatorAction, type OperatorAuditRow, type OperatorAuditWrite } from './repositories/operator-audit-store';
export type { DataSource } from 'typeorm';
export {
  JourneyCatalogueStore,
  type CatalogueEntry,
  type FirstEntryClaim,
  type InstanceCounts,
  type JourneyLifecycle,
  type WorkspaceJourney,
} from './repositories/journey-catalogue-store';
export { IdentityStore, ANONYMOUS_CUSTOMER_PREFIX, type Identity, type IdentityKind, type ProfileMerge } from './repositories/identity-store';
export { ConsentStore, type ConsentRecord, type ConsentChangeRecord, type AppliedConsentChange } from './repositories/consent-store';
export { ActivityListener, ACTIVITY_CHANNEL, type ActivityListenerOptions, type ActivityNotice } from './activity-listener';
export { Warehouse, WarehouseError, type WarehouseErrorKind, type WarehouseRead } from './warehouse';
export { TemplateStore, type MessageTemplateVersion, type TemplatePublication } from './repositories/template-store';
export { IdempotencyConflictError, TransactionalStore, type TransactionalMessage, type TransactionalRequest, type TransactionalStatus } from './repositories/transactional-store';
export { NotificationListener, type NotificationListenerOptions } from './notification-listener';
export { InboxListener, INBOX_CHANNEL, type InboxChange, type InboxListenerOptions, type InboxNotice } from './inbox-listener';
export {
  InboxStore,
  InboxDeliveryConflictError,
  type InboxDelivery,
  type InboxListOptions,
  type InboxMessage,
  type InboxPage,
  type InboxPosition,
} from './repositories/inbox-store';
export { AudienceStore, type Audience, type MembershipChange } from './audiences/audience-store';
export { AudienceDefinitionError, compileAudience, type AudienceCondition } from './audiences/audience-definition';
export {
  BroadcastStore,
  type Broadcast,
  type BroadcastProgress,
  type BroadcastRun,
  type BroadcastRunStatus,
  type BroadcastSchedule,
  type BroadcastStatus,
  type NewBroadcast,
  type RecipientOutcome,
} from './audiences/broadcast-store';
export {
  ConversationStore,
  CONVERSATION_CHANNEL,
  type ClaimRefusal,
  type ContinuityMetrics,
  type ConversationMessage,
  type ConversationNotice,
  type Topic,
} from './conversations/conversation-store';
export { ConversationListener, type ConversationListenerOptions } from './conversations/conversation-listener';
