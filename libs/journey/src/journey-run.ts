import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type SignalDefinition,
} from '@temporalio/workflow';
import {
  checkLookupParams,
  customerEventSignal,
  customerMergedSignal,
  CustomerIdKey,
  journeyControlSignal,
  journeyStateQuery,
  JourneyStatusKey,
  messageStatusSignal,
  type MessageChannel,
  type SkipRule,
  JourneyStepKey,
  matchesFilter,
  type CustomerEvent,
  type DeliveryWatchActivities,
  type EventFilter,
  type JournalActivities,
  type JournalEntryType,
  type JourneyInput,
  type JourneySettingsActivities,
  type JourneyState,
  type MessagingPolicyActivities,
  type JourneyStatus,
  LOOKUP_ERROR_TYPES,
  type LookupActivities,
  type LookupDefinition,
  type LookupErrorType,
  type LookupParamValue,
  type LookupResult,
  type MessagingActivities,
  type ProfileActivities,
  type ProfileSnapshot,
  type SendOutcome,
  type SettingValue,
} from '@continuum/contracts';
import { channelOrder, isValidTimeZone, nextLocalTime, parseDuration, quietHoursAt, type Weekday } from '@continuum/domain';

const journal = proxyLocalActivities<JournalActivities>({ startToCloseTimeout: '30 seconds' });
type Reads = ProfileActivities & JourneySettingsActivities & MessagingPolicyActivities;
const remoteReads = proxyActivities<Reads>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
/**
 * The profile, settings and policy reads are short PostgreSQL reads: as local activities they run
 * inside the workflow task that asks for them, instead of costing an activity task and another
 * workflow task each on the Temporal server (the fire-out of many waiting journeys was bound by
 * those round trips: bench `waiting`). Past a minute of retries they back off on durable timers.
 */
const localReads = proxyLocalActivities<Reads>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds' },
});
/** Instances that made a read as an activity before this change keep doing so where they replay it. */
const LOCAL_READS_PATCH = 'continuum.local-reads';
const reads = (): Reads => (patched(LOCAL_READS_PATCH) ? localReads : remoteReads);
/** Instances that waited for a delivery before reports were signalled only for awaited messages wait as they did. */
const AWAITED_DELIVERIES_PATCH = 'continuum.awaited-deliveries';
const deliveryWatch = proxyLocalActivities<DeliveryWatchActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds' },
});
const messaging = (summary: string) =>
  proxyActivities<MessagingActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: ['InvalidSendRequest'] },
    summary,
  });

const warehouse = (summary: string) =>
  proxyActivities<LookupActivities>({
    startToCloseTimeout: '1 minute',
    // A lost warehouse connection retries for a few minutes at most: the send is waiting on it.
    retry: { maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: [...LOOKUP_ERROR_TYPES] },
    summary,
  });

/** A duration as milliseconds or text such as `"1 hour"`, `"30s"`, `"7 days"`. */
export type DurationInput = number | string;

export function toMs(duration: DurationInput): number {
  return typeof duration === 'number' ? duration : parseDuration(duration);
}

const EVENTS_KEPT = 50;
const SEEN_IDS_KEPT = 500;

/** What survives continue-as-new: the journey author never sees it. */
export interface CarriedState {
  seq: number;
  context: Record<string, unknown>;
  events: ReceivedEvent[];
  received: number;
  /** Events accepted per name, for counting resets however many arrive at once. */
  counts: Record<string, number>;
  seenMessageIds: string[];
  memo: unknown[];
  inProgress?: { index: number; state: Record<string, number> };
  settings: Record<string, SettingValue>;
  startedAt: number;
  timerResets: number;
  step: string;
  paused: boolean;
  continuedAsNew: number;
  /** Set when the instance's customer was merged into another (see customerMergedSignal). */
  customerId?: string;
  /** The latest status reported for this instance's recent messages, by message id. */
  deliveries?: Record<string, { status: string; errorCode: number | null }>;
}

export interface ReceivedEvent extends CustomerEvent {
  /** Position among every event this instance accepted (across continue-as-new). */
  index: number;
  /** True for events carried from an earlier run (their handlers already ran). */
  carried?: boolean;
}

/** Thrown inside a wait when the journey must end now (exit event, archive, max lifetime). */
export class JourneyExit extends Error {
  constructor(readonly reason: string) {
    super(`journey exited: ${reason}`);
    this.name = 'JourneyExit';
  }
}

/** Thrown inside a wait when history should be cut: the runner continues-as-new and resumes here. */
export class ContinueAsNewNeeded extends Error {
  constructor(readonly inProgress?: { index: number; state: Record<string, number> }) {
    super('continue-as-new needed');
    this.name = 'ContinueAsNewNeeded';
  }
}

export interface JourneyEnd {
  status: 'completed' | 'exited';
  reason?: string;
  detail?: Record<string, unknown>;
}

export type IdleOutcome = { outcome: 'idle'; resets: number } | { outcome: 'max-resets'; resets: number };
export type WaitForOutcome = { outcome: 'received'; event: CustomerEvent } | { outcome: 'timeout' };

export interface ContextualPayload {
  event?: CustomerEvent;
  journey: { id: string; instance: string; key: string; context: Record<string, unknown> };
  profile: {
    traits: Record<string, unknown>;
    identities: { userId: string; phone?: string; email?: string };
    /** IANA time zone, BCP 47 locale and ISO country, when the profile has them. */
    timezone?: string;
    locale?: string;
    country?: string;
  };
  /** The results of the lookups asked for (`payload({ lookups })`, `send(step, { lookups })`), by the names given there. */
  lookups: Record<string, LookupResult>;
}

/** A lookup (its definition, or its catalogue name) and the values of its parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any lookup's definition, whatever its parameter names
export type LookupRequest = readonly [LookupDefinition<any> | string, Record<string, LookupParamValue>];

/** Lookups to make for a payload, by the name their result gets in `payload.lookups`. */
export type LookupRequests = Record<string, LookupRequest>;

