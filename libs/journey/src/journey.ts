import {
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  customerEventSignal,
  journeyStateQuery,
  JourneyStatusKey,
  JourneyStepKey,
  type CustomerEvent,
  type JournalActivities,
  type JournalEntryType,
  type JourneyInput,
  type JourneySettingsActivities,
  type JourneyState,
  type JourneyStatus,
  type MessagingActivities,
  type ProfileActivities,
  type ProfileSnapshot,
  type SendOutcome,
} from '@continuum/contracts';

const journal = proxyActivities<JournalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
const profiles = proxyActivities<ProfileActivities & JourneySettingsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
const messaging = proxyActivities<MessagingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: ['InvalidSendRequest'] },
});

export interface JourneyOptions {
  /** Events that end the instance at once, even in the middle of a wait. */
  exitOn?: string[];
}

export type IdleOutcome =
  | { outcome: 'idle'; resets: number }
  | { outcome: 'max-resets'; resets: number }
  | { outcome: 'exited'; resets: number; reason: string };

export interface HoldUntilIdleOptions {
  /** Events that restart the timer. */
  resetOn: string[];
  /** Stop waiting after this many resets (default: unlimited). */
  maxResets?: number;
  /** Step name shown in the journal, the Web UI and `journeyState`. */
  step?: string;
}

type EventHandler = (event: CustomerEvent, journey: Journey) => void;

const SEEN_MESSAGE_IDS_CAP = 500;

/**
 * One running journey instance: receives customer events, keeps context, journals every step and
 * mirrors the current step and status into search attributes.
 */
export class Journey {
  readonly context: Record<string, unknown> = {};
  private step = 'entry';
  private status: JourneyStatus = 'active';
  private exitReason: string | undefined;
  private seq = 0;
  private timerResets = 0;
  private readonly received: CustomerEvent[] = [];
  private readonly seenMessageIds: string[] = [];
  private readonly handlers = new Map<string, EventHandler[]>();
  private readonly exitOn: Set<string>;

  constructor(
    readonly input: JourneyInput,
    options: JourneyOptions = {},
  ) {
    this.exitOn = new Set(options.exitOn ?? []);
    setHandler(customerEventSignal, (event) => this.receive(event));
    setHandler(journeyStateQuery, (): JourneyState => ({
      step: this.step,
      status: this.status,
      context: this.context,
      timerResets: this.timerResets,
      exitReason: this.exitReason,
    }));
  }

  /** Runs `handler` for every accepted event with this name (e.g. to update the context). */
  on(eventName: string, handler: EventHandler): this {
    this.handlers.set(eventName, [...(this.handlers.get(eventName) ?? []), handler]);
    // Events that arrived with the start (signalWithStart) precede the registration.
    for (const event of this.received) if (event.event === eventName) handler(event, this);
    return this;
  }

  get exited(): boolean {
    return this.status === 'exited';
  }

  /** The events this instance has accepted, in order. */
  get events(): readonly CustomerEvent[] {
    return this.received;
  }

  async entered(): Promise<void> {
    const first = this.received[0];
    await this.record('entered', 'entry', { event: first?.event, messageId: first?.messageId });
  }

  async settings(): Promise<Record<string, string>> {
    return profiles.getJourneySettings({ journeyId: this.input.journeyId });
  }

  async profile(): Promise<ProfileSnapshot | undefined> {
    return profiles.getProfile({ workspaceId: this.input.workspaceId, userId: this.input.customerId });
  }

  /**
   * Waits until no `resetOn` event has arrived for `durationMs`: every matching event restarts the
   * timer. Ends early when an exit event arrives.
   */
  async holdUntilIdle(durationMs: number, options: HoldUntilIdleOptions): Promise<IdleOutcome> {
    const step = options.step ?? 'hold-until-idle';
    this.moveTo(step);
    await this.record('wait.started', step, { kind: 'holdUntilIdle', durationMs, resetOn: options.resetOn });
    const resetOn = new Set(options.resetOn);
    let seen = this.countMatching(resetOn);
    let resets = 0;
    for (;;) {
      const woken = await condition(() => this.exited || this.countMatching(resetOn) > seen, durationMs);
      if (this.exited) {
        await this.recordExit();
        return { outcome: 'exited', resets, reason: this.exitReason ?? 'exit event' };
      }
      if (!woken) {
        await this.record('wait.ended', step, { outcome: 'idle', resets });
        return { outcome: 'idle', resets };
      }
      const matching = this.countMatching(resetOn);
      resets += matching - seen;
      this.timerResets += matching - seen;
      seen = matching;
      const latest = this.received[this.received.length - 1];
      await this.record('timer.reset', step, { resets, event: latest?.event, messageId: latest?.messageId });
      if (options.maxResets !== undefined && resets >= options.maxResets) {
        await this.record('wait.ended', step, { outcome: 'max-resets', resets });
        return { outcome: 'max-resets', resets };
      }
    }
  }

