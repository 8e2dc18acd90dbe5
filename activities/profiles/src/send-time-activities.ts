import type { BestSendTime, MessageChannel, MessagingPolicy, SendTimeActivities, SendTimeSource } from '@continuum/contracts';
import type { EngagementStore, ProfileStore } from '@continuum/data';
import { bestHour, chooseSendInstant, customerTimeZone, engagementHours, isValidTimeZone, smoothHours, type QuietHoursCustomer } from '@continuum/domain';

const DAY = 24 * 60 * 60 * 1000;

export interface SendTimeSettings {
  /** How far back a customer's own engagement is read (default 90 days). */
  lookbackDays: number;
  /** Engagements a customer needs before their own hour is trusted (default 5). */
  minPersonalEvidence: number;
  /** How far back a market's engagement is read (default 30 days). */
  marketLookbackDays: number;
  /** Engagements a market needs before its hour is trusted (default 50). */
  minMarketEvidence: number;
  /** The most recent engagements read, per kind (default 500 for a customer, 5,000 for a market). */
  personalLimit: number;
  marketLimit: number;
  /** A market's hours are counted once per this long, per workspace, market and channel (default 15 minutes). */
  marketCacheMs: number;
  /** The local hour used without evidence (default 10). */
  defaultHour: number;
}

export const DEFAULT_SEND_TIME_SETTINGS: SendTimeSettings = {
  lookbackDays: 90,
  minPersonalEvidence: 5,
  marketLookbackDays: 30,
  minMarketEvidence: 50,
  personalLimit: 500,
  marketLimit: 5_000,
  marketCacheMs: 15 * 60 * 1000,
  defaultHour: 10,
};

/** Replies to an MMS come as SMS: the two are one channel's engagement. */
const CHANNEL_FAMILIES: Partial<Record<MessageChannel, MessageChannel[]>> = { sms: ['sms', 'mms'], mms: ['sms', 'mms'] };

interface MarketHours {
  counts: number[];
  evidence: number;
}

/**
 * Send-time optimisation (`journey.delayUntilBestTime`): the customer's best local hour from their
 * own engagement over the lookback, counted by hour of day in their time zone and smoothed; below the
 * evidence threshold, their market's (their country's customers, else the workspace's, each read in
 * its own zone); else the default hour. The instant is the best-scoring moment in the window outside
 * quiet hours.
 */
export function createSendTimeActivities(deps: {
  engagements: EngagementStore;
  profiles: ProfileStore;
  /** The rules of a workspace's messaging policy (time zones, quiet hours), or one policy for all. */
  policy: MessagingPolicy | ((workspaceId: string) => Promise<MessagingPolicy>);
  settings?: Partial<SendTimeSettings>;
  now?: () => number;
}): SendTimeActivities {
  const settings = { ...DEFAULT_SEND_TIME_SETTINGS, ...deps.settings };
  const clock = deps.now ?? Date.now;
  const markets = new Map<string, { until: number; hours: Promise<MarketHours> }>();

  const policyOf = (workspaceId: string): Promise<MessagingPolicy> => (typeof deps.policy === 'function' ? deps.policy(workspaceId) : Promise.resolve(deps.policy));
  const zoneOf = (policy: MessagingPolicy, row: { timezone: string | null; country: string | null }): string =>
    (row.timezone && isValidTimeZone(row.timezone) ? row.timezone : undefined) ?? (row.country ? policy.regionTimeZones[row.country] : undefined) ?? policy.workspaceTimeZone;

  const marketHours = (policy: MessagingPolicy, workspaceId: string, country: string | null, channels: MessageChannel[], now: number): Promise<MarketHours> => {
    const key = JSON.stringify([workspaceId, country, channels]);
    const cached = markets.get(key);
    if (cached && cached.until > clock()) return cached.hours;
    const hours = deps.engagements
      .ofMarket({ workspaceId, country, channels, since: new Date(now - settings.marketLookbackDays * DAY), until: new Date(now), limit: settings.marketLimit })
      .then((rows) => ({ counts: engagementHours(rows.map((row) => ({ at: row.at.getTime(), timeZone: zoneOf(policy, row) }))), evidence: rows.length }));
    markets.set(key, { until: clock() + settings.marketCacheMs, hours });
    hours.catch(() => markets.delete(key));
    return hours;
  };

  return {
    async bestSendTime({ workspaceId, customerId, channel, now, withinMs }): Promise<BestSendTime> {
      const channels = CHANNEL_FAMILIES[channel] ?? [channel];
      const profile = await deps.profiles.get(workspaceId, customerId);
      const customer: QuietHoursCustomer = { timezone: profile?.timezone ?? null, country: profile?.country ?? null, traits: profile?.traits ?? {} };
      const policy = await policyOf(workspaceId);
      const { timeZone, zoneFrom } = customerTimeZone(policy, customer);
      const country = customer.country ?? (typeof customer.traits?.['country'] === 'string' ? customer.traits['country'].toUpperCase() : null);

      let source: SendTimeSource = 'default';
      let counts: number[] | undefined;
      let evidence = 0;
      let market: string | undefined;
      const own = await deps.engagements.ofCustomer({
        workspaceId,
        customerId,
        channels,
        since: new Date(now - settings.lookbackDays * DAY),
        until: new Date(now),
        limit: settings.personalLimit,
      });
      if (own.length >= settings.minPersonalEvidence) {
        source = 'personal';
        counts = engagementHours(own.map((at) => ({ at: at.getTime(), timeZone })));
        evidence = own.length;
      } else {
        for (const scope of country ? [country, null] : [null]) {
          const hours = await marketHours(policy, workspaceId, scope, channels, now);
          if (hours.evidence >= settings.minMarketEvidence) {
            source = 'market';
            counts = hours.counts;
            evidence = hours.evidence;
            market = scope ?? 'workspace';
            break;
          }
        }
      }
      const scores = counts ? smoothHours(counts) : Array.from({ length: 24 }, (_, hour) => (hour === settings.defaultHour ? 1 : 0));
      const preferred = bestHour(scores);
      const chosen = chooseSendInstant(now, { scores, timeZone, withinMs, quietRules: policy, customer });
      const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
      const from =
        source === 'personal'
          ? `their own ${evidence} engagements`
          : source === 'market'
            ? `${evidence} engagements of ${market === 'workspace' ? 'the workspace' : `customers in ${market}`}`
            : `the default (${own.length} engagements of their own, too few)`;
      const placed =
        chosen.quietHours === 'whole-window'
          ? '; the whole window is quiet hours, so now (the send holds itself)'
          : chosen.quietHours === 'avoided'
            ? `; ${hh(chosen.hour)} is the best outside quiet hours`
            : chosen.hour !== preferred
              ? `; ${hh(chosen.hour)} is the best within the window`
              : '';
      return {
        at: chosen.at,
        source,
        hour: chosen.hour,
        bestHour: preferred,
        timeZone,
        zoneFrom,
        evidence,
        ...(market ? { market } : {}),
        quietHours: chosen.quietHours,
        reason: `best hour ${hh(preferred)} in ${timeZone} from ${from}${placed}`,
      };
    },
  };
}
