import { MESSAGE_CHANNELS, type BestSendTime, type MessageChannel, type SendTimeSource } from '@continuum/contracts';
import { toMs, type DurationInput } from './payload';

/** The longest window `delayUntilBestTime` takes: a week holds every hour of every weekday. */
export const MAX_BEST_TIME_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface BestTimeOptions {
  /** How long the journey may wait for the best moment (`"1 day"`, ms); more than 0, at most 7 days. */
  within: DurationInput;
  /** The channel the next message goes out on: only engagement with that channel's messages counts. */
  channel: MessageChannel;
}

/** When `delayUntilBestTime` waited until, and why. */
export interface BestTimeOutcome {
  until: Date;
  source: SendTimeSource;
  /** The local hour it sent at and the hour the evidence pointed at, in `timeZone`. */
  hour: number;
  bestHour: number;
  timeZone: string;
  /** Engagements the hour was read from (0 for the default). */
  evidence: number;
}

/** What is wrong with the options, naming the step and the option; undefined when they are usable. */
export function bestTimeProblem(step: string, options: { within?: unknown; channel?: unknown } | undefined): string | undefined {
  const prefix = `delayUntilBestTime ${step}`;
  if (typeof options !== 'object' || options === null) return `${prefix}: options { within, channel } are required`;
  if (typeof options.channel !== 'string' || !(MESSAGE_CHANNELS as readonly string[]).includes(options.channel)) {
    return `${prefix}: channel ${JSON.stringify(options.channel)} is not one of ${MESSAGE_CHANNELS.join(', ')}`;
  }
  let withinMs: number;
  try {
    if (typeof options.within !== 'number' && typeof options.within !== 'string') throw new Error('not a duration');
    withinMs = toMs(options.within);
  } catch {
    return `${prefix}: within ${JSON.stringify(options.within)} is not a duration (ms, or text such as "1 day")`;
  }
  if (!Number.isFinite(withinMs) || withinMs <= 0) return `${prefix}: within must be more than 0, got ${JSON.stringify(options.within)}`;
  if (withinMs > MAX_BEST_TIME_WINDOW_MS) return `${prefix}: within must be at most 7 days, got ${JSON.stringify(options.within)}`;
  return undefined;
}

/** The journal entry's detail for the wait (`wait.started`, kind `best-time`). */
export function bestTimeJournalDetail(options: BestTimeOptions, choice: BestSendTime): Record<string, unknown> {
  return {
    kind: 'best-time',
    channel: options.channel,
    within: String(options.within),
    source: choice.source,
    hour: choice.hour,
    bestHour: choice.bestHour,
    timeZone: choice.timeZone,
    zoneFrom: choice.zoneFrom,
    evidence: choice.evidence,
    ...(choice.market ? { market: choice.market } : {}),
    quietHours: choice.quietHours,
    reason: choice.reason,
  };
}
