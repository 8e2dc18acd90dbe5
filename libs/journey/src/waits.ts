import { matchesFilter, type CustomerEvent, type EventFilter, type ProfileSnapshot } from '@continuum/contracts';
import { isValidTimeZone, nextLocalTime, type Weekday } from '@continuum/domain';
import type { CarriedState, ReceivedEvent } from './carried-state';
import type { EventInbox, EventWaiter } from './event-inbox';
import type { JournalWriter } from './journal-writer';
import { toMs, type DurationInput } from './payload';

export type IdleOutcome = { outcome: 'idle'; resets: number } | { outcome: 'max-resets'; resets: number };
export type WaitForOutcome = { outcome: 'received'; event: CustomerEvent } | { outcome: 'timeout' };

export interface HoldUntilIdleOptions {
  resetOn: string[];
  maxResets?: number;
  step: string;
}

/** How `delayUntil` ended: whether it waited, and the date it waited for (none when the date was missing or invalid). */
export interface DelayUntilOutcome {
  waited: boolean;
  until?: Date;
}

export interface LocalTimeOptions {
  time: string;
  weekdays?: Weekday[];
  fallbackTimeZone?: string;
  step: string;
}

export interface WaitForOptions {
  timeout: DurationInput;
  where?: EventFilter | ((event: CustomerEvent) => boolean);
  step: string;
  /**
   * Also take a matching event that arrived before the wait began (among the 50 most recent):
   * for journeys that handle each event once, in a loop, and must not miss one that came while
   * they were busy (pair it with a `where` that skips events already handled).
   */
  earlier?: boolean;
  /**
   * Wait for a reply to this message (`journey.waitForReply`): an event the gateway correlated with
   * another message (`properties.in_reply_to.message_id`) does not count; one correlated with this
   * message counts even when it arrived before the wait began, while the send was still finishing.
   */
  replyTo?: string;
}

/** The message an inbound event answers, as the gateway correlated it (`properties.in_reply_to.message_id`). */
export function repliedMessageId(event: CustomerEvent): string | undefined {
  const reply = event.properties['in_reply_to'];
  if (typeof reply !== 'object' || reply === null) return undefined;
  const id = (reply as Record<string, unknown>)['message_id'];
  return typeof id === 'string' ? id : undefined;
}

/** What the waits need of their journey instance. */
export interface WaitsHost {
  readonly state: CarriedState;
  readonly journal: JournalWriter;
  readonly inbox: Pick<EventInbox<unknown>, 'countOf' | 'watch' | 'unwatch'>;
  lastEvent(): CustomerEvent | undefined;
  /** JourneyRun's interruptible wait (exit requests, lifetime, continue-as-new with `resumeState`). */
  waitUntil(ready: () => boolean, deadline: number | undefined, summary: string, resumeState?: () => Record<string, number>): Promise<boolean>;
  /** Continues-as-new (resuming from `state`) when history is full. */
  checkHistory(state: Record<string, number>): void;
  /** Whether a reply correlated with the awaited message counts when it came during the send (false where an older instance replays). */
  repliesDuringSend(): boolean;
}

/**
 * A journey's waits, on customer events and on time: the bodies of JourneyRun's resumable steps
 * (`holdUntilIdle`, `waitFor`, `delay…`), resuming from the state a continue-as-new carried.
 */
export class JourneyWaits {
  constructor(private readonly host: WaitsHost) {}

  /** The body of `JourneyRun.holdUntilIdle`'s step. */
  async holdUntilIdle(duration: DurationInput, options: HoldUntilIdleOptions, resume: Record<string, number> | undefined): Promise<IdleOutcome> {
    const durationMs = toMs(duration);
    const resetOn = new Set(options.resetOn);
    let resets = resume?.['resets'] ?? 0;
    let deadline = resume?.['deadline'] ?? Date.now() + durationMs;
    let seen = resume?.['seen'] ?? this.host.inbox.countOf(resetOn);
    if (!resume) await this.host.journal.record('wait.started', options.step, { kind: 'holdUntilIdle', duration: String(duration), resetOn: options.resetOn, maxResets: options.maxResets });
    for (;;) {
      this.host.journal.describe(`Holding until idle for ${String(duration)} (reset by ${options.resetOn.join(', ')}; ${resets} resets so far)`);
      const woken = await this.host.waitUntil(() => this.host.inbox.countOf(resetOn) > seen, deadline, `idle ${String(duration)} (${options.step})`, () => ({
        resets,
        deadline,
        seen,
      }));
      if (!woken) {
        await this.host.journal.record('wait.ended', options.step, { outcome: 'idle', resets });
        return { outcome: 'idle', resets };
      }
      const added = this.host.inbox.countOf(resetOn) - seen;
      resets += added;
      this.host.state.timerResets += added;
      seen += added;
      deadline = Date.now() + durationMs;
      await this.host.journal.defer('timer.reset', options.step, { resets, event: this.host.lastEvent()?.event, messageId: this.host.lastEvent()?.messageId });
      if (options.maxResets !== undefined && resets >= options.maxResets) {
        await this.host.journal.record('wait.ended', options.step, { outcome: 'max-resets', resets });
        return { outcome: 'max-resets', resets };
      }
      // Checked again after the journal write: a storm of events can grow history meanwhile.
      this.host.checkHistory({ resets, deadline, seen });
    }
  }

