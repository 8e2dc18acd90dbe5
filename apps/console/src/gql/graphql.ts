/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format. */
  DateTime: { input: string; output: string; }
  /** A JSON object, e.g. event properties or profile traits */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
  /** Any JSON value: an object, a list, a string, a number, a boolean or null (e.g. the value of one messaging policy rule) */
  JSONValue: { input: any; output: any; }
};

/** Messages to learn as one intent in one language */
export type AddIntentExamplesInput = {
  /** What the messages mean (Any MessageIntent but UNKNOWN) */
  intent: MessageIntent;
  /** The language: en, pt-BR or es */
  locale: Scalars['String']['input'];
  /** The messages, as customers write them: 1–100 texts of 1–300 characters (trimmed; one the workspace already has is not added again) */
  texts: Array<Scalars['String']['input']>;
};

/** Two identities of one customer (Segment alias); stored for identity resolution */
export type AliasInput = {
  /** Segment context, e.g. {"ip":"…","locale":"pt-BR"} */
  context?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Segment integrations settings, stored with the event as given */
  integrations?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Deduplication id (default: a new UUID); a repeated id is stored once */
  messageId?: InputMaybe<Scalars['String']['input']>;
  /** The identity the customer had before, e.g. an anonymousId */
  previousId: Scalars['String']['input'];
  /** When it happened (default: now) */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The new identity */
  userId: Scalars['String']['input'];
};

/** A scope an API key holds: which root fields it may call (docs/api/auth.md) */
export type ApiKeyScope =
  /** Tenant administration: workspaces, API keys and source write keys */
  | 'ADMIN'
  /** The agent desk: its queue, topics and conversations */
  | 'AGENT'
  /** Every scope, including any added later (stored as "*"); alone when given */
  | 'ALL'
  /** Journey lifecycle, operator actions, templates, audiences, broadcasts, sends and erasure */
  | 'OPERATE'
  /** Every query and subscription that reads data */
  | 'READ'
  /** The tracking mutations, consent and inbox marks: what an app or a Segment source sends */
  | 'TRACK';

/** An inbox message to archive */
export type ArchiveInboxMessageInput = {
  /** The global id of the InboxMessage */
  id: Scalars['ID']['input'];
};

/** Which journey to archive */
export type ArchiveJourneyInput = {
  /** The journey: the global id of a Journey (Journey.id) */
  id: Scalars['ID']['input'];
};

/** An audience definition: exactly one condition, combined with all / any / not (at most 8 levels deep, 50 conditions in all), e.g. { all: [{ trait: { name: "country", eq: { string: "BR" } } }, { event: { name: "Order Completed", atLeast: 2, within: "90 days" } }, { not: { event: { name: "Churned" } } }] } */
export type AudienceConditionInput =
  /** Every one of these conditions (at least one) */
  { all: Array<AudienceConditionInput>; any?: never; consent?: never; event?: never; identity?: never; not?: never; trait?: never; }
  |  /** Any one of these conditions (at least one) */
  { all?: never; any: Array<AudienceConditionInput>; consent?: never; event?: never; identity?: never; not?: never; trait?: never; }
  |  /** A consent choice */
  { all?: never; any?: never; consent: ConsentConditionInput; event?: never; identity?: never; not?: never; trait?: never; }
  |  /** A count of track events, optionally within a time window */
  { all?: never; any?: never; consent?: never; event: EventConditionInput; identity?: never; not?: never; trait?: never; }
  |  /** The customer has an identity of this kind */
  { all?: never; any?: never; consent?: never; event?: never; identity: IdentityKind; not?: never; trait?: never; }
  |  /** Not this condition */
  { all?: never; any?: never; consent?: never; event?: never; identity?: never; not: AudienceConditionInput; trait?: never; }
  |  /** A trait compared with a value */
  { all?: never; any?: never; consent?: never; event?: never; identity?: never; not?: never; trait: TraitConditionInput; };