/**
 * A lookup that returned no rows because it failed (journaled as `lookup.failed`). Uncaught, it
 * ends the instance with reason `lookup failed: <name> (<type>)`; catch it to carry on without.
 */
export class LookupError extends Error {
  constructor(
    readonly lookup: string,
    readonly type: LookupErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'LookupError';
  }
}

/** Text given in the journey: a string, or built from the contextual payload. */
export type TextInput = string | ((payload: ContextualPayload) => string);

interface SendOptions {
  /**
   * The channel, or the channels to try in order (`['whatsapp', 'sms']`), or `auto`: the customer's
   * country's defaults (CHANNEL_DEFAULTS). A `preferred_channel` trait that is one of them goes first.
   * The next channel is tried when the customer has no address or no consent on one, when the send
   * fails permanently, or (with `fallbackAfter`) when no delivery is reported in time.
   */
  channel: MessageChannel | readonly MessageChannel[] | 'auto';
  /** The address, for a single channel; default: the customer's own for the channel. */
  to?: string;
  /** Lookups made just before sending; their results are `payload.lookups` in `body` or the template. */
  lookups?: LookupRequests;
  /**
   * A transactional message (an order update, a security code) is checked against the customer's
   * `transactional` consent only; anything else needs that they have not unsubscribed from
   * `marketing` on the channel. Declare it only where it is true.
   */
  transactional?: boolean;
  /**
   * Quiet hours (the deployment's QUIET_HOURS, in the customer's time zone, else their country's,
   * else the workspace's): `queue` waits durably until they end, `discard` skips the message and
   * journals why, `ignore` sends anyway. Default: the deployment's mode; `ignore` when transactional.
   */
  quietHours?: 'queue' | 'discard' | 'ignore';
  /** With several channels: wait this long for a delivery report before trying the next channel. */
  fallbackAfter?: DurationInput;
  /** Email subject (email needs one). */
  subject?: TextInput;
  /** In-app title. */
  title?: TextInput;
  /** In-app data for the frontend app (a deep link, an order id). */
  data?: Record<string, unknown>;
  /** MMS media URLs. */
  mediaUrls?: string[];
  /** WhatsApp outside the customer's 24-hour window: an approved template (Twilio Content SID) and its variables. */
  whatsappTemplate?: { contentSid: string; variables?: Record<string, string> | ((payload: ContextualPayload) => Record<string, string>) };
}

/** The text written in the journey: a string, or built from the contextual payload. */
export interface SendBody {
  body: TextInput;
  template?: never;
  locale?: never;
}

/**
 * A stored Liquid template (published through GraphQL), rendered by the messaging activity at the
 * moment of sending against the contextual payload, in the customer's locale with fallback
 * (`pt-BR` → `pt` → `default`). A template that cannot be rendered (a missing variable, no such
 * template) is not sent: the step journals `message.failed` with reason `template error: …`.
 * With several channels, name one template per channel (`{ sms: 'cart-sms', email: 'cart-email' }`).
 */
export interface SendTemplateContent {
  template: string | Partial<Record<MessageChannel, string>>;
  /** Overrides the profile's locale (still with fallback). */
  locale?: string;
  body?: never;
}

export type SendStep = SendOptions & (SendBody | SendTemplateContent);
/** @deprecated Use SendStep. */
export type SendSmsStep = SendStep;
/** @deprecated Use SendBody. */
export type SendSmsBody = SendBody;
/** @deprecated Use SendTemplateContent. */
export type SendSmsTemplate = SendTemplateContent;

/** How waiting for a message's delivery ended. */
export type DeliveryOutcome =
  | { outcome: 'delivered'; status: string }
  | { outcome: 'failed'; status: string; errorCode: number | null }
  | { outcome: 'timeout' }
  | { outcome: 'not-sent' };

/** Skips that make a channel preference try its next channel. */
const FALLBACK_RULES: ReadonlySet<SkipRule | undefined> = new Set<SkipRule | undefined>(['no-address', 'no-consent', 'whatsapp-window']);
const DELIVERED = new Set(['delivered', 'read']);
const UNDELIVERED = new Set(['undelivered', 'failed']);
const DELIVERY_RANK: Record<string, number> = { queued: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3, read: 4 };
const DELIVERIES_KEPT = 50;

export type SendResult = SendOutcome;

type EventHandler<S> = (event: CustomerEvent, journey: JourneyRun<S>) => void;

export interface JourneyRunOptions {
  exitOn: string[];
  /** Largest journey context, as JSON bytes; an event handler that would grow it past this is undone. */
  maxContextBytes: number;
  maxLifetimeMs: number;
  /** Continue-as-new once history passes this many events (or when Temporal suggests it). */
  historyLimit: number;
}

/**
 * One running journey instance, as its author sees it: the readable calls a journey is written
 * with. Every call is journaled, mirrored into search attributes and resumable across
 * continue-as-new (finished calls return their recorded result without acting again).
 */
export class JourneyRun<S = Record<string, SettingValue>> {
  private state: CarriedState;
  private status: JourneyStatus = 'active';
  private exitReason: string | undefined;
  private callIndex = 0;
  private readonly handlers = new Map<string, EventHandler<S>[]>();
  private readonly exitOn: Set<string>;