  /** Sends an SMS through the messaging activities (outbox-keyed by instance and step). */
  async sendSms(step: string, message: { to: string; body: string }): Promise<SendOutcome> {
    this.moveTo(step);
    const outcome = await messaging.sendSms({
      workspaceId: this.input.workspaceId,
      customerId: this.input.customerId,
      instanceId: workflowInfo().workflowId,
      journeyId: this.input.journeyId,
      step,
      to: message.to,
      body: message.body,
    });
    if (outcome.status === 'sent') {
      await this.record('message.sent', step, { channel: 'sms', messageId: outcome.messageId, providerId: outcome.providerId });
    } else {
      await this.record('message.failed', step, {
        channel: 'sms',
        messageId: outcome.messageId,
        errorCode: outcome.errorCode,
        reason: outcome.reason,
      });
    }
    return outcome;
  }

  /** Records that a step was skipped and why (nothing is sent). */
  async skipped(step: string, reason: string, detail: Record<string, unknown> = {}): Promise<void> {
    this.moveTo(step);
    await this.record('message.skipped', step, { reason, ...detail });
  }

  /** Ends the instance early with a reason. */
  async exit(reason: string, detail: Record<string, unknown> = {}): Promise<JourneyState> {
    this.status = 'exited';
    this.exitReason = reason;
    await this.recordExit(detail);
    return this.state();
  }

  /** Ends the instance having done what it was for. */
  async complete(): Promise<JourneyState> {
    this.status = 'completed';
    this.moveTo('done');
    await this.record('completed', 'done', {});
    return this.state();
  }

  state(): JourneyState {
    return { step: this.step, status: this.status, context: this.context, timerResets: this.timerResets, exitReason: this.exitReason };
  }

  private receive(event: CustomerEvent): void {
    if (this.status !== 'active' || this.seenMessageIds.includes(event.messageId)) return;
    this.seenMessageIds.push(event.messageId);
    if (this.seenMessageIds.length > SEEN_MESSAGE_IDS_CAP) this.seenMessageIds.shift();
    if (event.event && this.exitOn.has(event.event)) {
      this.status = 'exited';
      this.exitReason = `event: ${event.event}`;
      this.received.push(event);
      return;
    }
    this.received.push(event);
    for (const handler of this.handlers.get(event.event ?? '') ?? []) handler(event, this);
  }

  private countMatching(names: Set<string>): number {
    return this.received.filter((event) => event.event !== undefined && names.has(event.event)).length;
  }

  private async recordExit(detail: Record<string, unknown> = {}): Promise<void> {
    const trigger = this.received[this.received.length - 1];
    this.moveTo('exit');
    await this.record('exited', 'exit', {
      reason: this.exitReason,
      ...(this.exitReason?.startsWith('event:') ? { messageId: trigger?.messageId } : {}),
      ...detail,
    });
  }

  private moveTo(step: string): void {
    this.step = step;
    upsertSearchAttributes([
      { key: JourneyStepKey, value: step },
      { key: JourneyStatusKey, value: this.status },
    ]);
  }

  private async record(type: JournalEntryType, step: string, detail: Record<string, unknown>): Promise<void> {
    this.seq += 1;
    await journal.recordJournalEntry({
      workspaceId: this.input.workspaceId,
      instanceId: workflowInfo().workflowId,
      journeyId: this.input.journeyId,
      customerId: this.input.customerId,
      key: this.input.key,
      type,
      step,
      seq: this.seq,
      status: this.status,
      detail,
      at: new Date().toISOString(),
    });
  }
}

/** Starts the journey runtime for this workflow execution; call first thing in a journey workflow. */
export function startJourney(input: JourneyInput, options: JourneyOptions = {}): Journey {
  return new Journey(input, options);
}