/** One message of a batch: the fields of its call type */
export type BatchEventInput = {
  /** An id for a customer not known yet, e.g. a device id; required when there is no userId */
  anonymousId?: InputMaybe<Scalars['String']['input']>;
  /** page, screen */
  category?: InputMaybe<Scalars['String']['input']>;
  /** Segment context, e.g. {"ip":"…","locale":"pt-BR"} */
  context?: InputMaybe<Scalars['JSONObject']['input']>;
  /** track: the event name */
  event?: InputMaybe<Scalars['String']['input']>;
  /** group */
  groupId?: InputMaybe<Scalars['String']['input']>;
  /** Segment integrations settings, stored with the event as given */
  integrations?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Deduplication id (default: a new UUID); a repeated id is stored once */
  messageId?: InputMaybe<Scalars['String']['input']>;
  /** page, screen: the name */
  name?: InputMaybe<Scalars['String']['input']>;
  /** alias */
  previousId?: InputMaybe<Scalars['String']['input']>;
  /** track, page, screen */
  properties?: InputMaybe<Scalars['JSONObject']['input']>;
  /** When it happened (default: now) */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** identify, group */
  traits?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Which call it is; decides which of the fields below apply */
  type: TrackingCall;
  /** The customer; without it the profile is anon:<anonymousId> */
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** Several messages at once (Segment batch): all are stored, in order, or none */
export type BatchInput = {
  /** The messages, in order (at most 32 KB each, 500 KB in all) */
  batch: Array<BatchEventInput>;
  /** Context under every message */
  context?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Integrations settings under every message (a message's own keys win) */
  integrations?: InputMaybe<Scalars['JSONObject']['input']>;
  /** The sender's clock when sending: timestamps are corrected for its skew */
  sentAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** TEMPLATE: a message to each member; JOURNEY: each member enters a journey */
export type BroadcastKind =
  /** Each member enters a journey through its entry event */
  | 'JOURNEY'
  /** Each member is sent a template on one channel */
  | 'TEMPLATE';

/** Where one run of a broadcast stands */
export type BroadcastRunStatus =
  /** Stopped for good: members not reached yet get nothing (final) */
  | 'CANCELLED'
  /** Every member of the audience has been reached (final) */
  | 'COMPLETED'
  /** Stopped at its next member until the broadcast is resumed */
  | 'PAUSED'
  /** Reaching the members, page by page */
  | 'RUNNING';

/** When a recurring broadcast runs: a cron expression or calendar fields, in an IANA time zone */
export type BroadcastScheduleInput = {
  /** Calendar fields instead of cron (give exactly one of the two) */
  calendar?: InputMaybe<CalendarFieldsInput>;
  /** Five fields: minute hour day-of-month month day-of-week (e.g. "0 9 * * MON"), or @daily, @weekly, … */
  cron?: InputMaybe<Scalars['String']['input']>;
  /** IANA time zone the times are in, e.g. America/Sao_Paulo */
  timeZone: Scalars['String']['input'];
};

/** A one-off broadcast is its run: RUNNING, PAUSED, CANCELLED or COMPLETED; a recurring one is SCHEDULED, PAUSED or CANCELLED */
export type BroadcastStatus =
  /** Cancelled by cancelBroadcast: nothing more is sent (final) */
  | 'CANCELLED'
  /** One-off: its run has reached every member (final) */
  | 'COMPLETED'
  /** Paused by pauseBroadcast: no run starts, the run in flight waits; resumeBroadcast goes on */
  | 'PAUSED'
  /** One-off: its run is reaching the members */
  | 'RUNNING'
  /** Recurring: a run starts at each occurrence of its schedule */
  | 'SCHEDULED';

/** What happened to a run of a broadcast */
export type BroadcastUpdateKind =
  /** The run was cancelled */
  | 'CANCELLED'
  /** The run completed: every member has an outcome */
  | 'FINISHED'
  /** The run was paused */
  | 'PAUSED'
  /** Members of the run got an outcome (a batch was sent, entered, skipped, failed or queued, or queued members were settled) */
  | 'PROGRESSED'
  /** The run was resumed after a pause */
  | 'RESUMED'
  /** The run started (a one-off broadcast once, a scheduled one at each occurrence) */
  | 'STARTED';

/** Calendar fields in cron field syntax (9, 1-5, *\/15, MON-FRI, 1,15); absent: second, minute and hour 0, the others every value. Every field must match. */
export type CalendarFieldsInput = {
  /** 1-31 (default every day) */
  dayOfMonth?: InputMaybe<Scalars['String']['input']>;
  /** 0-7 or SUN-SAT (0 and 7 are Sunday) */
  dayOfWeek?: InputMaybe<Scalars['String']['input']>;
  /** 0-23 (default 0) */
  hour?: InputMaybe<Scalars['String']['input']>;
  /** 0-59 (default 0) */
  minute?: InputMaybe<Scalars['String']['input']>;
  /** 1-12 or JAN-DEC */
  month?: InputMaybe<Scalars['String']['input']>;
  /** 0-59 (default 0) */
  second?: InputMaybe<Scalars['String']['input']>;
};

/** The broadcast to cancel */
export type CancelBroadcastInput = {
  /** Global id of the broadcast */
  id: Scalars['ID']['input'];
};

/** A channel Continuum reaches customers on */
export type Channel =
  /** Email to an email address */
  | 'EMAIL'
  /** Message in the customer's in-app inbox */
  | 'IN_APP'
  /** Multimedia message to a phone number; consent for MMS is the consent for SMS */
  | 'MMS'
  /** RCS business message to a phone number */
  | 'RCS'
  /** Text message to a phone number */
  | 'SMS'
  /** WhatsApp message to a WhatsApp number */
  | 'WHATSAPP';

/** An escalated topic to take */
export type ClaimTopicInput = {
  /** The person acting (their name or login, as your agent console knows them): 1–100 letters, digits, spaces, ".", "_", "@" or "-" */
  agent: Scalars['String']['input'];
  /** The topic (the global id of a ConversationTopic) */
  topicId: Scalars['ID']['input'];
};

/** The customer's consent choice for one channel and purpose */
export type ConsentConditionInput = {
  /** The channel (SMS, WHATSAPP, RCS, EMAIL or IN_APP; consent for MMS is the consent for SMS) */
  channel: Channel;
  /** The purpose (default marketing) */
  purpose?: InputMaybe<Scalars['String']['input']>;
  /** The choice on record (UNKNOWN: none) */
  status: ConsentStatus;
};

/** UNKNOWN: the customer never chose (or the choice was forgotten) */
export type ConsentStatus =
  /** Granted where the policy asks for double opt-in: waits for the customer to confirm (reply YES); marketing sends are skipped until then */
  | 'PENDING'
  /** The customer agreed to receive messages */
  | 'SUBSCRIBED'
  /** No choice on record */
  | 'UNKNOWN'
  /** The customer refused or opted out */
  | 'UNSUBSCRIBED';

/** What changed in a conversation */
export type ConversationUpdateKind =
  /** A message came in, a reply went out, or a reply changed status */
  | 'MESSAGE'
  /** A topic was opened, escalated, claimed, handed back, resolved or reopened */
  | 'TOPIC';

/** A new API key */
export type CreateApiKeyInput = {
  /** What the key is for: 1 to 100 characters, trimmed */
  name: Scalars['String']['input'];
  /** The scopes it holds: at least one; ALL alone when given */
  scopes: Array<ApiKeyScope>;
  /** The workspace's id; omitted: the caller's own (only an operator workspace key may name another) */
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};

/** A template sent to, or a journey started for, every member of an audience: once, or on a schedule */
export type CreateBroadcastInput = {
  /** Name of the audience (its current members, read page by page as each run goes); inputs name an audience by its name */
  audienceName: Scalars['String']['input'];
  /** The template's channel (default SMS) */
  channel?: InputMaybe<Channel>;
  /** Journey broadcasts: the entry event each member's instance starts with (default: the journey's first entry event) */
  entryEvent?: InputMaybe<Scalars['String']['input']>;
  /** A journey of the catalogue each member enters, as through its entry event (or give template) */
  journeyId?: InputMaybe<Scalars['String']['input']>;
  /** A name for people to recognise it by (1 to 200 characters; need not be unique) */
  name: Scalars['String']['input'];
  /** Journey broadcasts: the entry event's properties (a journey keyed by properties.<name> reads its instance key here) */
  properties?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Template broadcasts: members inside their quiet hours are queued until they end (QUEUE, the default) or skipped (SKIP) */
  quietHours?: InputMaybe<QuietHoursMode>;
  /** Messages (or journey entries) per second for this broadcast (the sender rate still applies) */
  ratePerSecond: Scalars['Float']['input'];
  /** Run on this schedule (a Temporal Schedule) instead of once, now */
  schedule?: InputMaybe<BroadcastScheduleInput>;
  /** A published template for the channel, rendered per member against { profile, broadcast } (or give journeyId) */
  template?: InputMaybe<Scalars['String']['input']>;
};

/** A new webhook endpoint */
export type CreateWebhookEndpointInput = {
  /** What it is for (at most 500 characters); omitted: empty */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Whether it receives events at once; omitted: true */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** The event types to receive (at least one) */
  eventTypes: Array<WebhookEvent>;
  /** Where to POST events: https (at most 2048 characters); http only to a non-public address EGRESS_ALLOWED_NETWORKS allows */
  url: Scalars['String']['input'];
};

/** A new workspace */
export type CreateWorkspaceInput = {
  /** Display name: 1 to 100 characters, trimmed */
  name: Scalars['String']['input'];
  /** Unique handle: 1 to 63 of a-z, 0-9 and "-", starting with a letter or digit */
  slug: Scalars['String']['input'];
};

/** A new source write key */
export type CreateWriteKeyInput = {
  /** The source it is for: 1 to 100 characters, trimmed */
  name: Scalars['String']['input'];
  /** The workspace's id; omitted: the caller's own (only an operator workspace key may name another) */
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};

/** The audience to delete */
export type DeleteAudienceInput = {
  /** Name of the audience */
  name: Scalars['String']['input'];
};

/** An intent example to delete */
export type DeleteIntentExampleInput = {
  /** The global id of the IntentExample */
  id: Scalars['ID']['input'];
};

/** A knowledge-base entry to delete */
export type DeleteKnowledgeBaseEntryInput = {
  /** The global id of the KnowledgeBaseEntry */
  id: Scalars['ID']['input'];
};

/** The customer to erase */
export type DeleteProfileInput = {
  /** The customer (userId); NOT_FOUND when unknown */
  userId: Scalars['String']['input'];
};

/** The webhook endpoint to delete */
export type DeleteWebhookEndpointInput = {
  /** The endpoint */
  id: Scalars['ID']['input'];
};

/** A track event to hand to one active instance */
export type DeliverEventToInstanceInput = {
  /** The event, stored as an event of the instance's customer */
  event: OperatorEventInput;
  /** The instance: the global id of a JourneyInstance (one run) */
  id: Scalars['ID']['input'];
};

/** Which active instance to end, why, and how */
export type EndJourneyInstanceInput = {
  /** The instance: the global id of a JourneyInstance (one run) */
  id: Scalars['ID']['input'];
  /** Why, kept in the audit trail (and the signal); 1 to 500 characters */
  reason: Scalars['String']['input'];
  /** Terminate the workflow instead of signalling it to exit (for an instance whose code cannot run) */
  terminate?: Scalars['Boolean']['input'];
};

/** Why a topic went to a person */
export type EscalationReason =
  /** The customer asked for a person */
  | 'ASKED_FOR_PERSON'
  /** The customer wrote a configured escalation keyword (CONVERSATION_ESCALATION_KEYWORDS); see escalationKeyword */
  | 'KEYWORD'
  /** The automated agent did not understand the customer twice in a row */
  | 'NOT_UNDERSTOOD_TWICE'
  /** The customer wrote a second strongly negative message in the topic (sentiment) */
  | 'UPSET'
  /** The customer is a VIP (CONVERSATION_VIP_TRAIT) */
  | 'VIP';

/** How many times the customer sent a track event, by event time */
export type EventConditionInput = {
  /** At least this many (default 1; 0 with atMost) */
  atLeast?: InputMaybe<Scalars['Int']['input']>;
  /** At most this many (default: no upper bound) */
  atMost?: InputMaybe<Scalars['Int']['input']>;
  /** The track event name, e.g. "Order Completed" */
  name: Scalars['String']['input'];
  /** Only events within this long before now, e.g. "90 days" (default: all time) */
  within?: InputMaybe<Scalars['String']['input']>;
};

/** A conversion goal: an event by the customer within a time after being assigned a variant */
export type ExperimentGoalInput = {
  /** The goal event name, e.g. "Order Completed" */
  event: Scalars['String']['input'];
  /** The attribution window: how long after the assignment the goal counts, e.g. "7 days", "12h" */
  within: Scalars['String']['input'];
};

/** A conversion goal: an event by the customer within a time after a message of the instance was sent */
export type GoalInput = {
  /** The goal event name, e.g. "Order Completed" */
  event: Scalars['String']['input'];
  /** How long after a sent message the goal counts, e.g. "7 days", "12h" */
  within: Scalars['String']['input'];
};

/** Where the conversion goal measured came from */
export type GoalSource =
  /** The goal argument of the query */
  | 'ARGUMENT'
  /** The experiment's own goal, as its latest assignment journaled it (journey.experiment's goal and within) */
  | 'EXPERIMENT'
  /** The journey's declared goal (defineJourney's goal, in the catalogue) */
  | 'JOURNEY';

/** The customer joins a group, e.g. an account (Segment group) */
export type GroupInput = {
  /** An id for a customer not known yet, e.g. a device id; required when there is no userId */
  anonymousId?: InputMaybe<Scalars['String']['input']>;
  /** Segment context, e.g. {"ip":"…","locale":"pt-BR"} */
  context?: InputMaybe<Scalars['JSONObject']['input']>;
  /** The group, e.g. an account id */
  groupId: Scalars['String']['input'];
  /** Segment integrations settings, stored with the event as given */
  integrations?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Deduplication id (default: a new UUID); a repeated id is stored once */
  messageId?: InputMaybe<Scalars['String']['input']>;
  /** When it happened (default: now) */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The group's traits */
  traits?: InputMaybe<Scalars['JSONObject']['input']>;
  /** The customer; without it the profile is anon:<anonymousId> */
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** A held topic to hand back to automation */
export type HandBackTopicInput = {
  /** The person acting (their name or login, as your agent console knows them): 1–100 letters, digits, spaces, ".", "_", "@" or "-"; they must hold the topic */
  agent: Scalars['String']['input'];
  /** The topic (the global id of a ConversationTopic) */
  topicId: Scalars['ID']['input'];
};

/** Who a customer is: traits merge into the profile (null removes a trait) */
export type IdentifyInput = {
  /** The anonymous id the customer had before (e.g. a device id): that anonymous customer, with its events and journeys, is merged into this one */
  anonymousId?: InputMaybe<Scalars['String']['input']>;
  /** Deduplication id; a repeated id is applied once */
  messageId?: InputMaybe<Scalars['String']['input']>;
  /** When the call happened; default: when the gateway receives it */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** e.g. {"first_name":"Ana","phone":"+5511912345678","timezone":"America/Sao_Paulo","locale":"pt-BR","consent":{"sms":"subscribed"}} */
  traits: Scalars['JSONObject']['input'];
  /** The id the workspace knows the customer by */
  userId: Scalars['String']['input'];
};

/** What an identity value is */
export type IdentityKind =
  /** An id from before the customer identified, e.g. a device id */
  | 'ANONYMOUS_ID'
  /** An email address */
  | 'EMAIL'
  /** A phone number in E.164 */
  | 'PHONE'
  /** The id the workspace knows the customer by */
  | 'USER_ID'
  /** A WhatsApp number in E.164 */
  | 'WHATSAPP';

/** What happened to an inbox message */
export type InboxUpdateKind =
  /** It was archived */
  | 'ARCHIVED'
  /** It arrived in the inbox */
  | 'DELIVERED'
  /** It was marked read */
  | 'READ';

/** What a journal entry of a journey instance records */
export type JournalEntryKind =
  /** A branch or split chose its path */
  | 'BRANCH_TAKEN'
  /** A message went out on another channel after the first one failed */
  | 'CHANNEL_FALLBACK'
  /** The instance reached the end of the journey */
  | 'COMPLETED'
  /** A value offered to the instance context was refused (too large, not JSON) */
  | 'CONTEXT_REJECTED'
  /** The instance's customer was merged into another profile */
  | 'CUSTOMER_MERGED'
  /** The instance entered the journey (its first entry) */
  | 'ENTERED'
  /** The instance accepted an event of its customer */
  | 'EVENT_RECEIVED'
  /** The instance left the journey early */
  | 'EXITED'
  /** An experiment assigned the customer a variant, or its control group (which is sent nothing from then on) */
  | 'EXPERIMENT_ASSIGNED'
  /** A lookup of outside data failed */
  | 'LOOKUP_FAILED'
  /** A message could not be sent */
  | 'MESSAGE_FAILED'
  /** A message was handed to the provider */
  | 'MESSAGE_SENT'
  /** A message was not sent on purpose (no consent, frequency cap, quiet hours, no address) */
  | 'MESSAGE_SKIPPED'
  /** The provider reported a new status of a sent message */
  | 'MESSAGE_STATUS'
  /** An HTTP request step got a response (its status and attempts in the detail) */
  | 'REQUEST_COMPLETED'
  /** An HTTP request step got no usable response: refused, timed out, failed after its retries, or an error status */
  | 'REQUEST_FAILED'
  /** A send waits while the journey is paused */
  | 'SEND_HELD'
  /** An event restarted the timer of a running wait */
  | 'TIMER_RESET'
  /** A wait ended: its event came, or its time was up */
  | 'WAIT_ENDED'
  /** A wait began (for an event, for idleness, for a time) */
  | 'WAIT_STARTED';

/** Every criterion given must match; none lists every instance of the workspace */
export type JourneyInstanceFilterInput = {
  /** Entered at or after this time */
  enteredAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Entered before this time */
  enteredBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only instances of this journey (its key in the catalogue) */
  journeyId?: InputMaybe<Scalars['String']['input']>;
  /** Instance key, e.g. the cart id */
  key?: InputMaybe<Scalars['String']['input']>;
  /** Only instances with this status */
  status?: InputMaybe<JourneyInstanceStatus>;
  /** The current step, e.g. wait-for-idle-cart */
  step?: InputMaybe<Scalars['String']['input']>;
  /** Only instances of this customer (a userId) */
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** Where a journey instance stands */
export type JourneyInstanceStatus =
  /** Still running: waiting, sending or deciding */
  | 'ACTIVE'
  /** Reached the end of the journey */
  | 'COMPLETED'
  /** Left early: an exit event, the journey archived, an operator ending it, …; see exitReason */
  | 'EXITED';

/** Whether a customer may enter a journey again with the same instance key */
export type JourneyReentry =
  /** Again once reentryAfter has passed since the last entry */
  | 'AFTER'
  /** Whenever the entry event comes and no instance with that key is running */
  | 'ALWAYS'
  /** Never again once an instance with that key has entered */
  | 'ONCE';

/** What kind of value a journey setting takes */
export type JourneySettingKind =
  /** true or false */
  | 'BOOLEAN'
  /** A duration as text, e.g. "30 minutes", "1 day" */
  | 'DURATION'
  /** A number (the setting may bound it) */
  | 'NUMBER'
  /** Text */
  | 'STRING';

/** Where a journey stands in this workspace's lifecycle */
export type JourneyStatus =
  /** Takes no new entries; running instances exited with reason "archived" */
  | 'ARCHIVED'
  /** Takes no new entries; the sends of running instances are held until resumed */
  | 'PAUSED'
  /** Takes new entries; running instances run */
  | 'PUBLISHED';

/** What a step of a journey does */
export type JourneyStepKind =
  /** Takes one path by a condition on the customer or the instance */
  | 'BRANCH'
  /** Ends the instance at the end of the journey */
  | 'COMPLETE'
  /** Waits for a time or a duration */
  | 'DELAY'
  /** Where every instance starts: the entry event */
  | 'ENTRY'
  /** Ends the instance early (exit event, archived, nothing to send, …) */
  | 'EXIT'
  /** Assigns each customer a variant (the same one on every entry) or the control group, which is sent nothing; see experimentResults */
  | 'EXPERIMENT'
  /** Waits until no reset event has come for a while (each one restarts the timer) */
  | 'HOLD_UNTIL_IDLE'
  /** Makes a signed HTTP request to an outside service; later steps may use its response */
  | 'REQUEST'
  /** Sends a message */
  | 'SEND'
  /** Sends instances down paths at random, by weight */
  | 'SPLIT'
  /** Waits for an event, up to a timeout */
  | 'WAIT_FOR';

/** An inbox message to mark read */
export type MarkInboxMessageReadInput = {
  /** The global id of the InboxMessage */
  id: Scalars['ID']['input'];
};

/** The call that made two customers one */
export type MergeReason =
  /** An alias call naming the previous id of the customer */
  | 'ALIAS'
  /** An identify call with the anonymousId of an anonymous customer */
  | 'IDENTIFY';

/** IN: from the customer; OUT: to them */
export type MessageDirection =
  /** From the customer */
  | 'IN'
  /** To the customer, from an agent journey or a person */
  | 'OUT';

/** What a customer's message was classified as */
export type MessageIntent =
  /** A greeting */
  | 'GREETING'
  /** Asks for a person */
  | 'HUMAN'
  /** About a return or an exchange */
  | 'RETURNS'
  /** About products, plans or prices */
  | 'SALES'
  /** A request for help */
  | 'SUPPORT'
  /** Thanks (it may resolve the topic) */
  | 'THANKS'
  /** Not understood */
  | 'UNKNOWN';

/** Where a sent message stands, from the outbox to the provider’s last report */
export type MessageStatus =
  /** The provider reported it delivered */
  | 'DELIVERED'
  /** Sending failed; errorCode and errorMessage say why */
  | 'FAILED'
  /** In the outbox, not handed to the provider yet */
  | 'PENDING'
  /** The provider accepted it and queued it */
  | 'QUEUED'
  /** The customer read it (channels that report reads) */
  | 'READ'
  /** Being handed to the provider */
  | 'SENDING'
  /** The provider sent it */
  | 'SENT'
  /** The provider could not deliver it; errorCode says why */
  | 'UNDELIVERED';

/** An action an operator took on a journey instance (the mutation called) */
export type OperatorAction =
  /** deliverEventToInstance: handed an event to one instance */
  | 'DELIVER_EVENT_TO_INSTANCE'
  /** endJourneyInstance: ended an active instance */
  | 'END_JOURNEY_INSTANCE'
  /** rerunFailedStep: ran the failed step of an instance again */
  | 'RERUN_FAILED_STEP'
  /** retryFailedSend: sent a failed message again */
  | 'RETRY_FAILED_SEND';

/** How an operator action went */
export type OperatorActionOutcome =
  /** It was refused or failed; message says why */
  | 'ERROR'
  /** It did what was asked; message says what happened */
  | 'OK';

/** A track event to hand to one instance, stored as an event of its customer */
export type OperatorEventInput = {
  /** Event name, e.g. "Cart Updated" */
  event: Scalars['String']['input'];
  /** Deduplication id (default: a new one); a repeated id is refused */
  messageId?: InputMaybe<Scalars['String']['input']>;
  /** Event properties; default {} */
  properties?: InputMaybe<Scalars['JSONObject']['input']>;
  /** When it happened (default: now) */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
};

/** The direction of a sort */
export type OrderDirection =
  /** Smallest (earliest, alphabetically first) first */
  | 'ASC'
  /** Largest (latest, alphabetically last) first */
  | 'DESC';

/** A page view (Segment page) */
export type PageInput = {
  /** An id for a customer not known yet, e.g. a device id; required when there is no userId */
  anonymousId?: InputMaybe<Scalars['String']['input']>;
  /** Page category, kept as properties.category unless properties has one */
  category?: InputMaybe<Scalars['String']['input']>;
  /** Segment context, e.g. {"ip":"…","locale":"pt-BR"} */
  context?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Segment integrations settings, stored with the event as given */
  integrations?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Deduplication id (default: a new UUID); a repeated id is stored once */
  messageId?: InputMaybe<Scalars['String']['input']>;
  /** Page name, e.g. "Checkout" */
  name?: InputMaybe<Scalars['String']['input']>;
  /** e.g. {"path":"/checkout","url":"https://…"} */
  properties?: InputMaybe<Scalars['JSONObject']['input']>;
  /** When it happened (default: now) */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The customer; without it the profile is anon:<anonymousId> */
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** The broadcast to pause */
export type PauseBroadcastInput = {
  /** Global id of the broadcast */
  id: Scalars['ID']['input'];
};

/** Which journey to pause */
export type PauseJourneyInput = {
  /** The journey: the global id of a Journey (Journey.id) */
  id: Scalars['ID']['input'];
};

/** Where a rule of the messaging policy came from (docs/messaging.md, "Policy layers") */
export type PolicyLayer =
  /** The deployment's defaults (its env: QUIET_HOURS, CHANNEL_DEFAULTS, FREQUENCY_CAPS, INBOUND_*…) */
  | 'GLOBAL'
  /** The deployment's rule for the customer's country (QUIET_HOURS BR=…, CHANNEL_DEFAULTS BR=…, the country's time zone) */
  | 'GLOBAL_COUNTRY'
  /** The workspace's own policy */
  | 'WORKSPACE'
  /** The workspace's policy for the customer's country (`countries.BR` in its document) */
  | 'WORKSPACE_COUNTRY';

/** A kind of rule of the messaging policy; its key in the policy document is given with each value */
export type PolicyRule =
  /** `channelOrder`: the channels a send with channel "auto" tries, in order */
  | 'CHANNEL_ORDER'
  /** `confirmationReplies`: per locale, {stop, start}: the answers to STOP and START */
  | 'CONFIRMATION_REPLIES'
  /** `consent`: per channel, "implicit" (unless unsubscribed), "explicit" or "double_opt_in" (must have subscribed) */
  | 'CONSENT'
  /** `frequencyCaps`: [{channel ("*": all), max, window ("1 day")}] per customer */
  | 'FREQUENCY_CAPS'
  /** `helpReplies`: per locale, the answer to HELP */
  | 'HELP_REPLIES'
  /** `keywords`: per language, {stop, start, help} inbound words besides the standard STOP/START/HELP */
  | 'KEYWORDS'
  /** `quietHours`: {start, end} local HH:MM window in which marketing messages wait or are dropped; null: none */
  | 'QUIET_HOURS'
  /** `quietHoursMode`: "queue" (wait until the window ends) or "discard" */
  | 'QUIET_HOURS_MODE'
  /** `senders`: {sms, whatsapp, messagingServiceSid, email}: sender numbers and ids (a number belongs to one workspace) */
  | 'SENDERS'
  /** `timeZone`: the zone of customers without their own (a country's, else the workspace's) */
  | 'TIME_ZONE'
  /** `toneOfVoice`: the brand's tone of voice described for writers (free text; not applied to messages) */
  | 'TONE_OF_VOICE'
  /** `voice`: {address: "informal" | "formal", signOff, emoji: true | false}: the form of address, sign-off and emoji rule of templates (`voice` in Liquid) and of the agents' answers; unset parts: informal, none, true */
  | 'VOICE';

/** A customer's message in your app's chat */
export type PostInAppMessageInput = {
  /** What the customer wrote (not empty, at most 6,400 characters) */
  body: Scalars['String']['input'];
  /** Your id for the message (1–100 letters, digits, ".", ":", "_" or "-"): posting it again is a no-op; null: a new message each time */
  clientMessageId?: InputMaybe<Scalars['String']['input']>;
  /** The customer: a userId, or anon:<anonymousId> for a visitor */
  userId: Scalars['String']['input'];
};

/** The order of a profile search */
export type ProfileOrder = {
  /** The direction; default ASC */
  direction?: InputMaybe<OrderDirection>;
  /** What to sort by */
  field: ProfileOrderField;
};

/** What profiles can be sorted by */
export type ProfileOrderField =
  /** When the profile was created; the userId breaks ties */
  | 'CREATED_AT'
  /** When the profile last changed; the userId breaks ties (a profile that changes while you page may move) */
  | 'UPDATED_AT'
  /** The userId (code-point order of the database collation) */
  | 'USER_ID';

/** Search criteria: every one given must match; with none, every profile does */
export type ProfileSearchInput = {
  /** Exact email, compared case-insensitively */
  email?: InputMaybe<Scalars['String']['input']>;
  /** The email starts with this text, compared case-insensitively (`%`, `_` and `\` are plain characters); must not be empty */
  emailPrefix?: InputMaybe<Scalars['String']['input']>;
  /** Any international format; normalised to E.164 before the search */
  phone?: InputMaybe<Scalars['String']['input']>;
  /** A trait and the value it must equal */
  trait?: InputMaybe<TraitCriterionInput>;
  /** A string trait and the text it must start with, e.g. a name being typed */
  traitPrefix?: InputMaybe<TraitPrefixInput>;
  /** Exact userId */
  userId?: InputMaybe<Scalars['String']['input']>;
  /** The userId starts with this text (case-sensitive; `%`, `_` and `\` are plain characters); must not be empty */
  userIdPrefix?: InputMaybe<Scalars['String']['input']>;
};

/** Which journey to publish */
export type PublishJourneyInput = {
  /** The journey: the global id of a Journey (Journey.id) */
  id: Scalars['ID']['input'];
};

/** A new body for a template in one locale; it becomes the next version */
export type PublishTemplateInput = {
  /** Liquid source; variables come from the contextual payload, e.g. {{ profile.traits.first_name }} */
  body: Scalars['String']['input'];
  /** The channel it is written for: SMS, WHATSAPP, RCS, EMAIL or IN_APP (MMS sends use the SMS templates: INVALID) */
  channel: Channel;
  /** "default" (the default when omitted) or a BCP 47 locale such as "pt-BR" */
  locale?: InputMaybe<Scalars['String']['input']>;
  /** Lower-case slug: a-z, 0-9, "-", "_", "." (e.g. "cart-reminder") */
  name: Scalars['String']['input'];
};

/** Escalated topics nobody holds yet (QUEUED), held by a person (CLAIMED), or both */
export type QueueState =
  /** Both queued and claimed */
  | 'ALL'
  /** Escalated and held by a person */
  | 'CLAIMED'
  /** Escalated and held by nobody yet */
  | 'QUEUED';

/** Members inside their quiet hours: SKIP them (reason quiet-hours), or QUEUE them and send when their quiet hours end */
export type QuietHoursMode =
  /** Counted in queued, then sent when their quiet hours end */
  | 'QUEUE'
  /** Send nothing; counted in skipped with reason quiet-hours */
  | 'SKIP';

/** The audience to re-evaluate */
export type RefreshAudienceInput = {
  /** Name of the audience */
  name: Scalars['String']['input'];
};

/** The failed deliveries of an endpoint to send again */
export type ReplayFailedWebhookDeliveriesInput = {
  /** The endpoint */
  endpointId: Scalars['ID']['input'];
  /** Only deliveries queued at or after this time */
  since: Scalars['DateTime']['input'];
};

/** The webhook delivery to send again */
export type ReplayWebhookDeliveryInput = {
  /** The delivery */
  id: Scalars['ID']['input'];
};

/** Where a reply to the customer stands */
export type ReplyStatus =
  /** Sending failed; reason says why */
  | 'FAILED'
  /** Not sent yet (e.g. held until the end of their quiet hours) */
  | 'PENDING'
  /** Handed to the provider; deliveryStatus follows what became of it */
  | 'SENT'
  /** Not sent (e.g. no consent for the channel); reason says why */
  | 'SKIPPED';

/** A reply from the person holding a topic */
export type ReplyToTopicInput = {
  /** The person acting (their name or login, as your agent console knows them): 1–100 letters, digits, spaces, ".", "_", "@" or "-"; they must hold the topic */
  agent: Scalars['String']['input'];
  /** The reply (not empty, at most 1,600 characters) */
  body: Scalars['String']['input'];
  /** The topic (the global id of a ConversationTopic) */
  topicId: Scalars['ID']['input'];
};

/** Which instance to re-run the failed step of */
export type RerunFailedStepInput = {
  /** The instance: the global id of a JourneyInstance (one run) */
  id: Scalars['ID']['input'];
};

/** A topic to resolve */
export type ResolveTopicInput = {
  /** The person acting (their name or login, as your agent console knows them): 1–100 letters, digits, spaces, ".", "_", "@" or "-"; an escalated topic must be held by them */
  agent: Scalars['String']['input'];
  /** The topic (the global id of a ConversationTopic) */
  topicId: Scalars['ID']['input'];
};

/** The broadcast to resume */
export type ResumeBroadcastInput = {
  /** Global id of the broadcast */
  id: Scalars['ID']['input'];
};

/** Which paused journey to resume */
export type ResumeJourneyInput = {
  /** The journey: the global id of a Journey (Journey.id) */
  id: Scalars['ID']['input'];
};

/** Which failed message to send again */
export type RetryFailedSendInput = {
  /** The message: the global id of a Message (sent by a journey; consent for marketing is checked again) or of a TransactionalMessage (its outbox message; consent for transactional messages is checked) */
  id: Scalars['ID']['input'];
};

/** The API key to revoke */
export type RevokeApiKeyInput = {
  /** The id of the API key */
  id: Scalars['ID']['input'];
};

/** The source write key to revoke */
export type RevokeWriteKeyInput = {
  /** The id of the write key */
  id: Scalars['ID']['input'];
};

/** The API key to rotate */
export type RotateApiKeyInput = {
  /** The id of the API key */
  id: Scalars['ID']['input'];
};

/** The workspace whose request signing secret to rotate */
export type RotateRequestSigningSecretInput = {
  /** The workspace's id; omitted: the caller's own. Only an operator workspace key may name another (else NOT_FOUND) */
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};

/** The webhook endpoint whose secret to replace */
export type RotateWebhookEndpointSecretInput = {
  /** The endpoint */
  id: Scalars['ID']['input'];
  /** For how many hours (0 to 168) the replaced secret still signs each attempt beside the new one, while the receiver moves to the new one; 0: from now on only the new one signs */
  previousSecretValidForHours?: InputMaybe<Scalars['Int']['input']>;
};

/** An audience to create or replace */
export type SaveAudienceInput = {
  /** Who is in it: one condition, combined with all / any / not */
  definition: AudienceConditionInput;
  /** Lower-case letters, digits and dashes */
  name: Scalars['String']['input'];
};

/** A knowledge-base entry to add, or to replace when id is given */
export type SaveKnowledgeBaseEntryInput = {
  /** What the agents answer: 1–2,000 characters */
  answer: Scalars['String']['input'];
  /** The entry to replace (the global id of a KnowledgeBaseEntry); null: a new entry */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The intent its questions also teach the classifier (Any MessageIntent but UNKNOWN); null: none */
  intent?: InputMaybe<MessageIntent>;
  /** The language: en, pt-BR or es */
  locale: Scalars['String']['input'];
  /** Ways customers ask it: 1–20 questions of 1–300 characters (trimmed; repeats are dropped) */
  questions: Array<Scalars['String']['input']>;
};

/** A mobile screen view (Segment screen) */
export type ScreenInput = {
  /** An id for a customer not known yet, e.g. a device id; required when there is no userId */
  anonymousId?: InputMaybe<Scalars['String']['input']>;
  /** Page category, kept as properties.category unless properties has one */
  category?: InputMaybe<Scalars['String']['input']>;
  /** Segment context, e.g. {"ip":"…","locale":"pt-BR"} */
  context?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Segment integrations settings, stored with the event as given */
  integrations?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Deduplication id (default: a new UUID); a repeated id is stored once */
  messageId?: InputMaybe<Scalars['String']['input']>;
  /** Page name, e.g. "Checkout" */
  name?: InputMaybe<Scalars['String']['input']>;
  /** e.g. {"path":"/checkout","url":"https://…"} */
  properties?: InputMaybe<Scalars['JSONObject']['input']>;
  /** When it happened (default: now) */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The customer; without it the profile is anon:<anonymousId> */
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** A transactional message to one customer (a receipt, a one-time code) */
export type SendMessageInput = {
  /** The channel to send on (default SMS); the template must have a version for it */
  channel?: InputMaybe<Channel>;
  /** What the template reads as `data` (e.g. { code: "123456" }); omitted: {} */
  data?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Your key for this message: the same key never sends twice (1–200 characters) */
  idempotencyKey: Scalars['String']['input'];
  /** Template locale; omitted: the profile's, with fallback */
  locale?: InputMaybe<Scalars['String']['input']>;
  /** Email subject (required for EMAIL) */
  subject?: InputMaybe<Scalars['String']['input']>;
  /** A published template for the channel, rendered against { data, profile } at send time */
  template: Scalars['String']['input'];
  /** In-app title */
  title?: InputMaybe<Scalars['String']['input']>;
  /** Address; omitted: the customer's for the channel */
  to?: InputMaybe<Scalars['String']['input']>;
  /** The customer (a userId of the workspace) */
  userId: Scalars['String']['input'];
};

/** A customer's consent for one channel and purpose */
export type SetConsentInput = {
  /** The channel the choice applies to; MMS is recorded as SMS */
  channel: Channel;
  /** Lower-case letters, digits, "-" or "_"; default marketing */
  purpose?: InputMaybe<Scalars['String']['input']>;
  /** Where the choice was made, recorded as api:<source> (e.g. "preference-center") */
  source?: InputMaybe<Scalars['String']['input']>;
  /** The choice */
  status: ConsentStatus;
  /** When the customer chose (default now); an older choice never replaces a newer one */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The customer (userId); NOT_FOUND when unknown */
  userId: Scalars['String']['input'];
};

/** What a timeline item is */
export type TimelineKind =
  /** An event the customer sent (ProfileEvent) */
  | 'EVENT'
  /** A journal entry of one of their journey instances (TimelineEntry) */
  | 'JOURNEY_STEP'
  /** A message sent or attempted to them (Message) */
  | 'MESSAGE'
  /** An operator's action on one of their instances (OperatorAuditEntry) */
  | 'OPERATOR_ACTION';

/** The order of timeline items by time */
export type TimelineOrder =
  /** Latest item first */
  | 'NEWEST_FIRST'
  /** Earliest item first */
  | 'OLDEST_FIRST';

/** What a topic is about, which tells which automated agent owns it */
export type TopicIntent =
  /** Returns and exchanges: the returns agent */
  | 'RETURNS'
  /** Products, plans and prices: the sales agent */
  | 'SALES'
  /** Anything else the customer needs help with: the support agent */
  | 'SUPPORT';

/** AUTOMATED: an agent journey answers; HUMAN: escalated to a person (queued until claimed); RESOLVED */
export type TopicStatus =
  /** An automated agent journey answers the customer */
  | 'AUTOMATED'
  /** Escalated to a person: queued until someone claims it */
  | 'HUMAN'
  /** Resolved; a new message from the customer reopens it */
  | 'RESOLVED';

/** Something a customer did (Segment track) */
export type TrackInput = {
  /** Event name, e.g. "Cart Updated" */
  event: Scalars['String']['input'];
  /** Deduplication id; a repeated id is stored and routed once */
  messageId?: InputMaybe<Scalars['String']['input']>;
  /** What the event carries, read by journeys and templates as event.properties, e.g. {"cart_id":"c1","items":[{"name":"Shoes"}]} */
  properties?: InputMaybe<Scalars['JSONObject']['input']>;
  /** When it happened (default: now) */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The customer who did it (created on first sight) */
  userId: Scalars['String']['input'];
};

/** The calls of the Segment tracking API spec: what kind of event a customer sent */
export type TrackingCall =
  /** Two identities of one customer (needs userId and previousId) */
  | 'ALIAS'
  /** The customer joins a group (needs groupId; traits) */
  | 'GROUP'
  /** The customer's traits (traits) */
  | 'IDENTIFY'
  /** A page view (name, category, properties) */
  | 'PAGE'
  /** A mobile screen view (name, category, properties) */
  | 'SCREEN'
  /** An event the customer did (needs event) */
  | 'TRACK';

/** A trait compared with one operator: give name and exactly one of eq, neq, in, exists, gt, gte, lt, lte */
export type TraitConditionInput = {
  /** The trait equals this value */
  eq?: InputMaybe<TraitValueInput>;
  /** true: the trait is set; false: it is not */
  exists?: InputMaybe<Scalars['Boolean']['input']>;
  /** The trait is a number above this */
  gt?: InputMaybe<Scalars['Float']['input']>;
  /** The trait is a number at or above this */
  gte?: InputMaybe<Scalars['Float']['input']>;
  /** The trait equals one of these values (at least one) */
  in?: InputMaybe<Array<TraitValueInput>>;
  /** The trait is a number below this */
  lt?: InputMaybe<Scalars['Float']['input']>;
  /** The trait is a number at or below this */
  lte?: InputMaybe<Scalars['Float']['input']>;
  /** A trait name (plan) or dotted path (address.city); country, locale and timezone read the profile's own */
  name: Scalars['String']['input'];
  /** The trait is absent or differs from this value */
  neq?: InputMaybe<TraitValueInput>;
};

/** A trait that must equal the given value (string comparison of a string trait) */
export type TraitCriterionInput = {
  /** Trait name; must not be empty */
  name: Scalars['String']['input'];
  /** The value the trait must equal */
  value: Scalars['String']['input'];
};

/** A string trait that must start with the given text (case-sensitive; `%`, `_` and `\` are plain characters) */
export type TraitPrefixInput = {
  /** Trait name, e.g. first_name; must not be empty */
  name: Scalars['String']['input'];
  /** The text the trait must start with; must not be empty */
  prefix: Scalars['String']['input'];
};

/** A trait value compared with: exactly one of string, number or boolean */
export type TraitValueInput =
  /** A boolean value */
  { boolean: Scalars['Boolean']['input']; number?: never; string?: never; }
  |  /** A number value */
  { boolean?: never; number: Scalars['Float']['input']; string?: never; }
  |  /** A string value */
  { boolean?: never; number?: never; string: Scalars['String']['input']; };

/** PENDING until the worker has sent it; then SENT (the provider accepted it; see message.status), FAILED or SKIPPED (with the reason) */
export type TransactionalStatus =
  /** Sending failed; reason says why */
  | 'FAILED'
  /** Accepted; the worker has not sent it yet */
  | 'PENDING'
  /** The provider accepted it; message.status follows what became of it */
  | 'SENT'
  /** Not sent (for example no address for the channel); reason says why */
  | 'SKIPPED';

/** New values for some of a journey's settings in this workspace */
export type UpdateJourneySettingsInput = {
  /** The journey whose settings change: the global id of a Journey (Journey.id) */
  id: Scalars['ID']['input'];
  /** e.g. {"idleTimeout":"30 minutes"}; null resets a setting to its default */
  settings: Scalars['JSONObject']['input'];
};

/** A new version of a workspace's messaging policy */
export type UpdateMessagingPolicyInput = {
  /** Why (kept with the version): at most 500 characters */
  comment?: InputMaybe<Scalars['String']['input']>;
  /** The whole policy document of the workspace (it replaces the one in force; see MessagingPolicy.document), e.g. {"channelOrder":["whatsapp","sms"],"countries":{"BR":{"quietHours":{"start":"21:00","end":"08:00"}}}} */
  document: Scalars['JSONObject']['input'];
  /** The version this change was made on (MessagingPolicy.version): another save since then is CONFLICT. Omitted: no check */
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  /** The workspace's id; omitted: the caller's own. Only an operator workspace key may name another (else NOT_FOUND) */
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};

/** Changes to a webhook endpoint: omitted fields stay as they are */
export type UpdateWebhookEndpointInput = {
  /** A new description (at most 500 characters) */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Enable or disable it */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** The event types to receive from now on (at least one) */
  eventTypes?: InputMaybe<Array<WebhookEvent>>;
  /** The endpoint */
  id: Scalars['ID']['input'];
  /** A new URL (same rules as on creation) */
  url?: InputMaybe<Scalars['String']['input']>;
};

/** Why a mutation refused its input; the error names the offending input field */
export type UserErrorCode =
  /** The input conflicts with an earlier request (e.g. a reused id) */
  | 'CONFLICT'
  /** The target exists but is not in a state the action applies to, or the action failed on it */
  | 'FAILED_PRECONDITION'
  /** A value is malformed or out of range (was the BAD_USER_INPUT GraphQL error) */
  | 'INVALID'
  /** Something the input names does not exist in this workspace */
  | 'NOT_FOUND';

/** Where a webhook delivery stands */
export type WebhookDeliveryStatus =
  /** The endpoint answered 2xx */
  | 'DELIVERED'
  /** Its attempts ran out (or its address was refused); replayWebhookDelivery sends it again */
  | 'FAILED'
  /** Queued or being retried */
  | 'PENDING';

/** An event a webhook endpoint can subscribe to; the payload's `type` is its dotted name (e.g. MESSAGE_DELIVERED: "message.delivered") */
export type WebhookEvent =
  /** "consent.changed": a customer's consent for a channel and purpose changed */
  | 'CONSENT_CHANGED'
  /** "conversation.escalated": a conversation topic was handed to a person */
  | 'CONVERSATION_ESCALATED'
  /** "endpoint.disabled": another endpoint of the workspace disabled itself, every attempt having failed for too long (WEBHOOK_DISABLE_AFTER_MS) */
  | 'ENDPOINT_DISABLED'
  /** "journey.entered": a customer entered a journey (a new instance) */
  | 'JOURNEY_ENTERED'
  /** "journey.exited": a journey instance ended, completed or exited (data.outcome), with the reason */
  | 'JOURNEY_EXITED'
  /** "message.delivered": the provider reported the message delivered */
  | 'MESSAGE_DELIVERED'
  /** "message.failed": the message failed or was undelivered (with the provider's error code) */
  | 'MESSAGE_FAILED'
  /** "message.sent": a message was handed to the carrier (status sent) */
  | 'MESSAGE_SENT';

export type ConsoleSignInCheckQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSignInCheckQuery = { __typename?: 'Query', journeys: Array<{ __typename?: 'Journey', id: string }> };

export type ConsoleBroadcastsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleBroadcastsQuery = { __typename?: 'Query', broadcasts: { __typename?: 'BroadcastConnection', totalCount: number, nodes: Array<{ __typename?: 'Broadcast', id: string, name: string, status: BroadcastStatus, kind: BroadcastKind, template?: string | null, channel?: Channel | null, createdAt: string, enrolled: number, sent: number, failed: number, skippedTotal: number, audience: { __typename?: 'Audience', id: string, name: string, size: number } }> } };

export type ConsoleBroadcastChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleBroadcastChoicesQuery = { __typename?: 'Query', audiences: { __typename?: 'AudienceConnection', nodes: Array<{ __typename?: 'Audience', id: string, name: string, size: number }> }, templates: { __typename?: 'MessageTemplateConnection', nodes: Array<{ __typename?: 'MessageTemplate', id: string, name: string, locale: string, latest: { __typename?: 'MessageTemplateVersion', id: string, channel: Channel } }> } };

export type ConsoleBroadcastQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleBroadcastQuery = { __typename?: 'Query', broadcast?: { __typename?: 'Broadcast', id: string, name: string, status: BroadcastStatus, kind: BroadcastKind, template?: string | null, channel?: Channel | null, createdAt: string, ratePerSecond: number, enrolled: number, sent: number, failed: number, queued: number, skippedTotal: number, skipped: Array<{ __typename?: 'SkipCount', reason: string, count: number }>, audience: { __typename?: 'Audience', id: string, name: string, size: number }, schedule?: { __typename?: 'BroadcastSchedule', cron?: string | null, timeZone: string, nextRuns: Array<string>, paused: boolean } | null, runs: { __typename?: 'BroadcastRunConnection', nodes: Array<{ __typename?: 'BroadcastRun', id: string, number: number, status: BroadcastRunStatus, startedAt: string, endedAt?: string | null, recipients?: number | null, enrolled: number, sent: number, failed: number, queued: number, skippedTotal: number }> } } | null };

export type ConsoleBroadcastUpdatesSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleBroadcastUpdatesSubscription = { __typename?: 'Subscription', broadcastUpdates: { __typename?: 'BroadcastUpdate', cursor: string, kind: BroadcastUpdateKind, run: { __typename?: 'BroadcastRun', id: string, number: number, status: BroadcastRunStatus, startedAt: string, endedAt?: string | null, recipients?: number | null, enrolled: number, sent: number, failed: number, queued: number, skippedTotal: number, broadcast: { __typename?: 'Broadcast', id: string, status: BroadcastStatus, enrolled: number, sent: number, failed: number, queued: number, skippedTotal: number } } } };

export type ConsoleCreateBroadcastMutationVariables = Exact<{
  input: CreateBroadcastInput;
}>;


export type ConsoleCreateBroadcastMutation = { __typename?: 'Mutation', createBroadcast: { __typename?: 'CreateBroadcastPayload', broadcast?: { __typename?: 'Broadcast', id: string, name: string, status: BroadcastStatus } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsolePauseBroadcastMutationVariables = Exact<{
  input: PauseBroadcastInput;
}>;


export type ConsolePauseBroadcastMutation = { __typename?: 'Mutation', pauseBroadcast: { __typename?: 'PauseBroadcastPayload', broadcast?: { __typename?: 'Broadcast', id: string, status: BroadcastStatus } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleResumeBroadcastMutationVariables = Exact<{
  input: ResumeBroadcastInput;
}>;


export type ConsoleResumeBroadcastMutation = { __typename?: 'Mutation', resumeBroadcast: { __typename?: 'ResumeBroadcastPayload', broadcast?: { __typename?: 'Broadcast', id: string, status: BroadcastStatus } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleCancelBroadcastMutationVariables = Exact<{
  input: CancelBroadcastInput;
}>;


export type ConsoleCancelBroadcastMutation = { __typename?: 'Mutation', cancelBroadcast: { __typename?: 'CancelBroadcastPayload', broadcast?: { __typename?: 'Broadcast', id: string, status: BroadcastStatus } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleCustomerQueryVariables = Exact<{
  userId: Scalars['String']['input'];
}>;


export type ConsoleCustomerQuery = { __typename?: 'Query', profile?: { __typename?: 'Profile', id: string, userId: string, email?: string | null, phone?: string | null, country?: string | null, locale?: string | null, timezone?: string | null, createdAt: string, updatedAt: string, traits: Record<string, unknown>, identities: { __typename?: 'IdentityConnection', nodes: Array<{ __typename?: 'Identity', id: string, kind: IdentityKind, value: string, source: string, lastSeenAt: string }> }, consent: Array<{ __typename?: 'Consent', channel: Channel, purpose: string, status: ConsentStatus, source: string, updatedAt: string }>, journeyInstances: { __typename?: 'ProfileJourneyInstanceConnection', nodes: Array<{ __typename?: 'JourneyInstance', id: string, journeyId: string, key: string, status: JourneyInstanceStatus, currentStep: string, startedAt: string, exitReason?: string | null }> }, timeline: { __typename?: 'TimelineConnection', nodes: Array<
        | { __typename: 'Message', channel: Channel, status: MessageStatus, to: string, step: string, id: string, at: string, kind: TimelineKind }
        | { __typename: 'OperatorAuditEntry', action: OperatorAction, outcome: OperatorActionOutcome, target: string, id: string, at: string, kind: TimelineKind }
        | { __typename: 'ProfileEvent', name?: string | null, id: string, at: string, kind: TimelineKind, call: TrackingCall }
        | { __typename: 'TimelineEntry', step: string, id: string, at: string, kind: TimelineKind, entry: JournalEntryKind }
      > } } | null };

export type ConsoleCustomerActivitySubscriptionVariables = Exact<{
  userId: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleCustomerActivitySubscription = { __typename?: 'Subscription', customerActivity: { __typename?: 'CustomerActivityUpdate', cursor: string } };

export type ConsoleAgentQueueQueryVariables = Exact<{
  state: QueueState;
}>;


export type ConsoleAgentQueueQuery = { __typename?: 'Query', agentQueue: { __typename?: 'ConversationTopicConnection', totalCount: number, nodes: Array<{ __typename?: 'ConversationTopic', id: string, userId: string, intent: TopicIntent, channel: Channel, status: TopicStatus, escalationReason?: EscalationReason | null, escalationKeyword?: string | null, escalatedAt?: string | null, assignedAgent?: string | null, lastMessageAt: string }> } };

export type ConsoleTopicQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleTopicQuery = { __typename?: 'Query', topic?: { __typename?: 'ConversationTopic', id: string, userId: string, intent: TopicIntent, channel: Channel, status: TopicStatus, escalationReason?: EscalationReason | null, escalationKeyword?: string | null, assignedAgent?: string | null, facts: Record<string, unknown>, messages: { __typename?: 'ConversationMessageConnection', nodes: Array<{ __typename?: 'ConversationMessage', id: string, at: string, author: string, body: string, channel: Channel, direction: MessageDirection, status?: ReplyStatus | null, deliveryStatus?: MessageStatus | null, reason?: string | null }> } } | null };

export type ConsoleConversationUpdatesSubscriptionVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleConversationUpdatesSubscription = { __typename?: 'Subscription', conversationUpdates: { __typename?: 'ConversationUpdate', cursor: string, kind: ConversationUpdateKind, topicId?: string | null } };

export type ConsoleClaimTopicMutationVariables = Exact<{
  input: ClaimTopicInput;
}>;


export type ConsoleClaimTopicMutation = { __typename?: 'Mutation', claimTopic: { __typename?: 'ClaimTopicPayload', topic?: { __typename?: 'ConversationTopic', id: string, status: TopicStatus, assignedAgent?: string | null } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleReplyToTopicMutationVariables = Exact<{
  input: ReplyToTopicInput;
}>;


export type ConsoleReplyToTopicMutation = { __typename?: 'Mutation', replyToTopic: { __typename?: 'ReplyToTopicPayload', message?: { __typename?: 'ConversationMessage', id: string, status?: ReplyStatus | null } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleResolveTopicMutationVariables = Exact<{
  input: ResolveTopicInput;
}>;


export type ConsoleResolveTopicMutation = { __typename?: 'Mutation', resolveTopic: { __typename?: 'ResolveTopicPayload', topic?: { __typename?: 'ConversationTopic', id: string, status: TopicStatus, assignedAgent?: string | null } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleInstanceQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleInstanceQuery = { __typename?: 'Query', journeyInstance?: { __typename?: 'JourneyInstance', id: string, journeyId: string, journeyVersion?: number | null, key: string, userId: string, status: JourneyInstanceStatus, currentStep: string, startedAt: string, endedAt?: string | null, exitReason?: string | null, live?: { __typename?: 'JourneyLiveState', step: string, timerResets: number, eventsAccepted: number } | null, timeline: { __typename?: 'TimelineEntryConnection', totalCount: number, nodes: Array<{ __typename?: 'TimelineEntry', id: string, seq: number, at: string, type: JournalEntryKind, step: string, detail: Record<string, unknown> }> } } | null };

export type ConsoleInstanceUpdatesSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleInstanceUpdatesSubscription = { __typename?: 'Subscription', journeyInstanceUpdates: { __typename?: 'JourneyInstanceUpdate', cursor: string, entry: { __typename?: 'TimelineEntry', id: string, seq: number, at: string, type: JournalEntryKind, step: string, detail: Record<string, unknown> } } };

export type ConsoleEndInstanceMutationVariables = Exact<{
  input: EndJourneyInstanceInput;
}>;


export type ConsoleEndInstanceMutation = { __typename?: 'Mutation', endJourneyInstance: { __typename?: 'EndJourneyInstancePayload', auditEntry?: { __typename?: 'OperatorAuditEntry', id: string, outcome: OperatorActionOutcome } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleDeliverEventMutationVariables = Exact<{
  input: DeliverEventToInstanceInput;
}>;


export type ConsoleDeliverEventMutation = { __typename?: 'Mutation', deliverEventToInstance: { __typename?: 'DeliverEventToInstancePayload', auditEntry?: { __typename?: 'OperatorAuditEntry', id: string, outcome: OperatorActionOutcome } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleRerunFailedStepMutationVariables = Exact<{
  input: RerunFailedStepInput;
}>;


export type ConsoleRerunFailedStepMutation = { __typename?: 'Mutation', rerunFailedStep: { __typename?: 'RerunFailedStepPayload', auditEntry?: { __typename?: 'OperatorAuditEntry', id: string, outcome: OperatorActionOutcome } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleJourneyQueryVariables = Exact<{
  key: Scalars['String']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
}>;


export type ConsoleJourneyQuery = { __typename?: 'Query', journey?: { __typename?: 'Journey', id: string, key: string, description: string, status: JourneyStatus, version: number, goal?: { __typename?: 'ConversionGoal', event: string, within: string } | null, instances: { __typename?: 'JourneyInstanceCounts', active: number, completed: number, exited: number }, steps: Array<{ __typename?: 'JourneyStepNode', step: string, label: string, kind: JourneyStepKind, active: number, reached: number, next: Array<{ __typename?: 'JourneyStepEdge', from: string, to: string, label?: string | null }> }>, settings: Array<{ __typename?: 'JourneySetting', name: string, description: string, type: JourneySettingKind, value: Record<string, unknown>, default: Record<string, unknown>, overridden: boolean }> } | null, journeyStats?: { __typename?: 'JourneyStats', entered: number, active: number, completed: number, exited: number, exitedByReason: Array<{ __typename?: 'ExitReasonCount', reason: string, count: number }>, goalConversion?: { __typename?: 'JourneyGoalConversion', entered: number, converted: number, rate?: number | null } | null, messages: Array<{ __typename?: 'ChannelMessageStats', channel: Channel, total: number, pending: number, inFlight: number, delivered: number, undelivered: number, failed: number, deliveryRate?: number | null }> } | null, journeyInstances: { __typename?: 'JourneyInstanceConnection', totalCount: number, nodes: Array<{ __typename?: 'JourneyInstance', id: string, journeyId: string, key: string, userId: string, status: JourneyInstanceStatus, currentStep: string, startedAt: string, exitReason?: string | null }> } };

export type ConsoleUpdateJourneySettingsMutationVariables = Exact<{
  input: UpdateJourneySettingsInput;
}>;


export type ConsoleUpdateJourneySettingsMutation = { __typename?: 'Mutation', updateJourneySettings: { __typename?: 'UpdateJourneySettingsPayload', journey?: { __typename?: 'Journey', id: string, settings: Array<{ __typename?: 'JourneySetting', name: string, description: string, type: JourneySettingKind, value: Record<string, unknown>, default: Record<string, unknown>, overridden: boolean }> } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type ConsoleJourneysQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleJourneysQuery = { __typename?: 'Query', journeys: Array<{ __typename?: 'Journey', id: string, key: string, description: string, status: JourneyStatus, version: number, instances: { __typename?: 'JourneyInstanceCounts', active: number, completed: number, exited: number } }> };

export type ConsolePauseJourneyMutationVariables = Exact<{
  input: PauseJourneyInput;
}>;


export type ConsolePauseJourneyMutation = { __typename?: 'Mutation', pauseJourney: { __typename?: 'PauseJourneyPayload', journey?: { __typename?: 'Journey', id: string, status: JourneyStatus } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, message: string }> } };

export type ConsoleResumeJourneyMutationVariables = Exact<{
  input: ResumeJourneyInput;
}>;


export type ConsoleResumeJourneyMutation = { __typename?: 'Mutation', resumeJourney: { __typename?: 'ResumeJourneyPayload', journey?: { __typename?: 'Journey', id: string, status: JourneyStatus } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, message: string }> } };

export type ConsoleArchiveJourneyMutationVariables = Exact<{
  input: ArchiveJourneyInput;
}>;


export type ConsoleArchiveJourneyMutation = { __typename?: 'Mutation', archiveJourney: { __typename?: 'ArchiveJourneyPayload', journey?: { __typename?: 'Journey', id: string, status: JourneyStatus, instances: { __typename?: 'JourneyInstanceCounts', active: number, completed: number, exited: number } } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, message: string }> } };

export type ConsoleSearchCustomersQueryVariables = Exact<{
  query: ProfileSearchInput;
}>;


export type ConsoleSearchCustomersQuery = { __typename?: 'Query', searchProfiles: { __typename?: 'ProfileConnection', totalCount: number, nodes: Array<{ __typename?: 'Profile', id: string, userId: string, email?: string | null, phone?: string | null, journeyInstances: { __typename?: 'ProfileJourneyInstanceConnection', totalCount: number, nodes: Array<{ __typename?: 'JourneyInstance', id: string, journeyId: string, key: string, status: JourneyInstanceStatus, currentStep: string, startedAt: string, exitReason?: string | null }> } }> } };

export type ConsoleTemplatesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleTemplatesQuery = { __typename?: 'Query', templates: { __typename?: 'MessageTemplateConnection', totalCount: number, nodes: Array<{ __typename?: 'MessageTemplate', id: string, name: string, locale: string, latest: { __typename?: 'MessageTemplateVersion', id: string, version: number, channel: Channel, createdAt: string } }> } };

export type ConsoleTemplateVersionsQueryVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type ConsoleTemplateVersionsQuery = { __typename?: 'Query', templates: { __typename?: 'MessageTemplateConnection', nodes: Array<{ __typename?: 'MessageTemplate', id: string, name: string, locale: string, latest: { __typename?: 'MessageTemplateVersion', id: string, version: number, channel: Channel, body: string }, versions: { __typename?: 'MessageTemplateVersionConnection', totalCount: number, nodes: Array<{ __typename?: 'MessageTemplateVersion', id: string, version: number, channel: Channel, body: string, createdAt: string, createdBy: string }> } }> } };

export type ConsolePreviewTemplateDraftQueryVariables = Exact<{
  name: Scalars['String']['input'];
  locale?: InputMaybe<Scalars['String']['input']>;
  channel: Channel;
  body: Scalars['String']['input'];
  payload: Scalars['JSONObject']['input'];
}>;


export type ConsolePreviewTemplateDraftQuery = { __typename?: 'Query', previewTemplateDraft: { __typename?: 'TemplatePreview', text: string, locale: string, version: number, channel: Channel } };

export type ConsolePublishTemplateMutationVariables = Exact<{
  input: PublishTemplateInput;
}>;


export type ConsolePublishTemplateMutation = { __typename?: 'Mutation', publishTemplate: { __typename?: 'PublishTemplatePayload', template?: { __typename?: 'MessageTemplate', id: string, name: string, locale: string, latest: { __typename?: 'MessageTemplateVersion', id: string, version: number, channel: Channel, body: string } } | null, version?: { __typename?: 'MessageTemplateVersion', id: string, version: number } | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };


export const ConsoleSignInCheckDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleSignInCheck"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ConsoleSignInCheckQuery, ConsoleSignInCheckQueryVariables>;
export const ConsoleBroadcastsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleBroadcasts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"broadcasts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"template"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"enrolled"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"skippedTotal"}},{"kind":"Field","name":{"kind":"Name","value":"audience"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleBroadcastsQuery, ConsoleBroadcastsQueryVariables>;
export const ConsoleBroadcastChoicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleBroadcastChoices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"audiences"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"templates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"latest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleBroadcastChoicesQuery, ConsoleBroadcastChoicesQueryVariables>;
export const ConsoleBroadcastDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleBroadcast"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"broadcast"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"template"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"ratePerSecond"}},{"kind":"Field","name":{"kind":"Name","value":"enrolled"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"queued"}},{"kind":"Field","name":{"kind":"Name","value":"skippedTotal"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"audience"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}}]}},{"kind":"Field","name":{"kind":"Name","value":"schedule"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cron"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"nextRuns"}},{"kind":"Field","name":{"kind":"Name","value":"paused"}}]}},{"kind":"Field","name":{"kind":"Name","value":"runs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"enrolled"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"queued"}},{"kind":"Field","name":{"kind":"Name","value":"skippedTotal"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleBroadcastQuery, ConsoleBroadcastQueryVariables>;
export const ConsoleBroadcastUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleBroadcastUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"broadcastUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"enrolled"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"queued"}},{"kind":"Field","name":{"kind":"Name","value":"skippedTotal"}},{"kind":"Field","name":{"kind":"Name","value":"broadcast"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"enrolled"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"queued"}},{"kind":"Field","name":{"kind":"Name","value":"skippedTotal"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleBroadcastUpdatesSubscription, ConsoleBroadcastUpdatesSubscriptionVariables>;
export const ConsoleCreateBroadcastDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCreateBroadcast"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateBroadcastInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createBroadcast"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"broadcast"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleCreateBroadcastMutation, ConsoleCreateBroadcastMutationVariables>;
export const ConsolePauseBroadcastDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsolePauseBroadcast"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PauseBroadcastInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pauseBroadcast"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"broadcast"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsolePauseBroadcastMutation, ConsolePauseBroadcastMutationVariables>;
export const ConsoleResumeBroadcastDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleResumeBroadcast"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResumeBroadcastInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resumeBroadcast"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"broadcast"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleResumeBroadcastMutation, ConsoleResumeBroadcastMutationVariables>;
export const ConsoleCancelBroadcastDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCancelBroadcast"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CancelBroadcastInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelBroadcast"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"broadcast"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleCancelBroadcastMutation, ConsoleCancelBroadcastMutationVariables>;
export const ConsoleCustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleCustomer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"profile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"timezone"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"traits"}},{"kind":"Field","name":{"kind":"Name","value":"identities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"consent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"journeyInstances"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"journeyId"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"currentStep"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"exitReason"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"timeline"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProfileEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"call"},"name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TimelineEntry"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"entry"},"name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"step"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"step"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperatorAuditEntry"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"target"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleCustomerQuery, ConsoleCustomerQueryVariables>;
export const ConsoleCustomerActivityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleCustomerActivity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerActivity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}}]}}]} as unknown as DocumentNode<ConsoleCustomerActivitySubscription, ConsoleCustomerActivitySubscriptionVariables>;
export const ConsoleAgentQueueDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleAgentQueue"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"state"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"QueueState"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agentQueue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"state"},"value":{"kind":"Variable","name":{"kind":"Name","value":"state"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"intent"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"escalationReason"}},{"kind":"Field","name":{"kind":"Name","value":"escalationKeyword"}},{"kind":"Field","name":{"kind":"Name","value":"escalatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"assignedAgent"}},{"kind":"Field","name":{"kind":"Name","value":"lastMessageAt"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleAgentQueueQuery, ConsoleAgentQueueQueryVariables>;
export const ConsoleTopicDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleTopic"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topic"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"intent"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"escalationReason"}},{"kind":"Field","name":{"kind":"Name","value":"escalationKeyword"}},{"kind":"Field","name":{"kind":"Name","value":"assignedAgent"}},{"kind":"Field","name":{"kind":"Name","value":"facts"}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"author"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryStatus"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleTopicQuery, ConsoleTopicQueryVariables>;
export const ConsoleConversationUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleConversationUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversationUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"topicId"}}]}}]}}]} as unknown as DocumentNode<ConsoleConversationUpdatesSubscription, ConsoleConversationUpdatesSubscriptionVariables>;
export const ConsoleClaimTopicDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleClaimTopic"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClaimTopicInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"claimTopic"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignedAgent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleClaimTopicMutation, ConsoleClaimTopicMutationVariables>;
export const ConsoleReplyToTopicDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleReplyToTopic"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyToTopicInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replyToTopic"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleReplyToTopicMutation, ConsoleReplyToTopicMutationVariables>;
export const ConsoleResolveTopicDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleResolveTopic"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResolveTopicInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resolveTopic"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignedAgent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleResolveTopicMutation, ConsoleResolveTopicMutationVariables>;
export const ConsoleInstanceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleInstance"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journeyInstance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"journeyId"}},{"kind":"Field","name":{"kind":"Name","value":"journeyVersion"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"currentStep"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"exitReason"}},{"kind":"Field","name":{"kind":"Name","value":"live"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"timerResets"}},{"kind":"Field","name":{"kind":"Name","value":"eventsAccepted"}}]}},{"kind":"Field","name":{"kind":"Name","value":"timeline"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleInstanceQuery, ConsoleInstanceQueryVariables>;
export const ConsoleInstanceUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleInstanceUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journeyInstanceUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"entry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleInstanceUpdatesSubscription, ConsoleInstanceUpdatesSubscriptionVariables>;
export const ConsoleEndInstanceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleEndInstance"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EndJourneyInstanceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endJourneyInstance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditEntry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleEndInstanceMutation, ConsoleEndInstanceMutationVariables>;
export const ConsoleDeliverEventDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleDeliverEvent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeliverEventToInstanceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deliverEventToInstance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditEntry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleDeliverEventMutation, ConsoleDeliverEventMutationVariables>;
export const ConsoleRerunFailedStepDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleRerunFailedStep"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RerunFailedStepInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rerunFailedStep"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditEntry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleRerunFailedStepMutation, ConsoleRerunFailedStepMutationVariables>;
export const ConsoleJourneyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleJourney"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"goal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"event"}},{"kind":"Field","name":{"kind":"Name","value":"within"}}]}},{"kind":"Field","name":{"kind":"Name","value":"instances"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"exited"}}]}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reached"}},{"kind":"Field","name":{"kind":"Name","value":"next"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"default"}},{"kind":"Field","name":{"kind":"Name","value":"overridden"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"journeyStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"journeyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"entered"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"exited"}},{"kind":"Field","name":{"kind":"Name","value":"exitedByReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"goalConversion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"entered"}},{"kind":"Field","name":{"kind":"Name","value":"converted"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"inFlight"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryRate"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"journeyInstances"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"journeyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"journeyId"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"currentStep"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"exitReason"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleJourneyQuery, ConsoleJourneyQueryVariables>;
export const ConsoleUpdateJourneySettingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdateJourneySettings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateJourneySettingsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateJourneySettings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"default"}},{"kind":"Field","name":{"kind":"Name","value":"overridden"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdateJourneySettingsMutation, ConsoleUpdateJourneySettingsMutationVariables>;
export const ConsoleJourneysDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleJourneys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"instances"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"exited"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleJourneysQuery, ConsoleJourneysQueryVariables>;
export const ConsolePauseJourneyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsolePauseJourney"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PauseJourneyInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pauseJourney"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsolePauseJourneyMutation, ConsolePauseJourneyMutationVariables>;
export const ConsoleResumeJourneyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleResumeJourney"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResumeJourneyInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resumeJourney"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleResumeJourneyMutation, ConsoleResumeJourneyMutationVariables>;
export const ConsoleArchiveJourneyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleArchiveJourney"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ArchiveJourneyInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"archiveJourney"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"journey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instances"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"exited"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleArchiveJourneyMutation, ConsoleArchiveJourneyMutationVariables>;
export const ConsoleSearchCustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleSearchCustomers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProfileSearchInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"searchProfiles"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"journeyInstances"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"journeyId"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"currentStep"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"exitReason"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleSearchCustomersQuery, ConsoleSearchCustomersQueryVariables>;
export const ConsoleTemplatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleTemplates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"templates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"latest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleTemplatesQuery, ConsoleTemplatesQueryVariables>;
export const ConsoleTemplateVersionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleTemplateVersions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"templates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"latest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"body"}}]}},{"kind":"Field","name":{"kind":"Name","value":"versions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleTemplateVersionsQuery, ConsoleTemplateVersionsQueryVariables>;
export const ConsolePreviewTemplateDraftDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePreviewTemplateDraft"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"locale"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channel"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Channel"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"body"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"payload"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSONObject"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previewTemplateDraft"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"locale"},"value":{"kind":"Variable","name":{"kind":"Name","value":"locale"}}},{"kind":"Argument","name":{"kind":"Name","value":"channel"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channel"}}},{"kind":"Argument","name":{"kind":"Name","value":"body"},"value":{"kind":"Variable","name":{"kind":"Name","value":"body"}}},{"kind":"Argument","name":{"kind":"Name","value":"payload"},"value":{"kind":"Variable","name":{"kind":"Name","value":"payload"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}}]}}]}}]} as unknown as DocumentNode<ConsolePreviewTemplateDraftQuery, ConsolePreviewTemplateDraftQueryVariables>;
export const ConsolePublishTemplateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsolePublishTemplate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PublishTemplateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishTemplate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"template"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"latest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"body"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"version"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsolePublishTemplateMutation, ConsolePublishTemplateMutationVariables>;