  constructor(
    readonly input: JourneyInput,
    carried: CarriedState | undefined,
    private readonly options: JourneyRunOptions,
  ) {
    this.exitOn = new Set(options.exitOn);
    this.state = carried ?? {
      seq: 0,
      context: {},
      events: [],
      received: 0,
      counts: {},
      seenMessageIds: [],
      memo: [],
      settings: {},
      startedAt: Date.now(),
      timerResets: 0,
      step: 'entry',
      paused: false,
      continuedAsNew: 0,
    };
    setHandler(customerEventSignal, (event) => this.receive(event));
    setHandler(journeyControlSignal, ({ action }) => {
      if (action === 'pause') this.state.paused = true;
      else if (action === 'resume') this.state.paused = false;
      else if (action === 'archive') this.requestExit('archived');
    });
    setHandler(customerMergedSignal, ({ customerId, customerRef, mergeId }) => {
      if (customerId === this.customerId) return;
      const from = this.customerId;
      this.state.customerId = customerId;
      // The instance keeps its workflow id; Web UI searches by CustomerId find it under its new customer.
      upsertSearchAttributes([{ key: CustomerIdKey, value: customerRef }]);
      this.pendingJournal.push({ type: 'customer.merged', detail: { from, into: customerId, mergeId } });
    });
    setHandler(messageStatusSignal, (report) => {
      // A report for a message of an earlier instance with the same workflow id is not ours.
      if (report.runId !== workflowInfo().firstExecutionRunId) return;
      this.noteDelivery(report.messageId, report.status, report.errorCode ?? null);
    });
    setHandler(journeyStateQuery, () => this.snapshot());
  }

  get key(): string {
    return this.input.key;
  }

  /** The instance's customer: the one it entered with, or the customer that one was merged into. */
  get customerId(): string {
    return this.state.customerId ?? this.input.customerId;
  }

  /** Settings resolved when the instance started (defaults, then workspace overrides). */
  get settings(): S {
    return this.state.settings as S;
  }

  /** Per-instance state that event handlers update; carried across continue-as-new. */
  get context(): Record<string, unknown> {
    return this.state.context;
  }

  /** The most recent events this instance accepted (the last 50). */
  get events(): readonly CustomerEvent[] {
    return this.state.events;
  }

  get lastEvent(): CustomerEvent | undefined {
    return this.state.events[this.state.events.length - 1];
  }

  get exited(): boolean {
    return this.status === 'exited';
  }

  /**
   * Runs `handler` for every accepted event with this name, e.g. to update the context. Call it
   * at the top of `run`, before the first `await`: events that arrived earlier (the entry event
   * included) are handed to it as soon as `run` reaches that first `await`.
   */
  on(eventName: string, handler: EventHandler<S>): this {
    this.handlers.set(eventName, [...(this.handlers.get(eventName) ?? []), handler]);
    return this;
  }

  /**
   * Waits until none of `resetOn` has arrived for `duration`: each one restarts the timer.
   * Ends early after `maxResets` resets.
   */
  async holdUntilIdle(duration: DurationInput, options: { resetOn: string[]; maxResets?: number; step: string }): Promise<IdleOutcome> {
    return this.step(options.step, 'hold-until-idle', async (resume) => {
      const durationMs = toMs(duration);
      const resetOn = new Set(options.resetOn);
      let resets = resume?.['resets'] ?? 0;
      let deadline = resume?.['deadline'] ?? Date.now() + durationMs;
      let seen = resume?.['seen'] ?? this.countOf(resetOn);
      if (!resume) await this.record('wait.started', options.step, { kind: 'holdUntilIdle', duration: String(duration), resetOn: options.resetOn, maxResets: options.maxResets });
      for (;;) {
        this.describe(`Holding until idle for ${String(duration)} (reset by ${options.resetOn.join(', ')}; ${resets} resets so far)`);
        const woken = await this.waitUntil(() => this.countOf(resetOn) > seen, deadline, `idle ${String(duration)} (${options.step})`, () => ({
          resets,
          deadline,
          seen,
        }));
        if (!woken) {
          await this.record('wait.ended', options.step, { outcome: 'idle', resets });
          return { outcome: 'idle', resets };
        }
        const added = this.countOf(resetOn) - seen;
        resets += added;
        this.state.timerResets += added;
        seen += added;
        deadline = Date.now() + durationMs;
        await this.record('timer.reset', options.step, { resets, event: this.lastEvent?.event, messageId: this.lastEvent?.messageId });
        if (options.maxResets !== undefined && resets >= options.maxResets) {
          await this.record('wait.ended', options.step, { outcome: 'max-resets', resets });
          return { outcome: 'max-resets', resets };
        }
        // Checked again after the journal write: a storm of events can grow history meanwhile.
        this.checkHistory({ resets, deadline, seen });
      }
    });
  }

  /** Waits for a correlated event (optionally matching `where`) until `timeout`. */
  async waitFor(
    eventName: string,
    options: {
      timeout: DurationInput;
      where?: EventFilter | ((event: CustomerEvent) => boolean);
      step: string;
      /**
       * Also take a matching event that arrived before the wait began (among the 50 most recent):
       * for journeys that handle each event once, in a loop, and must not miss one that came while
       * they were busy (pair it with a `where` that skips events already handled).
       */
      earlier?: boolean;
    },
  ): Promise<WaitForOutcome> {
    return this.step(options.step, 'wait-for', async (resume) => {
      const deadline = resume?.['deadline'] ?? Date.now() + toMs(options.timeout);
      const since = resume?.['seen'] ?? (options.earlier ? 0 : this.state.received);
      if (!resume) await this.record('wait.started', options.step, { kind: 'waitFor', event: eventName, timeout: String(options.timeout) });
      const accepts = (event: CustomerEvent) =>
        event.event === eventName &&
        (options.where === undefined ||
          (typeof options.where === 'function'
            ? options.where(event)
            : matchesFilter(options.where, { event: event.event, properties: event.properties, traits: event.traits ?? {} })));
      const waiter: { accepts: typeof accepts; found?: CustomerEvent } = {
        accepts,
        found: this.state.events.find((event) => event.index >= since && accepts(event)),
      };
      this.waiters.push(waiter);
      this.describe(`Waiting up to ${String(options.timeout)} for ${eventName}`);
      let woken: boolean;
      try {
        woken = await this.waitUntil(() => waiter.found !== undefined, deadline, `wait for ${eventName} (${options.step})`, () => ({
          deadline,
          seen: since,
        }));
      } finally {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
      }
      const event = woken ? (waiter.found as ReceivedEvent | undefined) : undefined;
      if (event) {
        const { index: _index, carried: _carried, ...plain } = event;
        await this.record('wait.ended', options.step, { outcome: 'received', event: eventName, messageId: event.messageId });
        return { outcome: 'received', event: plain };
      }
      await this.record('wait.ended', options.step, { outcome: 'timeout' });
      return { outcome: 'timeout' };
    });
  }

