import {
  condition,
  ApplicationFailure,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type SignalDefinition,
} from '@temporalio/workflow';
import {
  customerEventSignal,
  customerMergedSignal,
  CustomerIdKey,
  journeyControlSignal,
  journeyStateQuery,
  messageStatusSignal,
  type CustomerEvent,
  type JourneyGoal,
  type JourneyInput,
  type ExitRule,
  type JourneyState,
  type JourneyStatus,
  type LookupDefinition,
  type LookupParamValue,
  type LookupResult,
  type MessagingPolicy,
  type ProfileSnapshot,
  type SettingValue,
} from '@continuum/contracts';
import { experimentReads, reads, READY_WAITS_PATCH, REPLIES_DURING_SEND_PATCH, SEND_READS_PATCH, sendTimeReads } from './activities';
import { ContinueAsNewNeeded, JourneyExit, type CarriedState, type JourneyEnd } from './carried-state';
import { EventInbox, type EventHandler } from './event-inbox';
import { assign, assignmentRoll, experimentGoal, experimentProblem, goalProblem, winnerRule, type ExperimentAssignment, type ExperimentOptions } from './experiment';
import { JournalWriter } from './journal-writer';
import { callLookup, type LookupOutcome } from './lookup-call';
import { callRequest, requestJournalDetail, type RequestOptions, type RequestResult } from './request-call';
import { LookupError, payloadProfile, toMs, type ContextualPayload, type DurationInput, type LookupRequests } from './payload';
import type { DeliveryOutcome, SendResult, SendStep, UnsentResult } from './send-options';
import { bestTimeJournalDetail, bestTimeProblem, type BestTimeOptions, type BestTimeOutcome } from './send-time';
import { decidesOnPolicy, MessageSending } from './sending';
import { continuumPatched } from './patches';
import { weightedChoice } from './weighted-choice';
import { JourneyWaits, type DelayUntilOutcome, type HoldUntilIdleOptions, type IdleOutcome, type LocalTimeOptions, type WaitForOptions, type WaitForOutcome } from './waits';

export interface JourneyRunOptions {
  /** The events that end an instance at once. */
  exitRules: ExitRule[];
  /** Largest journey context, as JSON bytes; an event handler that would grow it past this is undone. */
  maxContextBytes: number;
  maxLifetimeMs: number;
  /** Continue-as-new once history passes this many events (or when Temporal suggests it). */
  historyLimit: number;
  /** Why a step id may not be used (it is not in the journey's steps list); none: any id. */
  checkStep?: (step: string) => string | undefined;
  /** The journey's conversion goal (experiments default to it). */
  goal?: JourneyGoal;
}

/**
 * One running journey instance, as its author sees it: the readable calls a journey is written
 * with. Every call is journaled, mirrored into search attributes and resumable across
 * continue-as-new (finished calls return their recorded result without acting again).
 */
export class JourneyRun<S = Record<string, SettingValue>, Id extends string = string> {
  private readonly state: CarriedState;
  private status: JourneyStatus = 'active';
  private exitReason: string | undefined;
  /** Position of the next resumable call in `state.memo`. */
  private callIndex = 0;
  /** Position of the resumable call under way (where a continue-as-new resumes). */
  private currentIndex = 0;
  private readonly journal: JournalWriter;
  private readonly inbox: EventInbox<JourneyRun<S, Id>>;
  private readonly sending: MessageSending;
  private readonly waits: JourneyWaits;

