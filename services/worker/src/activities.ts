import { createConversationActivities } from '@continuum/activities-conversations';
import { createExperimentActivities, createJournalActivities, type JournalObserver } from '@continuum/activities-journal';
import { createLookupActivities } from '@continuum/activities-lookups';
import { createBroadcastActivities, createMessagingActivities, createTemplateBodyRenderer, createTransactionalActivities, type EmailProvider, type InAppProvider, type MessageProvider, type SendObserver } from '@continuum/activities-messaging';
import { createProfileActivities, createSendTimeActivities } from '@continuum/activities-profiles';
import { createRequestActivities } from '@continuum/activities-requests';
import type { WorkerConfig } from '@continuum/config';
import { REGION_TIME_ZONES } from '@continuum/domain';
import type { JourneyDescriptor, LookupDefinition } from '@continuum/contracts';
import {
  AudienceStore,
  BroadcastStore,
  ConsentStore,
  ConversationStore,
  EngagementStore,
  ExperimentStore,
  IdentityStore,
  InboxStore,
  JournalStore,
  JourneyCatalogueStore,
  KnowledgeStore,
  MessageStore,
  ProfileStore,
  RequestSigningSecretStore,
  SendRateLimiter,
  TemplateStore,
  TransactionalStore,
  createPayloadEncryption,
  type DataSource,
  type Warehouse,
} from '@continuum/data';
import { workspaceLookups } from '@continuum/journeys/lookups';
import { journeyDescriptors } from './journey-descriptors';

/** Told about journal entries and provider calls: the worker's metrics and logs. */
export type ActivityObserver = JournalObserver & SendObserver;

/**
 * The composition root of activities: real stores on PostgreSQL, the real SMS provider and the
 * warehouse for lookups (owned, and closed, by the caller; undefined when WAREHOUSE_URL is unset).
 */
export function buildActivities(deps: {
  dataSource: DataSource;
  /** Twilio's Messages API: SMS, MMS, WhatsApp, RCS. */
  twilio: MessageProvider;
  /** SendGrid (unset: email sends fail as not configured). */
  email?: EmailProvider;
  /** The in-app inbox (default: the inbox in PostgreSQL). */
  inApp?: InAppProvider;
  config: WorkerConfig;
  descriptors?: JourneyDescriptor[];
  warehouse?: Warehouse;
  /** Default: the workspace's lookup catalogue (workflows/journeys/src/lookups.ts). */
  lookups?: LookupDefinition[];
  observer?: ActivityObserver;
}) {
  const { dataSource, config, observer } = deps;
  const identities = new IdentityStore(dataSource);
  const messages = new MessageStore(dataSource);
  const callbackBase = config.STATUS_CALLBACK_BASE_URL?.replace(/\/$/, '');
  const limiter = new SendRateLimiter(dataSource);
  const messagingPolicy = {
    quietHours: { ...config.QUIET_HOURS, mode: config.QUIET_HOURS_MODE },
    regionTimeZones: { ...REGION_TIME_ZONES },
    workspaceTimeZone: config.WORKSPACE_TIME_ZONE,
    channelDefaults: config.CHANNEL_DEFAULTS,
  };
  const messaging = createMessagingActivities({
    messages,
    consents: new ConsentStore(dataSource),
    frequencyCaps: config.FREQUENCY_CAPS,
    rateLimit: { limiter, messagesPerSecond: config.SEND_RATE_PER_SECOND },
    twilio: deps.twilio,
    email: deps.email,
    inApp: deps.inApp ?? new InboxStore(dataSource),
    senders: {
      sms: config.TWILIO_FROM_NUMBER,
      whatsapp: config.TWILIO_WHATSAPP_FROM,
      messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
      email: config.EMAIL_FROM ? { email: config.EMAIL_FROM, ...(config.EMAIL_FROM_NAME ? { name: config.EMAIL_FROM_NAME } : {}) } : undefined,
    },
    addressOf: (workspaceId, customerId, channel) =>
      identities.addressOf(workspaceId, customerId, channel === 'email' ? ['email'] : channel === 'whatsapp' ? ['whatsapp', 'phone'] : ['phone']),
    lastInboundAt: (workspaceId, customerId, channel) => messages.lastInboundAt(workspaceId, customerId, channel),
    statusCallbackUrl: callbackBase ? `${callbackBase}/webhooks/twilio/status` : undefined,
    observer,
    renderBody: createTemplateBodyRenderer({ templates: new TemplateStore(dataSource), profiles: new ProfileStore(dataSource) }),
  });
  return {
    ...createJournalActivities({ journal: new JournalStore(dataSource), observer }),
    ...createExperimentActivities({ experiments: new ExperimentStore(dataSource) }),
    ...createProfileActivities({
      profiles: new ProfileStore(dataSource),
      catalogue: new JourneyCatalogueStore(dataSource),
      descriptors: deps.descriptors ?? journeyDescriptors(),
      // Deployment-wide defaults from env (demos, tests); a workspace's own settings still win.
      settingDefaults: { 'abandoned-cart': { idleTimeout: config.ABANDONED_CART_IDLE_TIMEOUT } },
      messagingPolicy,
    }),
    ...createSendTimeActivities({ engagements: new EngagementStore(dataSource), profiles: new ProfileStore(dataSource), policy: messagingPolicy }),
    ...messaging,
    ...createBroadcastActivities({
      audiences: new AudienceStore(dataSource),
      broadcasts: new BroadcastStore(dataSource),
      profiles: new ProfileStore(dataSource),
      messaging,
      limiter,
      policy: messagingPolicy,
      // Journey broadcasts enrol members on this worker's task queue, where its journeys run.
      journeys: { catalogue: new JourneyCatalogueStore(dataSource), taskQueue: config.TEMPORAL_TASK_QUEUE },
    }),
    ...createTransactionalActivities({ transactional: new TransactionalStore(dataSource) }),
    ...createConversationActivities({
      conversations: new ConversationStore(dataSource),
      profiles: new ProfileStore(dataSource),
      ...(config.INTENT_MODEL_URL
        ? { model: { url: config.INTENT_MODEL_URL, timeoutMs: config.INTENT_MODEL_TIMEOUT_MS, ...(config.INTENT_MODEL_TOKEN ? { token: config.INTENT_MODEL_TOKEN } : {}) } }
        : {}),
      vipTrait: config.CONVERSATION_VIP_TRAIT,
      escalationKeywords: config.CONVERSATION_ESCALATION_KEYWORDS,
      reopenWithinDays: config.CONVERSATION_REOPEN_DAYS,
      knowledge: new KnowledgeStore(dataSource),
      knowledgeCheckMs: config.CONVERSATION_KNOWLEDGE_CHECK_MS,
    }),
    ...createLookupActivities({
      warehouse: deps.warehouse,
      lookups: deps.lookups ?? workspaceLookups,
      defaults: { timeoutMs: config.LOOKUP_TIMEOUT_MS, maxRows: config.LOOKUP_MAX_ROWS },
    }),
    ...createRequestActivities({
      // Sealed under each workspace's own data key when payload encryption is on.
      secrets: new RequestSigningSecretStore(dataSource, createPayloadEncryption(dataSource, config.CONTINUUM_ROOT_KEY, config.CONTINUUM_PREVIOUS_ROOT_KEYS)?.keys),
      policy: { allowedNetworks: config.EGRESS_ALLOWED_NETWORKS },
      maxResponseBytes: config.EGRESS_MAX_RESPONSE_BYTES,
      defaultTimeoutMs: config.EGRESS_TIMEOUT_MS,
    }),
  };
}