  /** Waits a fixed duration. */
  async delay(duration: DurationInput, options: { step: string }): Promise<void> {
    await this.step(options.step, 'delay', async (resume) => {
      const deadline = resume?.['deadline'] ?? Date.now() + toMs(duration);
      await this.delayTo(deadline, options.step, { kind: 'duration', duration: String(duration) }, resume !== undefined);
      return null;
    });
  }

  /**
   * Waits until a local time of day in the customer's time zone (the `timezone` trait, else
   * `fallbackTimeZone`), on allowed weekdays.
   */
  async delayUntilLocalTime(options: { time: string; weekdays?: Weekday[]; fallbackTimeZone?: string; step: string }): Promise<void> {
    const profile = await this.profile();
    await this.step(options.step, 'delay', async (resume) => {
      const trait = profile?.traits['timezone'];
      // A bad trait is customer data, not a bug: fall back (and journal it) rather than fail the task.
      const usable = typeof trait === 'string' && isValidTimeZone(trait);
      const timeZone = usable ? trait : (options.fallbackTimeZone ?? 'UTC');
      const deadline = resume?.['deadline'] ?? nextLocalTime(Date.now(), { time: options.time, timeZone, weekdays: options.weekdays });
      await this.delayTo(
        deadline,
        options.step,
        { kind: 'local-time', time: options.time, timeZone, weekdays: options.weekdays, ...(trait !== undefined && !usable ? { invalidTimezoneTrait: trait } : {}) },
        resume !== undefined,
      );
      return null;
    });
  }

  /** Waits until a date (from the event or a trait); a past or missing date does not wait. */
  async delayUntil(date: Date | string | number | undefined, options: { step: string }): Promise<void> {
    await this.step(options.step, 'delay', async (resume) => {
      const target = date === undefined ? NaN : new Date(date).getTime();
      const deadline = resume?.['deadline'] ?? (Number.isNaN(target) ? Date.now() : target);
      await this.delayTo(deadline, options.step, { kind: 'until-date', date: Number.isNaN(target) ? null : new Date(target).toISOString() }, resume !== undefined);
      return null;
    });
  }

  /** Records which way the journey went and why; returns `outcome`. */
  async branch<T extends string>(step: string, outcome: T, why: string): Promise<T> {
    return this.step(step, 'branch', async () => {
      await this.record('branch.taken', step, { outcome, reason: why });
      return outcome;
    });
  }

  /** A weighted random split, deterministic on replay (`{ a: 50, b: 50 }`). */
  async split<T extends string>(step: string, weights: Record<T, number>): Promise<T> {
    return this.step(step, 'split', async () => {
      const entries = Object.entries(weights) as Array<[T, number]>;
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      if (!(total > 0)) throw new Error(`split ${step}: weights must add up to more than 0`);
      let roll = Math.random() * total; // the workflow sandbox seeds Math.random per execution
      let chosen = entries[entries.length - 1]![0];
      for (const [variant, weight] of entries) {
        if (roll < weight) {
          chosen = variant;
          break;
        }
        roll -= weight;
      }
      await this.record('branch.taken', step, { outcome: chosen, reason: `random split ${JSON.stringify(weights)}` });
      return chosen;
    });
  }

  /** The profile as it is now (a fresh read, recorded in history). */
  async profile(): Promise<ProfileSnapshot | undefined> {
    return this.memoized(() => reads().getProfile({ workspaceId: this.input.workspaceId, userId: this.customerId }));
  }

  /**
   * Runs a named, read-only lookup against the warehouse now (a fresh read, recorded in history):
   * `{ rows, truncated }`. A failure is journaled (`lookup.failed`) and thrown as a `LookupError`.
   */
  async lookup<P extends string>(lookup: LookupDefinition<P>, params: { [K in P]: LookupParamValue }, options?: { step?: string }): Promise<LookupResult>;
  async lookup(lookup: string, params: Record<string, LookupParamValue>, options?: { step?: string }): Promise<LookupResult>;
  async lookup(lookup: LookupDefinition | string, params: Record<string, LookupParamValue>, options: { step?: string } = {}): Promise<LookupResult> {
    const name = typeof lookup === 'string' ? lookup : lookup.name;
    type Outcome = ({ ok: true } & LookupResult) | { ok: false; type: LookupErrorType; message: string };
    const outcome = await this.memoized<Outcome>(async () => {
      let failure: { type: LookupErrorType; message: string };
      const problem = typeof lookup === 'string' ? undefined : checkLookupParams(lookup, params);
      if (problem) {
        failure = { type: 'InvalidLookupParams', message: problem };
      } else {
        try {
          const result = await warehouse(`lookup ${name}`).runLookup({ name, params });
          return { ok: true, ...result };
        } catch (error) {
          if (!(error instanceof ActivityFailure)) throw error;
          const cause = error.cause instanceof ApplicationFailure ? error.cause : undefined;
          const type = (LOOKUP_ERROR_TYPES as readonly string[]).includes(cause?.type ?? '') ? (cause!.type as LookupErrorType) : 'WarehouseUnavailable';
          failure = { type, message: cause?.message ?? error.cause?.message ?? error.message };
        }
      }
      await this.record('lookup.failed', options.step ?? this.state.step, { lookup: name, params, errorType: failure.type, message: failure.message });
      return { ok: false, ...failure };
    });
    if (!outcome.ok) throw new LookupError(name, outcome.type, outcome.message);
    return { rows: outcome.rows, truncated: outcome.truncated };
  }

