import type { SettingValue } from './journey-catalogue';

/** Activity interfaces: workflows call them through proxyActivities; the worker implements them. */

export interface ProfileSnapshot {
  userId: string;
  traits: Record<string, unknown>;
  phone?: string;
  email?: string;
  /** IANA time zone, BCP 47 locale and ISO country from the profile (validated when stored). */
  timezone?: string;
  locale?: string;
  country?: string;
}

/** Quiet hours: a daily local window in which marketing messages wait (`queue`) or are dropped (`discard`). */
export interface QuietHoursPolicy {
  /** `HH:MM` local times; the window may wrap midnight (21:00–08:00). */
  default?: { start: string; end: string };
  /** Per ISO country, replacing the default; null: no quiet hours in that country (a policy's override). */
  regions: Record<string, { start: string; end: string } | null>;
  mode: 'queue' | 'discard';
  /** Per ISO country, a mode replacing `mode` (a policy's country override); absent in older policies. */
  regionModes?: Record<string, 'queue' | 'discard'>;
}

/** What the messaging rules need, read once per send and recorded in history. */
export interface MessagingPolicy {
  quietHours: QuietHoursPolicy;
  /**
   * Channel order per ISO country for sends that leave the choice to the customer's place
   * (`channel: 'auto'`), e.g. `{ BR: ['whatsapp', 'sms'] }`; `*` for every other country.
   * Absent in policies recorded before channel defaults existed.
   */
  channelDefaults?: Record<string, MessageChannel[]>;
  /** The time zone of a country, for customers without their own. */
  regionTimeZones: Record<string, string>;
  /** The last fallback: the workspace's time zone. */
  workspaceTimeZone: string;
}

export interface MessagingPolicyActivities {
  getMessagingPolicy(input: { workspaceId: string }): Promise<MessagingPolicy>;
  /** The profile and the workspace's messaging policy in one read: what a send decides on. */
  getSendReads(input: { workspaceId: string; userId: string }): Promise<{ profile: ProfileSnapshot | undefined; policy: MessagingPolicy }>;
}

export interface ProfileActivities {
  /** Reads the profile at this moment; undefined when the customer has never been identified. */
  getProfile(input: { workspaceId: string; userId: string }): Promise<ProfileSnapshot | undefined>;
}

