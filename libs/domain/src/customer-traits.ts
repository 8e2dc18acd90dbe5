import { toE164 } from './phone-number';
import { isValidTimeZone } from './local-time';

/** Channels a customer can be reached on, each with its own consent. */
export const CHANNELS = ['sms', 'whatsapp', 'rcs', 'email', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];
/** `pending`: granted on a channel whose policy asks for double opt-in, not confirmed yet (never set from traits). */
export type ConsentStatus = 'subscribed' | 'unsubscribed' | 'pending';
/** The purpose a consent given as a bare status applies to. */
export const DEFAULT_CONSENT_PURPOSE = 'marketing';
const PURPOSE = /^[a-z][a-z0-9_-]{0,39}$/;

export interface ConsentChange {
  channel: Channel;
  purpose: string;
  /** `unknown` forgets a recorded choice. */
  status: ConsentStatus | 'unknown';
}

/** What `identify` traits (and the event context) say about a customer beyond the traits. */
export interface CustomerFields {
  /** E.164 / lower-case; `null` removes it. Absent: unchanged. */
  phone?: string | null;
  email?: string | null;
  whatsapp?: string | null;
  timezone?: string | null;
  locale?: string | null;
  country?: string | null;
  consent: ConsentChange[];
}

/** A trait that cannot be what it claims; `field` is relative to the traits (e.g. `phone`). */
export class CustomerTraitError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CustomerTraitError';
  }
}

/** Reserved traits: stored in their own columns and tables, never as plain traits. */
export const RESERVED_TRAITS = ['consent'] as const;

/**
 * Reads the reserved and identity traits: `phone`, `whatsapp` (E.164), `email`, `timezone` (IANA),
 * `locale` (BCP 47), `country` or `address.country` (ISO 3166 alpha-2), and `consent`:
 * `{ sms: 'unsubscribed', email: { marketing: 'subscribed', product: 'unsubscribed' } }` (a bare
 * status applies to the `marketing` purpose). The context's `timezone` and `locale` (as Segment's
 * libraries send them) fill in what the traits leave out. Throws CustomerTraitError on a bad value.
 */
export function customerFieldsOf(traits: Record<string, unknown>, context?: Record<string, unknown>): CustomerFields {
  const fields: CustomerFields = { consent: [] };
  if ('phone' in traits) fields.phone = phoneTrait(traits['phone'], 'phone');
  if ('whatsapp' in traits) {
    const raw = traits['whatsapp'];
    fields.whatsapp = phoneTrait(typeof raw === 'string' ? raw.replace(/^whatsapp:/, '') : raw, 'whatsapp');
  }
  if ('email' in traits) {
    const raw = traits['email'];
    if (raw === null) fields.email = null;
    else if (typeof raw !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw.trim())) {
      throw new CustomerTraitError('email', `${JSON.stringify(raw)} is not an email address`);
    } else fields.email = raw.trim().toLowerCase();
  }
  const timezone = 'timezone' in traits ? traits['timezone'] : context?.['timezone'];
  if (timezone !== undefined) {
    if (timezone === null) fields.timezone = null;
    else if (typeof timezone !== 'string' || !isValidTimeZone(timezone)) {
      throw new CustomerTraitError('timezone', `${JSON.stringify(timezone)} is not an IANA time zone, e.g. America/Sao_Paulo`);
    } else fields.timezone = timezone;
  }
  const locale = 'locale' in traits ? traits['locale'] : context?.['locale'];
  if (locale !== undefined) fields.locale = locale === null ? null : normaliseLocale(locale);
  const address = traits['address'];
  const country = 'country' in traits ? traits['country'] : isRecord(address) && 'country' in address ? address['country'] : undefined;
  if (country !== undefined) {
    if (country === null) fields.country = null;
    else if (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country.trim())) {
      throw new CustomerTraitError('country', `${JSON.stringify(country)} is not an ISO 3166-1 alpha-2 country code, e.g. BR`);
    } else fields.country = country.trim().toUpperCase();
  }
  if ('consent' in traits && traits['consent'] !== null) fields.consent = consentChangesOf(traits['consent'], 'consent');
  return fields;
}

/** `{ channel: status | { purpose: status } }` → changes; `field` names it in errors. */
export function consentChangesOf(value: unknown, field: string): ConsentChange[] {
  if (!isRecord(value)) throw new CustomerTraitError(field, 'must be an object of channel → status, e.g. { "sms": "subscribed" }');
  const changes: ConsentChange[] = [];
  for (const [channel, choice] of Object.entries(value)) {
    if (!isChannel(channel)) throw new CustomerTraitError(`${field}.${channel}`, `is not a channel; use one of ${CHANNELS.join(', ')}`);
    const purposes = isRecord(choice) ? choice : { [DEFAULT_CONSENT_PURPOSE]: choice };
    for (const [purpose, status] of Object.entries(purposes)) {
      const where = isRecord(choice) ? `${field}.${channel}.${purpose}` : `${field}.${channel}`;
      if (!PURPOSE.test(purpose)) throw new CustomerTraitError(where, 'a purpose is lower-case letters, digits, "-" or "_" (at most 40)');
      const parsed = consentStatusOf(status);
      if (!parsed) throw new CustomerTraitError(where, `${JSON.stringify(status)} is not a consent status; use subscribed, unsubscribed or unknown`);
      changes.push({ channel, purpose, status: parsed });
    }
  }
  return changes;
}

export function consentStatusOf(value: unknown): ConsentChange['status'] | undefined {
  if (value === true) return 'subscribed';
  if (value === false) return 'unsubscribed';
  if (value === null) return 'unknown';
  if (value === 'subscribed' || value === 'unsubscribed' || value === 'unknown') return value;
  return undefined;
}

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

export function isConsentPurpose(value: string): boolean {
  return PURPOSE.test(value);
}

/** `pt_br` / `PT-br` → `pt-BR`; throws on anything that is not language[-script][-region]. */
export function normaliseLocale(value: unknown): string {
  const match = typeof value === 'string' ? /^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?$/.exec(value.trim()) : null;
  if (!match) throw new CustomerTraitError('locale', `${JSON.stringify(value)} is not a locale, e.g. pt-BR`);
  const [, language, script, region] = match;
  return [language!.toLowerCase(), script ? script[0]!.toUpperCase() + script.slice(1).toLowerCase() : undefined, region?.toUpperCase()]
    .filter((part) => part !== undefined)
    .join('-');
}

function phoneTrait(raw: unknown, field: string): string | null {
  if (raw === null) return null;
  const phone = typeof raw === 'string' ? toE164(raw) : undefined;
  if (!phone) throw new CustomerTraitError(field, `${JSON.stringify(raw)} is not a phone number in international format (E.164), e.g. +14155550100`);
  return phone;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