  /**
   * The contextual payload a message is built from; `lookups` are made now, in order, and their
   * results are in `payload.lookups` under the names given.
   */
  async payload(options: { lookups?: LookupRequests; step?: string } = {}): Promise<ContextualPayload> {
    const profile = await this.profile();
    const lookups: Record<string, LookupResult> = {};
    for (const [as, [lookup, params]] of Object.entries(options.lookups ?? {})) {
      lookups[as] = await this.lookup(lookup as string, params, { step: options.step });
    }
    return {
      event: this.lastEvent,
      journey: { id: this.input.journeyId, instance: workflowInfo().workflowId, key: this.input.key, context: this.state.context },
      profile: {
        traits: profile?.traits ?? {},
        identities: { userId: this.customerId, phone: profile?.phone, email: profile?.email },
        ...(profile?.timezone ? { timezone: profile.timezone } : {}),
        ...(profile?.locale ? { locale: profile.locale } : {}),
        ...(profile?.country ? { country: profile.country } : {}),
      },
      lookups,
    };
  }

  /**
   * Sends through the messaging activities (outbox-keyed by instance and step, so never twice), on
   * one channel or the first of several that works. Held while the journey is paused and, for
   * marketing, during quiet hours. Without an address the step is skipped and journaled.
   */
  async send(step: string, message: SendStep): Promise<SendResult> {
    const payload = await this.payload({ lookups: message.lookups, step });
    // A single SMS goes through `sendSms`, as before channels existed: running instances replay it.
    const legacy = message.channel === 'sms' && message.fallbackAfter === undefined && typeof message.template !== 'object';
    return this.step(step, 'send', async (resume) => {
      if (this.state.paused) {
        await this.record('send.held', step, { reason: 'journey paused' });
        this.describe(`Send ${step} held: the journey is paused`);
        await this.waitUntil(() => !this.state.paused, undefined, `held while paused (${step})`);
      }
      const to = message.to ?? payload.profile.identities.phone;
      if (legacy && !to) {
        const reason = 'no phone number on profile';
        await this.record('message.skipped', step, { channel: message.channel, reason });
        return { status: 'skipped', reason, rule: 'no-address', channel: 'sms' } as const;
      }
      // Quiet hours (instances that started before this rule existed replay without it).
      const quietMode = message.quietHours ?? (message.transactional ? 'ignore' : undefined);
      if (quietMode !== 'ignore' && (resume?.['quietUntil'] !== undefined || patched('continuum.quiet-hours'))) {
        let until = resume?.['quietUntil'];
        if (until === undefined) {
          const policy = await reads().getMessagingPolicy({ workspaceId: this.input.workspaceId });
          const quiet = quietHoursAt(Date.now(), policy, payload.profile);
          if (quiet) {
            const detail = { channel: message.channel, reason: 'quiet hours', window: `${quiet.window.start}-${quiet.window.end}`, timeZone: quiet.timeZone, zoneFrom: quiet.zoneFrom };
            if ((quietMode ?? policy.quietHours.mode) === 'discard') {
              const reason = `quiet hours ${detail.window} in ${quiet.timeZone}`;
              await this.record('message.skipped', step, { ...detail, reason });
              return { status: 'skipped', reason, rule: 'quiet-hours' } as const;
            }
            until = quiet.endsAt;
            await this.record('send.held', step, { ...detail, until: new Date(until).toISOString() });
          }
        }
        if (until !== undefined && until > Date.now()) {
          const deadline = until;
          this.describe(`Send ${step} held: quiet hours until ${new Date(deadline).toISOString()}`);
          await this.waitUntil(() => false, deadline, `quiet hours until ${new Date(deadline).toISOString()} (${step})`, () => ({ quietUntil: deadline }));
        }
      }
      if (!legacy) return this.sendOnChannels(step, message, payload);
      // A template is rendered by the activity at send time; a body is rendered here, as always.
      const content =
        message.template !== undefined
          ? { template: { name: message.template as string, ...(message.locale ? { locale: message.locale } : {}), payload: { ...payload } } }
          : { body: typeof message.body === 'function' ? message.body(payload) : message.body };
      const outcome = await messaging(`send sms (${step})`).sendSms({
        workspaceId: this.input.workspaceId,
        customerId: this.customerId,
        instanceId: workflowInfo().workflowId,
        runId: workflowInfo().firstExecutionRunId,
        journeyId: this.input.journeyId,
        step,
        to: to!,
        ...content,
        purpose: message.transactional ? 'transactional' : 'marketing',
      });
      await this.recordOutcome(step, 'sms', outcome, message.template !== undefined ? { template: message.template } : {});
      return outcome;
    });
  }

  /**
   * Waits until the provider reports `sent` (the result of `send`) delivered or failed, or until
   * `timeout`. In-app messages are delivered when sent.
   */
  async waitForDelivery(sent: SendResult, options: { timeout: DurationInput; step: string }): Promise<DeliveryOutcome> {
    return this.step(options.step, 'wait-for-delivery', async (resume) => {
      if (sent.status !== 'sent') return { outcome: 'not-sent' } as const;
      if (sent.channel === 'in_app') return { outcome: 'delivered', status: 'delivered' } as const;
      const deadline = resume?.['deadline'] ?? Date.now() + toMs(options.timeout);
      if (!resume) await this.record('wait.started', options.step, { kind: 'delivery', messageId: sent.messageId, timeout: String(options.timeout) });
      // Reports are signalled only for awaited messages: mark this one, and take a report that came before.
      if (!resume && patched(AWAITED_DELIVERIES_PATCH)) {
        const now = await deliveryWatch.watchDelivery({ messageId: sent.messageId });
        if (now) this.noteDelivery(sent.messageId, now.status, now.errorCode);
      }
      this.describe(`Waiting up to ${String(options.timeout)} for the delivery of message ${sent.messageId}`);
      await this.waitUntil(() => this.deliveryOf(sent.messageId).outcome !== 'timeout', deadline, `delivery of ${sent.messageId} (${options.step})`, () => ({ deadline }));
      const outcome = this.deliveryOf(sent.messageId);
      await this.record('wait.ended', options.step, { ...outcome, messageId: sent.messageId });
      return outcome;
    });
  }

