import { createConversationActivities, STOCK_LOOKUP_PARAMS, type StockLookupParams } from '@continuum/activities-conversations';
import { createExperimentActivities, createJournalActivities, type JournalObserver } from '@continuum/activities-journal';
import { createLookupActivities } from '@continuum/activities-lookups';
import { createBroadcastActivities, createMessagingActivities, createTemplateBodyRenderer, createTransactionalActivities, type EmailProvider, type InAppProvider, type MessageProvider, type SendObserver } from '@continuum/activities-messaging';
import { createProfileActivities, createSendTimeActivities } from '@continuum/activities-profiles';
import { createRequestActivities, createWebhookActivities } from '@continuum/activities-requests';
import { globalMessagingPolicy, type WorkerConfig } from '@continuum/config';
import { REGION_TIME_ZONES, effectiveRules, frequencyCapRules, voiceOf, type Voice } from '@continuum/domain';
import type { JourneyDescriptor, LookupDefinition, LookupResult } from '@continuum/contracts';
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
  MessagingPolicies,
  MessagingPolicyStore,
  MessageStore,
  ProfileStore,
  RequestSigningSecretStore,
  SendRateLimiter,
  TemplateStore,
  TransactionalStore,
  WebhookStore,
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
  /** Workspaces' messaging policies (default: a store of its own, without NOTIFY: copies live POLICY_CACHE_TTL_MS). */
  policyStore?: MessagingPolicyStore;
}) {
  const { dataSource, config, observer } = deps;
  const lookups = createLookupActivities({
    warehouse: deps.warehouse,
    lookups: deps.lookups ?? workspaceLookups,
    defaults: { timeoutMs: config.LOOKUP_TIMEOUT_MS, maxRows: config.LOOKUP_MAX_ROWS },
  });
  const stock = stockLookup(config.CONVERSATION_STOCK_LOOKUP, deps.lookups ?? workspaceLookups, lookups);
  const keys = createPayloadEncryption(dataSource, config.CONTINUUM_ROOT_KEY, config.CONTINUUM_PREVIOUS_ROOT_KEYS)?.keys;
  const identities = new IdentityStore(dataSource);
  const messages = new MessageStore(dataSource);
  const callbackBase = config.STATUS_CALLBACK_BASE_URL?.replace(/\/$/, '');
  const limiter = new SendRateLimiter(dataSource);
  // The governance policy: the env is its global layer, each workspace's saved policy goes over it.
  const policies = new MessagingPolicies(deps.policyStore ?? new MessagingPolicyStore(dataSource), globalMessagingPolicy(config), { ...REGION_TIME_ZONES });
  const messagingPolicy = (workspaceId: string) => policies.forSending(workspaceId);
  const profiles = new ProfileStore(dataSource);
  // The voice of the customer's country in the workspace's policy (cached with the policy), for templates and agents.
  const voiceFor = async (workspaceId: string, customerId: string): Promise<Voice> => {
    const { document } = await policies.store.inForce(workspaceId);
    const byCountry = Object.values(document?.countries ?? {}).some((rules) => rules.voice !== undefined);
    const country = byCountry ? ((await profiles.get(workspaceId, customerId))?.country ?? undefined) : undefined;
    return voiceOf(effectiveRules(policies.global, document, country).voice);
  };
  const messaging = createMessagingActivities({
    messages,
    consents: new ConsentStore(dataSource),
    frequencyCaps: config.FREQUENCY_CAPS,
    // The customer's country picks the rules only when the workspace's policy has country overrides.
    policyFor: async (workspaceId, customerId) => {
      const { document } = await policies.store.inForce(workspaceId);
      if (!document) return undefined;
      const country = Object.keys(document.countries ?? {}).length > 0 ? ((await profiles.get(workspaceId, customerId))?.country ?? undefined) : undefined;
      const rules = effectiveRules(policies.global, document, country);
      return { frequencyCaps: frequencyCapRules(rules.frequencyCaps), senders: rules.senders ?? {}, consent: rules.consent ?? {} };
    },
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
    renderBody: createTemplateBodyRenderer({ templates: new TemplateStore(dataSource), profiles: new ProfileStore(dataSource), voiceFor }),
  });
  const profileActivities = createProfileActivities({
    profiles: new ProfileStore(dataSource),
    catalogue: new JourneyCatalogueStore(dataSource),
    descriptors: deps.descriptors ?? journeyDescriptors(),
    // Deployment-wide defaults from env (demos, tests); a workspace's own settings still win.
    settingDefaults: { 'abandoned-cart': { idleTimeout: config.ABANDONED_CART_IDLE_TIMEOUT } },
    messagingPolicy,
  });
  return {
    ...createJournalActivities({ journal: new JournalStore(dataSource), observer }),
    ...createExperimentActivities({ experiments: new ExperimentStore(dataSource) }),
    ...profileActivities,
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
    ...createTransactionalActivities({ transactional: new TransactionalStore(dataSource), getProfile: profileActivities.getProfile, sendMessage: messaging.sendMessage }),
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
      ...(stock ? { stock } : {}),
      voiceFor,
    }),
    ...lookups,
    ...createRequestActivities({
      // Sealed under each workspace's own data key when payload encryption is on.
      secrets: new RequestSigningSecretStore(dataSource, keys),
      policy: { allowedNetworks: config.EGRESS_ALLOWED_NETWORKS },
      maxResponseBytes: config.EGRESS_MAX_RESPONSE_BYTES,
      defaultTimeoutMs: config.EGRESS_TIMEOUT_MS,
    }),
    ...createWebhookActivities({
      webhooks: new WebhookStore(dataSource, keys),
      policy: { allowedNetworks: config.EGRESS_ALLOWED_NETWORKS },
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: config.EGRESS_MAX_RESPONSE_BYTES,
      disableAfterMs: config.WEBHOOK_DISABLE_AFTER_MS,
    }),
  };
}

/**
 * The sales agent's stock reader: the catalogued lookup CONVERSATION_STOCK_LOOKUP names, given the
 * parameters it declares among `workspace_id`, `text`, `size`, `product`. A name the catalogue lacks,
 * or a lookup wanting other parameters, stops the worker at start with what to fix.
 */
export function stockLookup(
  name: string | undefined,
  catalogue: LookupDefinition[],
  runner: ReturnType<typeof createLookupActivities>,
): ((params: StockLookupParams) => Promise<LookupResult>) | undefined {
  if (!name) return undefined;
  const lookup = catalogue.find((candidate) => candidate.name === name);
  if (!lookup) throw new Error(`CONVERSATION_STOCK_LOOKUP names "${name}", which is not in the lookup catalogue (known: ${catalogue.map((each) => each.name).join(', ') || 'none'})`);
  const unknown = lookup.params.filter((param) => !(STOCK_LOOKUP_PARAMS as readonly string[]).includes(param));
  if (unknown.length > 0) {
    throw new Error(`CONVERSATION_STOCK_LOOKUP: lookup "${name}" takes ${unknown.join(', ')}; a stock lookup may take only ${STOCK_LOOKUP_PARAMS.join(', ')}`);
  }
  return (params) => runner.runLookup({ name, params: Object.fromEntries(lookup.params.map((param) => [param, params[param as keyof StockLookupParams]])) });
}
