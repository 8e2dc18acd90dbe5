import type { CustomerEvent, LookupDefinition, LookupErrorType, LookupParamValue, LookupResult, ProfileSnapshot } from '@continuum/contracts';
import { parseDuration } from '@continuum/domain';

/** A duration as milliseconds or text such as `"1 hour"`, `"30s"`, `"7 days"`. */
export type DurationInput = number | string;

export function toMs(duration: DurationInput): number {
  return typeof duration === 'number' ? duration : parseDuration(duration);
}

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

/** The payload's `profile`, from a profile read (a customer without a profile has no traits). */
export function payloadProfile(profile: ProfileSnapshot | undefined, userId: string): ContextualPayload['profile'] {
  return {
    traits: profile?.traits ?? {},
    identities: { userId, phone: profile?.phone, email: profile?.email },
    ...(profile?.timezone ? { timezone: profile.timezone } : {}),
    ...(profile?.locale ? { locale: profile.locale } : {}),
    ...(profile?.country ? { country: profile.country } : {}),
  };
}