  /** The first channel of the step's preference that takes the message (see SendStep.channel). */
  private async sendOnChannels(step: string, message: SendStep, payload: ContextualPayload): Promise<SendOutcome> {
    const requested = message.channel === 'auto' ? 'auto' : typeof message.channel === 'string' ? [message.channel] : [...message.channel];
    const defaults = requested === 'auto' ? ((await reads().getMessagingPolicy({ workspaceId: this.input.workspaceId })).channelDefaults ?? {}) : {};
    const country = payload.profile.country ?? (typeof payload.profile.traits['country'] === 'string' ? payload.profile.traits['country'] : undefined);
    const order = channelOrder(requested, { country, preferredChannel: payload.profile.traits['preferred_channel'] }, defaults);
    const fallbackMs = message.fallbackAfter === undefined ? undefined : toMs(message.fallbackAfter);
    const text = (value: TextInput | undefined) => (typeof value === 'function' ? value(payload) : value);
    let last: SendOutcome = { status: 'skipped', reason: 'no channel to send on', rule: 'no-address' };
    if (order.length === 0) await this.record('message.skipped', step, { reason: last.reason });
    for (const [attempt, channel] of order.entries()) {
      const templateName =
        typeof message.template === 'object' ? (message.template[channel] ?? (channel === 'mms' ? message.template.sms : undefined)) : message.template;
      const content =
        message.body !== undefined
          ? { body: text(message.body) }
          : templateName !== undefined
            ? { template: { name: templateName, ...(message.locale ? { locale: message.locale } : {}), payload: { ...payload } } }
            : undefined;
      const variables = message.whatsappTemplate?.variables;
      let outcome: SendOutcome;
      if (content === undefined && !(channel === 'whatsapp' && message.whatsappTemplate)) {
        outcome = { status: 'failed', channel, reason: `template error: no template named for ${channel}` };
      } else {
        outcome = await messaging(`send ${channel} (${step})`).sendMessage({
          workspaceId: this.input.workspaceId,
          customerId: this.customerId,
          instanceId: workflowInfo().workflowId,
          runId: workflowInfo().firstExecutionRunId,
          journeyId: this.input.journeyId,
          // Each channel tried is its own outbox row; the first keeps the step's name.
          step: attempt === 0 ? step : `${step}~${channel}`,
          channel,
          // Its delivery report is signalled to this instance only when a fallback waits for it.
          ...(fallbackMs !== undefined && attempt < order.length - 1 && channel !== 'in_app' ? { awaitDelivery: true } : {}),
          ...(order.length === 1 && message.to ? { to: message.to } : {}),
          ...content,
          ...(message.subject !== undefined ? { subject: text(message.subject) } : {}),
          ...(message.title !== undefined ? { title: text(message.title) } : {}),
          ...(message.data ? { data: message.data } : {}),
          ...(message.mediaUrls ? { mediaUrls: message.mediaUrls } : {}),
          ...(message.whatsappTemplate
            ? { whatsappTemplate: { contentSid: message.whatsappTemplate.contentSid, variables: typeof variables === 'function' ? variables(payload) : variables } }
            : {}),
          purpose: message.transactional ? 'transactional' : 'marketing',
        });
      }
      await this.recordOutcome(step, channel, outcome, templateName !== undefined ? { template: templateName } : {});
      last = outcome;
      let fallbackReason: string;
      if (outcome.status === 'sent') {
        const isLast = attempt === order.length - 1;
        if (fallbackMs === undefined || isLast || channel === 'in_app') return outcome;
        const delivery = await this.awaitDelivery(step, outcome.messageId, fallbackMs);
        if (delivery.outcome === 'delivered') return outcome;
        fallbackReason =
          delivery.outcome === 'failed'
            ? `${channel} ${delivery.status}${delivery.errorCode ? ` (error ${delivery.errorCode})` : ''}`
            : `no delivery on ${channel} within ${String(message.fallbackAfter)}`;
      } else if (outcome.status === 'failed') {
        fallbackReason = `${channel} failed: ${outcome.reason}`;
      } else if (FALLBACK_RULES.has(outcome.rule)) {
        fallbackReason = `${channel} skipped: ${outcome.reason}`;
      } else {
        return outcome; // a cap or a rule that holds on every channel: the journey goes on
      }
      const next = order[attempt + 1];
      if (next) await this.record('channel.fallback', step, { from: channel, to: next, reason: fallbackReason });
    }
    return last;
  }

  /** Waits up to `ms` for a delivery report of `messageId` (inside a send: no continue-as-new meanwhile). */
  private async awaitDelivery(step: string, messageId: string, ms: number): Promise<DeliveryOutcome> {
    this.describe(`Send ${step}: waiting up to ${ms / 1000} s for delivery of ${messageId}`);
    await this.waitUntil(() => this.deliveryOf(messageId).outcome !== 'timeout', Date.now() + ms, `delivery of ${messageId} (${step})`);
    const outcome = this.deliveryOf(messageId);
    await this.record('message.status', step, { messageId, ...outcome });
    return outcome;
  }

  /** Keeps the latest status of a message (statuses only move forward), for the most recent messages. */
  private noteDelivery(messageId: string, status: string, errorCode: number | null): void {
    const deliveries = (this.state.deliveries ??= {});
    const known = deliveries[messageId];
    if (known && (DELIVERY_RANK[known.status] ?? 0) >= (DELIVERY_RANK[status] ?? 0)) return;
    delete deliveries[messageId];
    deliveries[messageId] = { status, errorCode };
    const ids = Object.keys(deliveries);
    for (const id of ids.slice(0, Math.max(ids.length - DELIVERIES_KEPT, 0))) delete deliveries[id];
  }

