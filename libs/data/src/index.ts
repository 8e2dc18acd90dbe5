// The data library by feature: each folder holds a feature's entities, stores and listeners.
// Shared pieces stay here: the DataSource, the entity list, migrations, the NOTIFY listener base.
export type { DataSource } from 'typeorm';
export * from './entities';
export { migrations, DEFAULT_WORKSPACE_ID } from './migrations';
export { createDataSource, openDataSource } from './data-source';
export { keysetSql, type KeysetWindow } from './keyset';
export { NotificationListener, type NotificationListenerOptions } from './notification-listener';
export { Warehouse, WarehouseError, type WarehouseErrorKind, type WarehouseRead } from './warehouse';

// workspaces: workspaces, API keys, source write keys
export { WorkspaceStore, hashApiKey, type ApiKeyPrincipal } from './workspaces/workspace-store';
export {
  ALL_SCOPES,
  API_SCOPES,
  InvalidScopeError,
  holdsScope,
  isApiScope,
  parseApiScopes,
  type ApiKeyScope,
  type ApiScope,
} from './workspaces/api-scopes';
export { SourceKeyStore, type SourceWriteKey, type WriteKeyPrincipal } from './workspaces/source-key-store';
export {
  WEBHOOK_PREVIOUS_SECRET_MAX_MS,
  WEBHOOK_PREVIOUS_SECRET_VALID_FOR_MS,
  WebhookSecretUnavailableError,
  WebhookStore,
  type WebhookAttemptRecord,
  type WebhookEndpointHealthChange,
  type WebhookDeliveryRecord,
  type WebhookDeliveryStatus,
  type WebhookEndpointRecord,
  type WebhookPosition,
} from './webhooks/webhook-store';
export { PREVIOUS_SECRET_GRACE_MS, RequestSigningSecretStore, RequestSigningSecretUnavailableError, type RequestSigningSecret } from './workspaces/request-signing-secret-store';
export {
  MessagingPolicies,
  MessagingPolicyStore,
  POLICY_CACHE_TTL_MS,
  POLICY_CHANNEL,
  PolicyConflictError,
  PolicyValidationError,
  policyChanges,
  type PolicyChange,
  type PolicyVersion,
} from './workspaces/messaging-policy-store';
export {
  AdminError,
  BOOTSTRAP_ACTOR,
  CLI_ACTOR,
  MAX_NAME_LENGTH,
  MAX_SLUG_LENGTH,
  TenantAdmin,
  apiKeyActor,
  isAdminScoped,
  validateId,
  validateName,
  validateScopes,
  validateSlug,
  type AdminActor,
  type AdminErrorCode,
  type AdminPage,
  type ApiKeyInfo,
  type KeyPosition,
  type WorkspaceInfo,
  type WriteKeyInfo,
} from './workspaces/tenant-admin';

// profiles: the customer record, identities, consent, erasure
export {
  ProfileStore,
  type ProfileIdentities,
  type ProfileEventPage,
  type ProfileEventRow,
  type ProfilePage,
  type ProfilePosition,
  type ProfileSearchCriteria,
  type ProfileSort,
  type ProfileSortField,
  likeLiteral,
} from './profiles/profile-store';
export { IdentityStore, ANONYMOUS_CUSTOMER_PREFIX, type Identity, type IdentityKind, type IdentityPosition, type ProfileMerge } from './profiles/identity-store';
export { ConsentStore, type ConsentRecord, type ConsentChangeRecord, type AppliedConsentChange } from './profiles/consent-store';
export { ErasureStore, erasedCustomerRef, type ErasureCounts } from './profiles/erasure-store';

// events: what customers do (tracking API, GraphQL)
export { EventStore, type AcceptedEvent, type EventType, type NewEvent } from './events/event-store';
export { ROUTING_PARTITIONS, RoutingLeaseStore } from './events/routing-lease-store';

// timeline: a customer's merged activity, and its live announcements
export {
  CustomerTimelineStore,
  type LiveTimelineRow,
  type TimelineKind,
  type TimelinePageOptions,
  type TimelinePosition,
  type TimelineRow,
} from './timeline/customer-timeline-store';
export { ActivityListener, ACTIVITY_CHANNEL, type ActivityListenerOptions, type ActivityNotice } from './timeline/activity-listener';