  /** The body of `JourneyRun.waitFor`'s step. */
  async waitFor(eventName: string, options: WaitForOptions, resume: Record<string, number> | undefined): Promise<WaitForOutcome> {
    const deadline = resume?.['deadline'] ?? Date.now() + toMs(options.timeout);
    const since = resume?.['seen'] ?? (options.earlier ? 0 : this.host.state.received);
    // A reply correlated with the message it waits on may have come while that send was finishing.
    const replyTo = options.replyTo !== undefined && this.host.repliesDuringSend() ? options.replyTo : undefined;
    if (!resume) {
      await this.host.journal.record('wait.started', options.step, {
        kind: 'waitFor',
        event: eventName,
        timeout: String(options.timeout),
        ...(replyTo !== undefined ? { replyTo } : {}),
      });
    }
    const matches = (event: CustomerEvent) =>
      event.event === eventName &&
      (options.where === undefined ||
        (typeof options.where === 'function'
          ? options.where(event)
          : matchesFilter(options.where, { event: event.event, properties: event.properties, traits: event.traits ?? {} })));
    const answers = (event: CustomerEvent) => {
      const replied = repliedMessageId(event);
      return replied === undefined || replied === replyTo;
    };
    const accepts = (event: CustomerEvent) => matches(event) && (replyTo === undefined || answers(event));
    const waiter: EventWaiter = {
      accepts,
      found: this.host.state.events.find(
        (event) => (event.index >= since && accepts(event)) || (replyTo !== undefined && repliedMessageId(event) === replyTo && matches(event)),
      ),
    };
    this.host.inbox.watch(waiter);
    this.host.journal.describe(`Waiting up to ${String(options.timeout)} for ${eventName}`);
    let woken: boolean;
    try {
      woken = await this.host.waitUntil(() => waiter.found !== undefined, deadline, `wait for ${eventName} (${options.step})`, () => ({
        deadline,
        seen: since,
      }));
    } finally {
      this.host.inbox.unwatch(waiter);
    }
    const event = woken ? (waiter.found as ReceivedEvent | undefined) : undefined;
    if (event) {
      const { index: _index, carried: _carried, ...plain } = event;
      await this.host.journal.record('wait.ended', options.step, { outcome: 'received', event: eventName, messageId: event.messageId });
      return { outcome: 'received', event: plain };
    }
    await this.host.journal.record('wait.ended', options.step, { outcome: 'timeout' });
    return { outcome: 'timeout' };
  }

  /** The body of `JourneyRun.delay`'s step. */
  async delay(duration: DurationInput, options: { step: string }, resume: Record<string, number> | undefined): Promise<null> {
    const deadline = resume?.['deadline'] ?? Date.now() + toMs(duration);
    await this.delayTo(deadline, options.step, { kind: 'duration', duration: String(duration) }, resume !== undefined);
    return null;
  }

  /** The body of `JourneyRun.delayUntilLocalTime`'s step (the profile was read before it began). */
  async delayUntilLocalTime(profile: ProfileSnapshot | undefined, options: LocalTimeOptions, resume: Record<string, number> | undefined): Promise<null> {
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
  }

  /** The body of `JourneyRun.delayUntil`'s step: whether it waited, and the date (epoch ms; null: none). */
  async delayUntil(
    date: Date | string | number | undefined,
    options: { step: string },
    resume: Record<string, number> | undefined,
  ): Promise<{ waited: boolean; until: number | null } | null> {
    const target = date === undefined ? NaN : new Date(date).getTime();
    const deadline = resume?.['deadline'] ?? (Number.isNaN(target) ? Date.now() : target);
    const waited = await this.delayTo(deadline, options.step, { kind: 'until-date', date: Number.isNaN(target) ? null : new Date(target).toISOString() }, resume !== undefined);
    return { waited, until: Number.isNaN(target) ? null : target };
  }

  /** The body of `JourneyRun.delayUntilBestTime`'s step (the instant was chosen before it began). */
  async delayUntilBestTime(choice: { at: number }, step: string, detail: Record<string, unknown>, resume: Record<string, number> | undefined): Promise<null> {
    await this.delayTo(resume?.['deadline'] ?? choice.at, step, detail, resume !== undefined);
    return null;
  }

  /** Returns whether it waited (a deadline still ahead, or a wait resumed after continue-as-new). */
  private async delayTo(deadline: number, step: string, detail: Record<string, unknown>, resumed: boolean): Promise<boolean> {
    if (!resumed) await this.host.journal.record('wait.started', step, { ...detail, until: new Date(deadline).toISOString() });
    this.host.journal.describe(`Waiting until ${new Date(deadline).toISOString()}`);
    const waits = resumed || deadline > Date.now();
    if (deadline > Date.now()) await this.host.waitUntil(() => false, deadline, `delay until ${new Date(deadline).toISOString()} (${step})`, () => ({ deadline }));
    await this.host.journal.record('wait.ended', step, { outcome: 'elapsed' });
    return waits;
  }
}
