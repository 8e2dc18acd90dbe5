import { insideLocalWindow, isValidTimeZone, type LocalWindow } from './local-time';

/** The quiet-hours rules and the zones they are read in (a workspace's messaging policy). */
export interface QuietHoursRules {
  /** `regions[country] = null`: no quiet hours there, whatever the default. */
  quietHours: { default?: LocalWindow; regions: Record<string, LocalWindow | null> };
  /** The time zone of a country, for customers without their own. */
  regionTimeZones: Record<string, string>;
  /** The last fallback. */
  workspaceTimeZone: string;
}

/** What quiet hours read of a customer: their zone and country columns, and their traits. */
export interface QuietHoursCustomer {
  timezone?: string | null;
  country?: string | null;
  traits?: Record<string, unknown>;
}

export interface QuietHoursNow {
  window: LocalWindow;
  timeZone: string;
  /** Where the zone came from: the customer's own (profile or `timezone` trait), their country's, or the workspace's. */
  zoneFrom: 'profile' | 'country' | 'workspace';
  /** When the window ends (the next local `end`). */
  endsAt: number;
}

/**
 * The quiet hours `now` falls in for this customer, if any. The window is their country's (the
 * `country` column, else the `country` trait), else the default one. The zone is the customer's own
 * (the `timezone` column, else a `timezone` trait that is an IANA zone), else their country's, else
 * the workspace's. One rule for journeys and broadcasts.
 */
export function quietHoursAt(now: number, rules: QuietHoursRules, customer: QuietHoursCustomer | null | undefined): QuietHoursNow | undefined {
  const traits = customer?.traits ?? {};
  const countryTrait = traits['country'];
  const country = customer?.country ?? (typeof countryTrait === 'string' ? countryTrait.toUpperCase() : undefined);
  const regional = country ? rules.quietHours.regions[country] : undefined;
  const window = regional === null ? undefined : (regional ?? rules.quietHours.default);
  if (!window) return undefined;
  const { timeZone, zoneFrom } = customerTimeZone(rules, customer);
  const inside = insideLocalWindow(now, window, timeZone);
  return inside.inside ? { window, timeZone, zoneFrom, endsAt: inside.endsAt } : undefined;
}

/** The quiet-hours mode for a customer's country: its own (a policy's country override), else the policy's. */
export function quietHoursModeFor(
  quietHours: { mode: 'queue' | 'discard'; regionModes?: Record<string, 'queue' | 'discard'> },
  customer: QuietHoursCustomer | null | undefined,
): 'queue' | 'discard' {
  const countryTrait = customer?.traits?.['country'];
  const country = customer?.country ?? (typeof countryTrait === 'string' ? countryTrait.toUpperCase() : undefined);
  return (country ? quietHours.regionModes?.[country] : undefined) ?? quietHours.mode;
}

/** The customer's time zone as quiet hours read it: their own, else their country's, else the workspace's. */
export function customerTimeZone(rules: Pick<QuietHoursRules, 'regionTimeZones' | 'workspaceTimeZone'>, customer: QuietHoursCustomer | null | undefined): { timeZone: string; zoneFrom: 'profile' | 'country' | 'workspace' } {
  const traits = customer?.traits ?? {};
  const countryTrait = traits['country'];
  const country = customer?.country ?? (typeof countryTrait === 'string' ? countryTrait.toUpperCase() : undefined);
  const own = [customer?.timezone, traits['timezone']].find((zone): zone is string => typeof zone === 'string' && zone !== '' && isValidTimeZone(zone));
  if (own) return { timeZone: own, zoneFrom: 'profile' };
  const regional = country ? rules.regionTimeZones[country] : undefined;
  if (regional) return { timeZone: regional, zoneFrom: 'country' };
  return { timeZone: rules.workspaceTimeZone, zoneFrom: 'workspace' };
}