  constructor(
    readonly input: JourneyInput,
    carried: CarriedState | undefined,
    private readonly options: JourneyRunOptions,
  ) {
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
    this.journal = new JournalWriter({
      input,
      state: this.state,
      status: () => this.status,
      customerId: () => this.customerId,
    });
    this.inbox = new EventInbox<JourneyRun<S, Id>>(this.state, {
      journey: this,
      exitRules: options.exitRules,
      maxContextBytes: options.maxContextBytes,
      isActive: () => this.status === 'active',
      requestExit: (reason) => this.requestExit(reason),
      rejectedContext: (detail) => this.journal.noteRejectedContext(detail),
    });
    this.sending = new MessageSending({
      input,
      state: this.state,
      journal: this.journal,
      customerId: () => this.customerId,
      waitUntil: (ready, deadline, summary, resumeState) => this.waitUntil(ready, deadline, summary, resumeState),
    });
    this.waits = new JourneyWaits({
      state: this.state,
      journal: this.journal,
      inbox: this.inbox,
      lastEvent: () => this.lastEvent,
      waitUntil: (ready, deadline, summary, resumeState) => this.waitUntil(ready, deadline, summary, resumeState),
      checkHistory: (state) => this.checkHistory(state),
      repliesDuringSend: () => continuumPatched(REPLIES_DURING_SEND_PATCH),
    });
    // The events it was started with come first: before the signals already waiting, which registering
    // the handler hands over at once (as a signal-with-start's event is).
    if (carried === undefined) for (const event of input.events ?? []) this.inbox.receive(event);
    setHandler(customerEventSignal, (event) => this.inbox.receive(event));
    setHandler(journeyControlSignal, ({ action, reason }) => {
      if (action === 'pause') this.state.paused = true;
      else if (action === 'resume') this.state.paused = false;
      // An operator ending this instance gives a reason; the journey archived (or the customer erased) does not.
      else if (action === 'archive') this.requestExit(reason ? `ended by operator: ${reason}` : 'archived');
    });
    setHandler(customerMergedSignal, ({ customerId, customerRef, mergeId }) => {
      if (customerId === this.customerId) return;
      const from = this.customerId;
      this.state.customerId = customerId;
      // The instance keeps its workflow id; Web UI searches by CustomerId find it under its new customer.
      upsertSearchAttributes([{ key: CustomerIdKey, value: customerRef }]);
      this.journal.queue('customer.merged', { from, into: customerId, mergeId });
    });
    setHandler(messageStatusSignal, (report) => {
      // A report for a message of an earlier instance with the same workflow id is not ours.
      if (report.runId !== workflowInfo().firstExecutionRunId) return;
      this.sending.noteDelivery(report.messageId, report.status, report.errorCode ?? null);
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

  /**
   * Workflow time as a Date: the time this step of the journey runs at, the same on replay. Use it
   * (not `Date.now()` or `new Date()` written by hand) for decisions in `branch` and elsewhere.
   */
  now(): Date {
    return new Date(Date.now()); // the workflow sandbox makes Date.now() workflow time
  }

    get exited(): boolean {
    return this.status === 'exited';
  }

  /**
   * Runs `handler` for every accepted event with this name, e.g. to update the context. Call it
   * at the top of `run`, before the first `await`: events that arrived earlier (the entry event
   * included) are handed to it as soon as `run` reaches that first `await`.
   */
  on(eventName: string, handler: EventHandler<JourneyRun<S, Id>>): this {
    this.inbox.on(eventName, handler);
    return this;
  }

  /**
   * Waits until none of `resetOn` has arrived for `duration`: each one restarts the timer.
   * Ends early after `maxResets` resets.
   */
  async holdUntilIdle(duration: DurationInput, options: HoldUntilIdleOptions & { step: Id }): Promise<IdleOutcome> {
    return this.step(options.step, 'hold-until-idle', async (resume) => this.waits.holdUntilIdle(duration, options, resume));
  }

  /** Waits for a correlated event (optionally matching `where`) until `timeout`. */
  async waitFor(eventName: string, options: WaitForOptions & { step: Id }): Promise<WaitForOutcome> {
    return this.step(options.step, 'wait-for', async (resume) => this.waits.waitFor(eventName, options, resume));
  }

  /**
   * Waits for the customer's reply to a message this instance sent (a `Message Received` the
   * gateway correlated with it), optionally matching `where`, until `timeout`. A reply that came
   * while the send was still finishing counts; one the gateway correlated with another message does
   * not. For a message that was not sent, only a reply the gateway could not correlate counts.
   */
  async waitForReply(sent: SendResult, options: Omit<WaitForOptions, 'replyTo' | 'earlier'> & { step: Id }): Promise<WaitForOutcome> {
    const replyTo = sent.status === 'sent' ? sent.messageId : '';
    return this.step(options.step, 'wait-for', async (resume) => this.waits.waitFor('Message Received', { ...options, replyTo }, resume));
  }

  /** Waits a fixed duration. */
  async delay(duration: DurationInput, options: { step: Id }): Promise<void> {
    await this.step(options.step, 'delay', async (resume) => this.waits.delay(duration, options, resume));
  }

  /**
   * Waits until a local time of day in the customer's time zone (the `timezone` trait, else
   * `fallbackTimeZone`), on allowed weekdays.
   */
  async delayUntilLocalTime(options: LocalTimeOptions & { step: Id }): Promise<void> {
    const profile = await this.profile();
    await this.step(options.step, 'delay', async (resume) => this.waits.delayUntilLocalTime(profile, options, resume));
  }

  /**
   * Waits until a date (from the event or a trait); a past or missing date does not wait. Says
   * whether it waited, and until when (no `until` for a missing or invalid date).
   */
  async delayUntil(date: Date | string | number | undefined, options: { step: Id }): Promise<DelayUntilOutcome> {
    // Steps recorded before the outcome existed carried `null`: they had finished, and say they did not wait.
    const outcome = await this.step(options.step, 'delay', async (resume) => this.waits.delayUntil(date, options, resume));
    const until = outcome?.until ?? null;
    return { waited: outcome?.waited ?? false, ...(until !== null ? { until: new Date(until) } : {}) };
  }

  /**
   * Waits until the best moment within `within` to reach this customer on `channel`: their best
   * local hour from their own engagement (reads, replies, clicks), else their market's, else the
   * default hour; outside quiet hours. The choice and its reason are journaled (`wait.started`, kind
   * `best-time`).
   */
  async delayUntilBestTime(step: Id, options: BestTimeOptions): Promise<BestTimeOutcome> {
    this.assertDeclared(step);
    const problem = bestTimeProblem(step, options);
    if (problem) throw ApplicationFailure.nonRetryable(problem, 'InvalidBestTime');
    // Chosen once, as of workflow time, and recorded: after continue-as-new the wait resumes toward the same instant.
    const choice = await this.memoized(() =>
      sendTimeReads.bestSendTime({ workspaceId: this.input.workspaceId, customerId: this.customerId, channel: options.channel, now: Date.now(), withinMs: toMs(options.within) }),
    );
    await this.step(step, 'delay', async (resume) => this.waits.delayUntilBestTime(choice, step, bestTimeJournalDetail(options, choice), resume));
    return { until: new Date(choice.at), source: choice.source, hour: choice.hour, bestHour: choice.bestHour, timeZone: choice.timeZone, evidence: choice.evidence };
  }

  /** Records which way the journey went and why; returns `outcome`. */
  async branch<T extends string>(step: Id, outcome: T, why: string): Promise<T> {
    return this.step(step, 'branch', async () => {
      await this.journal.record('branch.taken', step, { outcome, reason: why });
      return outcome;
    });
  }

  /** A weighted random split, deterministic on replay (`{ a: 50, b: 50 }`). */
  async split<T extends string>(step: Id, weights: Record<T, number>): Promise<T> {
    return this.step(step, 'split', async () => {
      // The workflow sandbox seeds Math.random per execution: the same roll on replay.
      const chosen = weightedChoice(weights, Math.random(), `split ${step}`);
      await this.journal.record('branch.taken', step, { outcome: chosen, reason: `random split ${JSON.stringify(weights)}` });
      return chosen;
    });
  }

  /**
   * Assigns the customer one of the experiment's variants, or its control group, and returns its id.
   * The assignment is a stable hash of (workspace, journey, step, customer), so the customer gets the
   * same variant on every entry; it is journaled (`experiment.assigned`, with the goal measured).
   * In the control group the instance goes on but is sent nothing from here on: each later `send`
   * is skipped with rule `control-group` (and journaled), so its conversions are still measured.
   * See `experimentResults` in the GraphQL API.
   */
  async experiment<V extends string>(step: Id, options: ExperimentOptions<V>): Promise<V> {
    return this.step(step, 'experiment', async () => {
      const goal = experimentGoal(options, this.options.goal);
      const problem = experimentProblem(step, options) ?? (goal && options.goal !== undefined ? goalProblem(goal) : undefined);
      if (problem) throw ApplicationFailure.nonRetryable(problem, 'InvalidExperiment');
      const roll = assignmentRoll({ workspaceId: this.input.workspaceId, journeyId: this.input.journeyId, step, customerId: this.customerId });
      const { variant, control, weights } = assign(options, roll, step);
      const declared = { weights, ...(options.control ? { controlId: options.control.id } : {}), ...(goal ? { goal } : {}) };
      const rule = winnerRule(options);
      if (rule && !goal) throw ApplicationFailure.nonRetryable(`experiment ${step}: autoWinner needs a goal (the experiment's or the journey's)`, 'InvalidExperiment');
      const winner = rule && goal
        ? await experimentReads.experimentWinner({
            workspaceId: this.input.workspaceId,
            journeyId: this.input.journeyId,
            step,
            goal: { event: goal.event, ...(goal.where ? { where: goal.where as Record<string, unknown> } : {}), within: goal.within },
            ...(options.control ? { controlId: options.control.id } : {}),
            arms: Object.keys(weights),
            ...rule,
          })
        : null;
      if (winner && winner.variant in weights && winner.variant !== options.control?.id) {
        // Not an assignment: the customer goes down the winner; experimentResults leaves such entries out.
        await this.journal.record('experiment.assigned', step, { variant: winner.variant, control: false, ...declared, rule: 'winner', winner: winner.figures });
        return winner.variant as V;
      }
      const detail: ExperimentAssignment = { variant, control, ...declared };
      await this.journal.record('experiment.assigned', step, { ...detail });
      if (control) this.state.controlGroup = step;
      return variant as V;
    });
  }

  /** The profile as it is now (a fresh read, recorded in history). */
  async profile(): Promise<ProfileSnapshot | undefined> {
    return this.readProfile();
  }

  /**
   * The profile, read now (memoized like every call). For a send (`withPolicy`), instances since
   * patch continuum.send-reads read the messaging policy with it in one local activity and hand it
   * over; a memoized profile (the call finished in an earlier run) comes back without one.
   */
  private async readProfile(withPolicy?: (policy: MessagingPolicy) => void): Promise<ProfileSnapshot | undefined> {
    const read = { workspaceId: this.input.workspaceId, userId: this.customerId };
    return this.memoized(async () => {
      if (!withPolicy || !continuumPatched(SEND_READS_PATCH)) return reads().getProfile(read);
      const both = await reads().getSendReads(read);
      withPolicy(both.policy);
      return both.profile;
    });
  }

  /**
   * Runs a named, read-only lookup against the warehouse now (a fresh read, recorded in history):
   * `{ rows, truncated }`. A failure is journaled (`lookup.failed`) and thrown as a `LookupError`.
   */
  async lookup<P extends string>(lookup: LookupDefinition<P>, params: { [K in P]: LookupParamValue }, options?: { step?: Id }): Promise<LookupResult>;
  async lookup(lookup: string, params: Record<string, LookupParamValue>, options?: { step?: Id }): Promise<LookupResult>;
  async lookup(lookup: LookupDefinition | string, params: Record<string, LookupParamValue>, options: { step?: string } = {}): Promise<LookupResult> {
    const name = typeof lookup === 'string' ? lookup : lookup.name;
    if (options.step !== undefined) this.assertDeclared(options.step);
    const outcome = await this.memoized<LookupOutcome>(async () => {
      this.journal.flushAttributes();
      const writing = this.journal.settle();
      if (writing) await writing;
      const result = await callLookup(lookup, params);
      if (!result.ok) {
        await this.journal.record('lookup.failed', options.step ?? this.state.step, { lookup: name, params, errorType: result.type, message: result.message });
      }
      return result;
    });
    if (!outcome.ok) throw new LookupError(name, outcome.type, outcome.message);
    return { rows: outcome.rows, truncated: outcome.truncated };
  }

  /**
   * The contextual payload a message is built from; `lookups` are made now, in order, and their
   * results are in `payload.lookups` under the names given.
   */
  async payload(options: { lookups?: LookupRequests; step?: Id } = {}, withPolicy?: (policy: MessagingPolicy) => void): Promise<ContextualPayload> {
    const profile = await this.readProfile(withPolicy);
    const lookups: Record<string, LookupResult> = {};
    for (const [as, [lookup, params]] of Object.entries(options.lookups ?? {})) {
      lookups[as] = await this.lookup(lookup as string, params, { step: options.step });
    }
    return {
      event: this.lastEvent,
      journey: { id: this.input.journeyId, instance: workflowInfo().workflowId, key: this.input.key, context: this.state.context },
      profile: payloadProfile(profile, this.customerId),
      lookups,
    };
  }

  /**
   * Sends through the messaging activities (outbox-keyed by instance and step, so never twice), on
   * one channel or the first of several that works. Held while the journey is paused and, for
   * marketing, during quiet hours. Without an address the step is skipped and journaled.
   */
  async send(step: Id, message: SendStep): Promise<SendResult> {
    const experiment = this.state.controlGroup;
    if (experiment !== undefined) {
      // The control group of an experiment is sent nothing (and makes no lookups for it).
      return this.step(step, 'send', async () => {
        const reason = `control group of experiment ${experiment}`;
        await this.journal.record('message.skipped', step, { reason, rule: 'control-group', experiment });
        return { status: 'skipped', reason, rule: 'control-group' } as const;
      });
    }
    // The policy is read with the profile only where the send decides on it: quiet hours, or the channel order.
    let policy: MessagingPolicy | undefined;
    const payload = await this.payload({ lookups: message.lookups, step }, decidesOnPolicy(message) ? (read) => (policy = read) : undefined);
    return this.step(step, 'send', async (resume) => this.sending.send(step, message, payload, resume, policy));
  }

  /**
   * Makes a signed HTTP request (Standard Webhooks headers, the workspace's secret) to an outside
   * service under the egress guard, retrying timeouts, network errors, 5xx, 408 and 429 with
   * backoff. Journaled (`request.completed` / `request.failed`); a failure is returned, never thrown.
   */
  async request(step: Id, options: RequestOptions): Promise<RequestResult> {
    return this.step(step, 'request', async () => {
      // The call can take minutes (retries): the Web UI shows this step meanwhile.
      this.journal.flushAttributes();
      const writing = this.journal.settle();
      if (writing) await writing;
      const result = await callRequest(this.input.workspaceId, step, options);
      await this.journal.record(result.status === 'ok' ? 'request.completed' : 'request.failed', step, requestJournalDetail(options, result));
      return result;
    });
  }

  /**
   * Waits until the provider reports `sent` (the result of `send`) delivered or failed, or until
   * `timeout`. In-app messages are delivered when sent.
   */
  async waitForDelivery(sent: SendResult, options: { timeout: DurationInput; step: Id }): Promise<DeliveryOutcome> {
    return this.step(options.step, 'wait-for-delivery', async (resume) => this.sending.waitForDelivery(sent, options, resume));
  }

  /**
   * For changing a journey that has running instances: true in instances that reach this point
   * with the new code, false when replaying one that passed here with the old code.
   */
  patched(changeId: string): boolean {
    return continuumPatched(changeId);
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

  /**
   * Ends the journey after a send that did not go out: skipped → exit with the skip's reason and
   * `{ nothingSent: true }`; failed → exit `send failed: <reason>` (with `{ nothingSent: true }` too
   * when `nothingSentOnFailure`). `if (sent.status !== 'sent') return journey.exitUnsent(sent);`
   */
  exitUnsent(sent: UnsentResult, options: { nothingSentOnFailure?: boolean } = {}): JourneyEnd {
    if (sent.status === 'skipped') return this.exit(sent.reason, { nothingSent: true });
    return this.exit(`send failed: ${sent.reason}`, options.nothingSentOnFailure ? { nothingSent: true } : {});
  }

  /** Ends the journey having done what it was for; return it from `run` (the default). */
  complete(detail: Record<string, unknown> = {}): JourneyEnd {
    return { status: 'completed', detail };
  }

  // ---- used by defineJourney -------------------------------------------------------------

  /** @internal */
  async begin(loadSettings: boolean): Promise<void> {
    if (this.state.continuedAsNew === 0 && this.state.seq === 0) {
      this.journal.moveTo('entry');
      await this.journal.record('entered', 'entry', { event: this.state.events[0]?.event, messageId: this.state.events[0]?.messageId });
    }
    if (loadSettings) {
      this.state.settings = await reads().getJourneySettings({ journeyId: this.input.journeyId, workspaceId: this.input.workspaceId });
    }
    this.journal.describe('Started');
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
    this.journal.moveTo(step);
    const trigger = this.exitReason?.startsWith('event: ') ? { messageId: this.lastEvent?.messageId } : {};
    await this.journal.record(end.status === 'completed' ? 'completed' : 'exited', step, {
      ...(end.reason ? { reason: end.reason } : {}),
      ...trigger,
      ...end.detail,
    });
    this.journal.flushAttributes();
    const writing = this.journal.settle();
    if (writing) await writing;
    this.journal.describe(end.status === 'completed' ? 'Completed' : `Exited: ${end.reason}`);
    return this.snapshot();
  }

  /**
   * @internal Writes the journal entries kept since the instance last blocked (patch
   * continuum.batched-journal, `JournalWriter.settle`): before it waits, looks up, requests,
   * continues as new, ends or fails. Undefined (nothing to await) when nothing is kept.
   */
  settleJournal(): Promise<void> | undefined {
    return this.journal.settle();
  }

  /** @internal The exit reason set by an exit event, archive or lifetime, if any. */
  get pendingExit(): string | undefined {
    return this.status === 'exited' ? this.exitReason : undefined;
  }

  /** @internal Writes the deferred journal entries (before continue-as-new). */
  flushJournal(): Promise<void> {
    return this.journal.flushDeferred();
  }

  /** @internal */
  carry(inProgress?: { index: number; state: Record<string, number> }): CarriedState {
    // The next run starts with this run's search attributes: they must be current.
    this.journal.flushAttributes();
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

  /** @internal Called once `run` has registered its handlers: hands them what arrived before. */
  openDispatch(): void {
    this.inbox.openDispatch();
  }

  /** Runs one resumable library call: replays its recorded result after continue-as-new. */
  private async step<T>(step: string, _kind: string, body: (resume?: Record<string, number>) => Promise<T>): Promise<T> {
    this.assertDeclared(step);
    return this.memoized(async (resume) => {
      this.journal.moveTo(step);
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
    // Already here: nothing to block on, so no upsert or journal write of its own (asked only then, so
    // that the patch's marker is in the histories of instances it changes, and no other).
    if (!this.exited && ready() && continuumPatched(READY_WAITS_PATCH)) return true;
    const lifetimeEnd = this.state.startedAt + this.options.maxLifetimeMs;
    const until = Math.min(deadline ?? lifetimeEnd, lifetimeEnd);
    const remaining = Math.max(until - Date.now(), 0);
    const historyFull = () => resumeState !== undefined && this.historyFull();
    this.journal.flushAttributes();
    const writing = this.journal.settle();
    if (writing) await writing;
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

  private checkHistory(state: Record<string, number>): void {
    if (this.historyFull()) throw new ContinueAsNewNeeded({ index: this.currentIndex, state });
  }

  /** A step id the journey's steps list lacks fails the instance at its first use, saying which. */
  private assertDeclared(step: string): void {
    const problem = this.options.checkStep?.(step);
    if (problem) throw ApplicationFailure.nonRetryable(problem, 'UndeclaredStep');
  }

  private throwIfExited(): void {
    if (this.status === 'exited') throw new JourneyExit(this.exitReason ?? 'exit');
  }
}