/** Channels a message can go out on (MMS is SMS with media; its consent is SMS consent). */
export const MESSAGE_CHANNELS = ['sms', 'mms', 'whatsapp', 'rcs', 'email', 'in_app'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** What every send carries, whatever the channel. */
export interface SendBaseInput {
  workspaceId: string;
  customerId: string;
  instanceId: string;
  /** The instance's first run id: a re-entry with the same workflow id is a new instance. */
  runId: string;
  journeyId: string;
  /** Step name; (instanceId, runId, step) is the outbox key that makes a retried send idempotent. */
  step: string;
  /** The text to send; a journey gives either `body` or `template`. */
  body?: string;
  /** A stored template rendered at send time (in the customer's locale) instead of `body`. */
  template?: SendTemplate;
  /**
   * The consent purpose checked at the moment of sending (default `marketing`). `transactional`
   * only where the journey declares the message transactional: it does not need marketing consent.
   */
  purpose?: string;
  /**
   * The journey waits for this message's delivery report (a channel fallback after a delay): only
   * such messages have their reports signalled to the instance (see `watchDelivery` for the rest).
   */
  awaitDelivery?: boolean;
}

export interface SendSmsInput extends SendBaseInput {
  to: string;
}

/** An approved WhatsApp template (Twilio Content API), the only thing WhatsApp allows outside the 24-hour window. */
export interface WhatsAppTemplate {
  contentSid: string;
  /** `{ "1": "Ana" }`: the template's numbered variables. */
  variables?: Record<string, string>;
}

export interface SendMessageInput extends SendBaseInput {
  channel: MessageChannel;
  /**
   * The address; absent, the customer's own for the channel: their phone (sms, mms, rcs), their
   * WhatsApp number (else their phone), their email, or the customer itself (in_app).
   */
  to?: string;
  /** Email subject (required for email). */
  subject?: string;
  /** In-app title. */
  title?: string;
  /** MMS media (http(s) URLs). */
  mediaUrls?: string[];
  /** WhatsApp: sent when the customer has not written within 24 hours (free-form text is refused then). */
  whatsappTemplate?: WhatsAppTemplate;
  /** In-app: data for the frontend app (a deep link, an order id). */
  data?: Record<string, unknown>;
}

/** A message template to render when sending (`send(step, { template })`). */
export interface SendTemplate {
  name: string;
  /** Overrides the profile's locale; either falls back `pt-BR` → `pt` → `default`. */
  locale?: string;
  /** What the template renders against: the journey's contextual payload. */
  payload: Record<string, unknown>;
}

/** Why a send was skipped: the first three make a channel preference fall back to its next channel. */
export type SkipRule = 'no-address' | 'no-consent' | 'whatsapp-window' | 'frequency-cap' | 'quiet-hours' | 'paused' | 'control-group';

export type SendOutcome =
  | {
      status: 'sent';
      messageId: string;
      providerId: string;
      duplicate: boolean;
      /** The channel asked for (absent in results recorded before channels existed: sms). */
      channel?: MessageChannel;
      to?: string;
    }
  /** `messageId` is absent when nothing reached the outbox (a template that could not be rendered). */
  | { status: 'failed'; messageId?: string; errorCode?: number; reason: string; channel?: MessageChannel }
  /** Not sent, by rule (no consent, no address, a cap); nothing reached the provider. */
  | { status: 'skipped'; reason: string; rule?: SkipRule; channel?: MessageChannel };

export interface MessagingActivities {
  /** SMS only; kept for journeys (and histories) written before `sendMessage`. */
  sendSms(input: SendSmsInput): Promise<SendOutcome>;
  sendMessage(input: SendMessageInput): Promise<SendOutcome>;
}

/** Statuses a message moves through; a later one never goes back to an earlier one. */
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';

/**
 * Delivery reports are recorded for every message but signalled only to instances that wait for
 * them: a signal landing while an instance completes would fail its completing workflow task.
 */
export interface DeliveryWatchActivities {
  /**
   * Marks the message as awaited, so that later reports are signalled to its instance, and returns
   * its status now (a report may have come before): undefined for a message that is not in the outbox.
   */
  watchDelivery(input: { messageId: string }): Promise<{ status: string; errorCode: number | null } | undefined>;
}

/** A transactional message asked for through `sendMessage` (GraphQL or REST), sent by the `transactionalSend` workflow. */
export interface TransactionalSendInput {
  /** The transactional_messages row; its workflow id is `transactional/<workspaceId>/<requestId>`. */
  requestId: string;
  workspaceId: string;
  customerId: string;
  channel: MessageChannel;
  template: string;
  locale?: string;
  /** What the template renders as `data` (besides `profile`). */
  data: Record<string, unknown>;
  to?: string;
  subject?: string;
  title?: string;
}

export interface TransactionalActivities {
  recordTransactionalOutcome(input: { requestId: string; outcome: SendOutcome }): Promise<void>;
  /**
   * The whole transactional send as one activity: reads the profile, sends through the outbox
   * (keyed by `instanceId`/`runId`, so a retry returns the first send's outcome) and records the
   * outcome on the request. A request the send refuses for good ends `failed`, recorded, with why.
   */
  sendTransactional(input: { request: TransactionalSendInput; instanceId: string; runId: string }): Promise<SendOutcome>;
}

/** What a broadcast does for each member: send a template, or enrol them in a journey. */
export type BroadcastAction =
  | { kind: 'template'; template: string; channel: MessageChannel; quietHours: 'skip' | 'queue' }
  | {
      kind: 'journey';
      journeyId: string;
      /** The entry event each member's instance starts with (one of the journey's entry events). */
      event: string;
      properties: Record<string, unknown>;
    };

/**
 * One run of a broadcast (a one-off broadcast has one; a recurring one, one per occurrence of its
 * schedule). The run reads the broadcast when it opens (`openBroadcastRun`); the fields after
 * `workspaceId` are those of runs started before runs were recorded, kept for their replay.
 */
export interface BroadcastRunInput {
  broadcastId: string;
  workspaceId: string;
  /** @deprecated runs read these from the broadcast. */
  audienceId?: string;
  /** @deprecated */
  template?: string;
  /** @deprecated */
  channel?: MessageChannel;
  /** @deprecated */
  ratePerSecond?: number;
  /** Set by the workflow on continue-as-new. */
  carried?: {
    after?: string;
    batches: number;
    paused: boolean;
    /** The opened run (absent in runs started before runs were recorded). */
    run?: BroadcastRunPlan;
    /** `audience`: reading members page by page; `queued`: only members waiting for their quiet hours to end are left. */
    phase?: 'audience' | 'queued';
    /** When the earliest member waiting for their quiet hours to end is due (epoch ms). */
    queuedDueAt?: number;
  };
}

/** A run as opened: its id and number, and what the broadcast asks of it. */
export interface BroadcastRunPlan {
  /** `broadcast_runs.id`: recipients and progress are per run. */
  runId: string;
  number: number;
  audienceId: string;
  workspaceSlug: string;
  ratePerSecond: number;
  action: BroadcastAction;
  /** The broadcast is paused or cancelled as this run opens (a schedule that fired meanwhile). */
  paused: boolean;
  cancelled: boolean;
}

export interface BroadcastBatchInput {
  broadcastId: string;
  /** Absent for runs started before runs were recorded: the run is found by `instanceId`. */
  broadcastRunId?: string;
  workspaceId: string;
  /** The customer part of journey workflow ids outside the default workspace (journey broadcasts). */
  workspaceSlug?: string;
  audienceId: string;
  /** What to do for each member (absent in old runs: `template` and `channel`). */
  action?: BroadcastAction;
  /** @deprecated old runs: the template. */
  template?: string;
  /** @deprecated old runs: the channel. */
  channel?: MessageChannel;
  ratePerSecond: number;
  /** The outbox key of every message of this run: (instanceId, runId, member:<customer>). */
  instanceId: string;
  runId: string;
  /** `audience` (default): the next page of members after `after`; `queued`: members whose quiet hours have ended. */
  source?: 'audience' | 'queued';
  /** Members after this customer id. */
  after?: string;
  limit: number;
  /**
   * This batch may end the run: when its page is the audience's last (fewer than `limit` members;
   * for `queued`, always) and no member waits for their quiet hours, it records the run completed
   * (unless the broadcast was paused or cancelled meanwhile) and says so in `completed` — the run
   * needs no activity of its own to end.
   */
  completesRun?: boolean;
}

export interface BroadcastBatchResult {
  /** Members read (a page of the audience, or queued members now due). */
  count: number;
  /** Where the next page starts. */
  last?: string;
  /** When the earliest member of the run still waiting for their quiet hours to end is due (epoch ms); absent when none waits. */
  queuedDueAt?: number;
  /** The batch recorded the run completed (asked for by `completesRun`). */
  completed?: boolean;
}

export interface BroadcastActivities {
  /** Records this workflow as a run of the broadcast (once per workflow id) and says what to do. */
  openBroadcastRun(input: { broadcastId: string; workflowId: string; scheduledAt: string }): Promise<BroadcastRunPlan>;
  /** Sends the template to the next `limit` members (each once per run, paced at the broadcast's rate). */
  sendBroadcastBatch(input: BroadcastBatchInput): Promise<BroadcastBatchResult>;
  /** Enrols the next `limit` members in the broadcast's journey (each once per run, paced at its rate). */
  enrolBroadcastBatch(input: BroadcastBatchInput): Promise<BroadcastBatchResult>;
  /**
   * The run's status (and a one-off broadcast's, which is its run's). Says `ended` when the run had
   * already ended (its last batch completed it), so the status did not move.
   */
  setBroadcastStatus(input: { broadcastId: string; broadcastRunId?: string; status: 'running' | 'paused' | 'cancelled' | 'completed' }): Promise<{ ended?: 'completed' | 'cancelled' }>;
}

export type JournalEntryType =
  | 'entered'
  | 'event.received'
  | 'wait.started'
  | 'timer.reset'
  | 'wait.ended'
  | 'branch.taken'
  | 'experiment.assigned'
  | 'context.rejected'
  | 'customer.merged'
  | 'send.held'
  | 'message.sent'
  | 'message.failed'
  | 'message.skipped'
  | 'message.status'
  | 'channel.fallback'
  | 'lookup.failed'
  | 'request.completed'
  | 'request.failed'
  | 'exited'
  | 'completed';

export interface JournalEntryInput {
  workspaceId: string;
  instanceId: string;
  journeyId: string;
  customerId: string;
  key: string;
  /** The instance's first run id (stable across continue-as-new). */
  runId: string;
  /** Position in the instance's journal; (instanceId, runId, seq) makes a retried write land once. */
  seq: number;
  type: JournalEntryType;
  step: string;
  /** Status of the instance after this entry. */
  status: 'active' | 'completed' | 'exited';
  detail?: Record<string, unknown>;
  /** Workflow time of the step, ISO-8601. */
  at: string;
}

export interface JournalActivities {
  recordJournalEntry(entry: JournalEntryInput): Promise<void>;
  /** Several entries, in order, in one transaction (instances that keep their entries until they next block). */
  recordJournalEntries(entries: JournalEntryInput[]): Promise<void>;
}

/** What an experiment's winner rule decided (see `journey.experiment`'s `autoWinner`). */
export interface ExperimentWinner {
  variant: string;
  /** The figures it was decided on: per arm customers and conversions, and the winner's p-values. */
  figures: {
    alpha: number;
    minPerArm: number;
    arms: Array<{ variant: string; control: boolean; entered: number; converted: number }>;
    pValues: Record<string, number>;
    /** When the winner was first declared (ISO-8601). */
    decidedAt?: string;
  };
}

export interface ExperimentActivities {
  /**
   * The experiment's winner, if its rule has one: the one declared before (it stays), else one
   * computed now from the results; null while no variant is significantly best.
   */
  experimentWinner(input: {
    workspaceId: string;
    journeyId: string;
    step: string;
    goal: { event: string; where?: Record<string, unknown>; within: string };
    controlId?: string;
    /** The arms in the order declared. */
    arms: string[];
    alpha: number;
    minPerArm: number;
  }): Promise<ExperimentWinner | null>;
}

/** Where a best send time's hour came from: the customer's own engagement, their market's, or the configured default. */
export type SendTimeSource = 'personal' | 'market' | 'default';

/** The instant `delayUntilBestTime` waits for, and why (recorded in history and journaled). */
export interface BestSendTime {
  /** Epoch ms, within `[now, now + withinMs]`. */
  at: number;
  source: SendTimeSource;
  /** The local hour (0–23) `at` falls in, in `timeZone`. */
  hour: number;
  /** The hour the evidence pointed at (differs from `hour` when it was not in the window or was quiet). */
  bestHour: number;
  timeZone: string;
  zoneFrom: 'profile' | 'country' | 'workspace';
  /** Engagements the hour was read from (0 for the default). */
  evidence: number;
  /** For `market`: the country whose customers it was read from, or `workspace`. */
  market?: string;
  /** `avoided`: a better hour fell in quiet hours; `whole-window`: the window is all quiet hours (`at` is now; the send holds itself). */
  quietHours: 'clear' | 'avoided' | 'whole-window';
  /** One line for the journal and the Web UI. */
  reason: string;
}

export interface SendTimeActivities {
  /**
   * The best instant within the window to send to this customer on `channel`: their best local hour
   * from their own engagement (reads, replies, clicks), else their market's, else the default hour;
   * never in quiet hours when the window has a moment outside them. `now` is workflow time.
   */
  bestSendTime(input: { workspaceId: string; customerId: string; channel: MessageChannel; now: number; withinMs: number }): Promise<BestSendTime>;
}

export interface JourneySettingsActivities {
  /**
   * Settings an instance reads when it starts (defaults, then the workspace's overrides); recorded
   * in history, so later changes apply only to instances that start afterwards.
   */
  getJourneySettings(input: { journeyId: string; workspaceId: string }): Promise<Record<string, SettingValue>>;
}