  private deliveryOf(messageId: string): DeliveryOutcome {
    const report = this.state.deliveries?.[messageId];
    if (report && DELIVERED.has(report.status)) return { outcome: 'delivered', status: report.status };
    if (report && UNDELIVERED.has(report.status)) return { outcome: 'failed', status: report.status, errorCode: report.errorCode };
    return { outcome: 'timeout' };
  }

  private async recordOutcome(step: string, channel: MessageChannel, outcome: SendOutcome, template: Record<string, unknown>): Promise<void> {
    if (outcome.status === 'sent') {
      await this.record('message.sent', step, {
        channel,
        ...template,
        messageId: outcome.messageId,
        providerId: outcome.providerId,
      });
    } else if (outcome.status === 'skipped') {
      await this.record('message.skipped', step, { channel, ...template, reason: outcome.reason, ...(outcome.rule ? { rule: outcome.rule } : {}) });
    } else {
      await this.record('message.failed', step, { channel, ...template, messageId: outcome.messageId, errorCode: outcome.errorCode, reason: outcome.reason });
    }
  }

  /**
   * For changing a journey that has running instances: true in instances that reach this point
   * with the new code, false when replaying one that passed here with the old code.
   */
  patched(changeId: string): boolean {
    return patched(changeId);
  }

  /**
   * Computes a value once, from what the journey knows now, and records it: after
   * continue-as-new the recorded value comes back instead (a decision that depends on state the
   * journey later changes, such as an agent's answer, stays what it was).
   */
  async decide<T>(compute: () => T): Promise<T> {
    return this.memoized(async () => compute());
  }

  /**
   * Signals another workflow (e.g. the customer's conversation, with what this journey learnt or
   * sent). Resumable like every call: sent once, never again on replay or continue-as-new. A
   * workflow that is not running is not an error: the result is false.
   */
  async tell<Args extends unknown[]>(workflowId: string, signal: SignalDefinition<Args>, ...args: Args): Promise<boolean> {
    return this.memoized(async () => {
      try {
        await getExternalWorkflowHandle(workflowId).signal(signal, ...args);
        return true;
      } catch (error) {
        if (isCancellation(error)) throw error;
        return false;
      }
    });
  }

  /** Ends the journey early; return it from `run`. */
  exit(reason: string, detail: Record<string, unknown> = {}): JourneyEnd {
    return { status: 'exited', reason, detail };
  }

  /** Ends the journey having done what it was for; return it from `run` (the default). */
  complete(detail: Record<string, unknown> = {}): JourneyEnd {
    return { status: 'completed', detail };
  }

  // ---- used by defineJourney -------------------------------------------------------------

  /** @internal */
  async begin(loadSettings: boolean): Promise<void> {
    if (this.state.continuedAsNew === 0 && this.state.seq === 0) {
      this.moveTo('entry');
      await this.record('entered', 'entry', { event: this.state.events[0]?.event, messageId: this.state.events[0]?.messageId });
    }
    if (loadSettings) {
      this.state.settings = await reads().getJourneySettings({ journeyId: this.input.journeyId, workspaceId: this.input.workspaceId });
    }
    this.describe('Started');
  }

  /** @internal Remaining lifetime in ms. */
  lifetimeLeft(): number {
    return this.state.startedAt + this.options.maxLifetimeMs - Date.now();
  }

  /** @internal */
  requestExit(reason: string): void {
    if (this.status !== 'active') return;
    this.status = 'exited';
    this.exitReason = reason;
  }

  /** @internal */
  async finish(end: JourneyEnd): Promise<JourneyState> {
    this.status = end.status;
    this.exitReason = end.reason;
    const step = end.status === 'completed' ? 'done' : 'exit';
    this.moveTo(step);
    const trigger = this.exitReason?.startsWith('event: ') ? { messageId: this.lastEvent?.messageId } : {};
    await this.record(end.status === 'completed' ? 'completed' : 'exited', step, {
      ...(end.reason ? { reason: end.reason } : {}),
      ...trigger,
      ...end.detail,
    });
    this.describe(end.status === 'completed' ? 'Completed' : `Exited: ${end.reason}`);
    return this.snapshot();
  }

  /** @internal The exit reason set by an exit event, archive or lifetime, if any. */
  get pendingExit(): string | undefined {
    return this.status === 'exited' ? this.exitReason : undefined;
  }

  /** @internal */
  carry(inProgress?: { index: number; state: Record<string, number> }): CarriedState {
    return {
      ...this.state,
      events: this.state.events.map((event) => ({ ...event, carried: true })),
      inProgress,
      continuedAsNew: this.state.continuedAsNew + 1,
    };
  }

  snapshot(): JourneyState {
    return {
      step: this.state.step,
      status: this.status,
      context: this.state.context,
      timerResets: this.state.timerResets,
      exitReason: this.exitReason,
      continuedAsNew: this.state.continuedAsNew,
      eventsAccepted: this.state.received,
    };
  }

  // ---- internals -------------------------------------------------------------------------

  private receive(event: CustomerEvent): void {
    if (this.status !== 'active' || this.state.seenMessageIds.includes(event.messageId)) return;
    this.state.seenMessageIds.push(event.messageId);
    if (this.state.seenMessageIds.length > SEEN_IDS_KEPT) this.state.seenMessageIds.shift();
    const received: ReceivedEvent = { ...event, index: this.state.received };
    this.state.received += 1;
    if (event.event) this.state.counts[event.event] = (this.state.counts[event.event] ?? 0) + 1;
    this.state.events.push(received);
    if (this.state.events.length > EVENTS_KEPT) this.state.events.shift();
    if (event.event && this.exitOn.has(event.event)) {
      this.requestExit(`event: ${event.event}`);
      return;
    }
    for (const waiter of this.waiters) if (!waiter.found && waiter.accepts(event)) waiter.found = event;
    if (this.undispatched) this.undispatched.push(event);
    else this.dispatch(event);
  }

  /** Events accepted before `run` registered its handlers (unbounded until then). */
  private undispatched: CustomerEvent[] | undefined = [];

