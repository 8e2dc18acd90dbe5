import { InitialSchema1732320000000 } from './1732320000000-initial-schema';
import { JourneyCatalogue1732330000000 } from './1732330000000-journey-catalogue';
import { TrackingApi1732340000000 } from './1732340000000-tracking-api';
import { ProfileSearch1732350000000 } from './1732350000000-profile-search';
import { OperatorObservability1732370000000 } from './1732370000000-operator-observability';
import { IdentitiesConsent1732380000000 } from './1732380000000-identities-consent';
import { JourneyStats1732390000000 } from './1732390000000-journey-stats';
import { LiveUpdates1732400000000 } from './1732400000000-live-updates';
import { InAppInbox1732440000000 } from './1732440000000-in-app-inbox';
import { Templates1732410000000 } from './1732410000000-templates';
import { MessagingGovernance1732420000000 } from './1732420000000-messaging-governance';
import { OutboxSendAttempts1732430000000 } from './1732430000000-outbox-send-attempts';
import { TransactionalMessages1732450000000 } from './1732450000000-transactional-messages';
import { Audiences1732460000000 } from './1732460000000-audiences';
import { Broadcasts1732470000000 } from './1732470000000-broadcasts';
import { BroadcastRuns1732480000000 } from './1732480000000-broadcast-runs';
import { Conversations1732490000000 } from './1732490000000-conversations';
import { TopicEventsByTopic1732610000001 } from './1732610000001-topic-events-by-topic';
import { WorkspaceKnowledge1732620000000 } from './1732620000000-workspace-knowledge';
import { RequestSigningSecrets1732630000010 } from './1732630000010-request-signing-secrets';
import { SendTimeEngagement1732672000001 } from './1732672000001-send-time-engagement';
import { RoutingPartitions1732660000001 } from './1732660000001-routing-partitions';
import { OnceEntryInstance1732500000000 } from './1732500000000-once-entry-instance';
import { AwaitedDeliveries1732510000000 } from './1732510000000-awaited-deliveries';
import { BroadcastRunRecipients1732523000000 } from './1732523000000-broadcast-run-recipients';
import { ProfileSort1732527000000 } from './1732527000000-profile-sort';
import { OperatorAuditRun1732525000000 } from './1732525000000-operator-audit-run';
import { LiveChanges1732528000000 } from './1732528000000-live-changes';
import { AdminAudit1732529000000 } from './1732529000000-admin-audit';
import { CustomerKeys1732530000000 } from './1732530000000-customer-keys';
import { DestroyedKeyIds1732531000000 } from './1732531000000-destroyed-key-ids';
import { ExperimentAssignments1732640000001 } from './1732640000001-experiment-assignments';
import { MessagingPolicies1732674000001 } from './1732674000001-messaging-policies';
import { DoubleOptIn1732675000001 } from './1732675000001-double-opt-in';
import { InboundRefusals1732675000002 } from './1732675000002-inbound-refusals';
import { TopicReasked1732679000001 } from './1732679000001-topic-reasked';
import { MessagePartitions1732680000001 } from './1732680000001-message-partitions';
import { WebhookEndpointHealth1732681000001 } from './1732681000001-webhook-endpoint-health';
import { EventLanes1732682000001 } from './1732682000001-event-lanes';
import { WebhookEndpointDisabledEvent1732683000001 } from './1732683000001-webhook-endpoint-disabled-event';
import { OutboundWebhooks1732673000001 } from './1732673000001-outbound-webhooks';
import { TimePartitions1732671000001 } from './1732671000001-time-partitions';

export { DEFAULT_WORKSPACE_ID } from './1732320000000-initial-schema';
/** Every migration, oldest first. */
export const migrations = [
  InitialSchema1732320000000,
  JourneyCatalogue1732330000000,
  TrackingApi1732340000000,
  ProfileSearch1732350000000,
  OperatorObservability1732370000000,
  IdentitiesConsent1732380000000,
  JourneyStats1732390000000,
  LiveUpdates1732400000000,
  Templates1732410000000,
  MessagingGovernance1732420000000,
  OutboxSendAttempts1732430000000,
  InAppInbox1732440000000,
  TransactionalMessages1732450000000,
  Audiences1732460000000,
  Broadcasts1732470000000,
  BroadcastRuns1732480000000,
  Conversations1732490000000,
  OnceEntryInstance1732500000000,
  AwaitedDeliveries1732510000000,
  BroadcastRunRecipients1732523000000,
  ProfileSort1732527000000,
  OperatorAuditRun1732525000000,
  LiveChanges1732528000000,
  AdminAudit1732529000000,
  CustomerKeys1732530000000,
  DestroyedKeyIds1732531000000,
  TopicEventsByTopic1732610000001,
  WorkspaceKnowledge1732620000000,
  RequestSigningSecrets1732630000010,
  ExperimentAssignments1732640000001,
  RoutingPartitions1732660000001,
  TimePartitions1732671000001,
  SendTimeEngagement1732672000001,
  OutboundWebhooks1732673000001,
  MessagingPolicies1732674000001,
  DoubleOptIn1732675000001,
  InboundRefusals1732675000002,
  TopicReasked1732679000001,
  MessagePartitions1732680000001,
  WebhookEndpointHealth1732681000001,
  EventLanes1732682000001,
  WebhookEndpointDisabledEvent1732683000001,
];