// journeys: the catalogue, instances and their journal, stats, operators' audit trail
export {
  JourneyCatalogueStore,
  type CatalogueEntry,
  type FirstEntryClaim,
  type InstanceCounts,
  type JourneyLifecycle,
  type WorkspaceJourney,
} from './journeys/journey-catalogue-store';
export { JournalStore, type JournalEntryRow, type JournalWrite } from './journeys/journal-store';
export {
  JourneyInstanceSearchStore,
  type InstancePosition,
  type JourneyInstanceFilter,
  type JourneyInstanceRow,
} from './journeys/journey-instance-search-store';
export { ExperimentStore, type ExperimentArmCounts, type ExperimentDeclaration, type ExperimentQuery, type MeasuredGoal } from './experiments/experiment-store';
export { goalFilterSql } from './experiments/goal-filter-sql';
export {
  differenceInterval,
  experimentStatistics,
  experimentWinner,
  twoProportionTest,
  wilsonInterval,
  zFor,
  type ArmInput,
  type ArmStatistics,
  type Interval,
  type WinnerRule,
} from './experiments/experiment-statistics';
export { JourneyStatsStore, type JourneyStats, type JourneyStatsQuery, type MessageChannelStats } from './journeys/journey-stats-store';
export { OperatorAuditStore, type OperatorAction, type OperatorAuditRow, type OperatorAuditWrite } from './journeys/operator-audit-store';

// messages: the outbox, send rates, transactional messages
export { lockMessageReferences, MESSAGE_REFERENCES, MessageStore, type FrequencyCap, type MessagePosition, type MessageRef, type OutboxClaim } from './messages/message-store';
export { SendRateLimiter } from './messages/send-rate-limiter';
export { ENGAGEMENT_EVENTS, EngagementStore, type Engagement, type EngagementQuery } from './messages/engagement-store';
export { IdempotencyConflictError, TransactionalStore, type TransactionalMessage, type TransactionalRequest, type TransactionalStatus } from './messages/transactional-store';

// templates
export { TemplateStore, type MessageTemplateVersion, type TemplatePosition, type TemplatePublication } from './templates/template-store';

// live: the change log resumable subscriptions replay
export { LiveChangeStore, LIVE_ORIGIN, type LiveChange, type LiveChangeFilter, type LivePosition, type LiveStream } from './live/live-change-store';

// inbox: in-app messages
export {
  InboxStore,
  InboxDeliveryConflictError,
  type InboxDelivery,
  type InboxListOptions,
  type InboxMessage,
  type InboxPage,
  type InboxPosition,
} from './inbox/inbox-store';
export { InboxListener, INBOX_CHANNEL, type InboxChange, type InboxListenerOptions, type InboxNotice } from './inbox/inbox-listener';

// audiences: audiences and broadcasts to them
export { AudienceStore, type Audience, type MembershipChange } from './audiences/audience-store';
export { AudienceDefinitionError, compileAudience, type AudienceCondition } from './audiences/audience-definition';
export {
  BroadcastStore,
  type Broadcast,
  type BroadcastProgress,
  type BroadcastRun,
  type BroadcastRow,
  type BroadcastPosition,
  type BroadcastRunStatus,
  type BroadcastSchedule,
  type BroadcastStatus,
  type NewBroadcast,
  type RecipientOutcome,
} from './audiences/broadcast-store';

// conversations: topics, their messages and events, the agents' console feed
export {
  ConversationStore,
  CONVERSATION_CHANNEL,
  type ClaimRefusal,
  type ContinuityMetrics,
  type ConversationMessage,
  type ConversationNotice,
  type ConversationPosition,
  type HistoryFilter,
  type Positioned,
  type QueueFilter,
  type Topic,
} from './conversations/conversation-store';
export { ConversationListener, type ConversationListenerOptions } from './conversations/conversation-listener';
export {
  KnowledgeStore,
  type IntentExample,
  type KnowledgeBaseEntry,
  type KnowledgeBaseEntryWrite,
  type KnowledgeFilter,
  type WorkspaceTrainingSet,
} from './conversations/knowledge-store';

// crypto: payload encryption keys (root → workspace → customer data key), crypto-shredding, the Temporal codec
export { DecryptionError, KEY_BYTES, LocalKms, type Kms } from './crypto/kms';
export { CustomerKeyStore, DataKeyDestroyedError, customerKeyRef, type DataKey } from './crypto/key-store';
export {
  CUSTOMER_ID_METADATA,
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  PAYLOAD_CUSTOMER_METADATA,
  PAYLOAD_WORKSPACE_METADATA,
  WORKSPACE_ID_METADATA,
  type DataKeySource,
  type EncryptionCodecOptions,
} from './crypto/encryption-codec';
export { createPayloadCodec, createPayloadEncryption } from './crypto/payload-codec';

// retention: monthly partitions of events and the journal, dropped past every workspace's retention
export {
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  PARTITIONED_TABLES,
  RetentionInputError,
  RetentionStore,
  parseRetentionDays,
  validateRetentionDays,
  type Partition,
  type RetentionOptions,
  type RetentionReport,
} from './retention/retention-store';