  private dispatch(event: CustomerEvent): void {
    const handlers = this.handlers.get(event.event ?? '') ?? [];
    if (handlers.length === 0) return;
    const before = JSON.stringify(this.state.context);
    for (const handler of handlers) handler(event, this);
    const size = JSON.stringify(this.state.context).length;
    if (size > this.options.maxContextBytes) {
      // Context is carried in every continue-as-new and query: keep large data in PostgreSQL
      // (the event itself is stored; keep its messageId) and the context small.
      this.state.context = JSON.parse(before) as Record<string, unknown>;
      this.rejectedContextUpdates.push({ event: event.event, messageId: event.messageId, bytes: size, limit: this.options.maxContextBytes });
    }
  }

  /** Context updates undone for size, journaled at the next step. */
  private readonly rejectedContextUpdates: Array<Record<string, unknown>> = [];
  /** Journal entries signal handlers asked for; written before the next step's entry. */
  private readonly pendingJournal: Array<{ type: JournalEntryType; detail: Record<string, unknown> }> = [];

  /** @internal Called once `run` has registered its handlers: hands them what arrived before. */
  openDispatch(): void {
    const pending = this.undispatched ?? [];
    this.undispatched = undefined;
    for (const event of pending) this.dispatch(event);
  }

  private countOf(names: Set<string>): number {
    let total = 0;
    for (const name of names) total += this.state.counts[name] ?? 0;
    return total;
  }

  private readonly waiters: Array<{ accepts: (event: CustomerEvent) => boolean; found?: CustomerEvent }> = [];

  /** Runs one resumable library call: replays its recorded result after continue-as-new. */
  private async step<T>(step: string, _kind: string, body: (resume?: Record<string, number>) => Promise<T>): Promise<T> {
    return this.memoized(async (resume) => {
      this.moveTo(step);
      return body(resume);
    });
  }

  private async memoized<T>(body: (resume?: Record<string, number>) => Promise<T>): Promise<T> {
    this.throwIfExited();
    const index = this.callIndex;
    this.callIndex += 1;
    if (index < this.state.memo.length) return this.state.memo[index] as T;
    const resume = this.state.inProgress?.index === index ? this.state.inProgress.state : undefined;
    this.currentIndex = index;
    const result = await body(resume);
    this.state.inProgress = undefined;
    this.state.memo.push(result === undefined ? null : result);
    return result;
  }

  private currentIndex = 0;

  /**
   * Waits for `ready` until `deadline` (epoch ms; none: no timeout). An exit request interrupts;
   * with `resumeState`, history growing past the limit during the wait continues-as-new and the
   * wait resumes in the next run from that state.
   */
  private async waitUntil(
    ready: () => boolean,
    deadline: number | undefined,
    summary: string,
    resumeState?: () => Record<string, number>,
  ): Promise<boolean> {
    const lifetimeEnd = this.state.startedAt + this.options.maxLifetimeMs;
    const until = Math.min(deadline ?? lifetimeEnd, lifetimeEnd);
    const remaining = Math.max(until - Date.now(), 0);
    const historyFull = () => resumeState !== undefined && this.historyFull();
    const done = await condition(() => this.exited || ready() || historyFull(), remaining === 0 ? 1 : remaining, { summary });
    if (!done && Date.now() >= lifetimeEnd && (deadline === undefined || deadline > lifetimeEnd)) this.requestExit('max lifetime reached');
    this.throwIfExited();
    if (done && !ready() && resumeState) throw new ContinueAsNewNeeded({ index: this.currentIndex, state: resumeState() });
    return done;
  }

  private historyFull(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= this.options.historyLimit;
  }

  private async delayTo(deadline: number, step: string, detail: Record<string, unknown>, resumed: boolean): Promise<void> {
    if (!resumed) await this.record('wait.started', step, { ...detail, until: new Date(deadline).toISOString() });
    this.describe(`Waiting until ${new Date(deadline).toISOString()}`);
    if (deadline > Date.now()) await this.waitUntil(() => false, deadline, `delay until ${new Date(deadline).toISOString()} (${step})`, () => ({ deadline }));
    await this.record('wait.ended', step, { outcome: 'elapsed' });
  }

  private checkHistory(state: Record<string, number>): void {
    if (this.historyFull()) throw new ContinueAsNewNeeded({ index: this.currentIndex, state });
  }

  private throwIfExited(): void {
    if (this.status === 'exited') throw new JourneyExit(this.exitReason ?? 'exit');
  }

  private moveTo(step: string): void {
    this.state.step = step;
    upsertSearchAttributes([
      { key: JourneyStepKey, value: step },
      { key: JourneyStatusKey, value: this.status },
    ]);
  }

  private describe(what: string): void {
    setCurrentDetails(
      `**${this.input.journeyId}** for customer \`${this.customerId}\`, key \`${this.input.key}\`\n\n` +
        `Step: \`${this.state.step}\` — ${what}${this.state.paused ? ' (journey paused)' : ''}\n\n` +
        `Events accepted: ${this.state.received}; timer resets: ${this.state.timerResets}`,
    );
  }

  private async record(type: JournalEntryType, step: string, detail: Record<string, unknown>): Promise<void> {
    for (const rejected of this.rejectedContextUpdates.splice(0)) await this.write('context.rejected', this.state.step, rejected);
    for (const pending of this.pendingJournal.splice(0)) await this.write(pending.type, this.state.step, pending.detail);
    await this.write(type, step, detail);
  }

  private async write(type: JournalEntryType, step: string, detail: Record<string, unknown>): Promise<void> {
    this.state.seq += 1;
    await journal.recordJournalEntry({
      workspaceId: this.input.workspaceId,
      instanceId: workflowInfo().workflowId,
      runId: workflowInfo().firstExecutionRunId,
      journeyId: this.input.journeyId,
      customerId: this.customerId,
      key: this.input.key,
      seq: this.state.seq,
      type,
      step,
      status: this.status,
      detail,
      at: new Date().toISOString(),
    });
  }
}

