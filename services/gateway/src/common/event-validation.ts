import { randomUUID } from 'node:crypto';
import type { ProfileIdentities } from '@continuum/data';
import { customerFieldsOf, CustomerTraitError, type ConsentChange } from '@continuum/domain';
import { GatewayException } from '../common/gateway-exception';

const MAX_ID_LENGTH = 255;
/** Timestamps further ahead than this are a client clock error, not the future. */
const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

export function validateUserId(raw: string): string {
  const userId = raw.trim();
  if (userId === '') throw GatewayException.badInput('userId', 'must not be empty');
  if (userId.length > MAX_ID_LENGTH) throw GatewayException.badInput('userId', `must be at most ${MAX_ID_LENGTH} characters`);
  if (/[/\s]/.test(userId)) throw GatewayException.badInput('userId', `"${userId}" must not contain "/" or whitespace`);
  return userId;
}

/** An anonymous id becomes part of a customer id (`anon:<id>`), so the same rules apply. */
export function validateAnonymousId(raw: string): string {
  const anonymousId = raw.trim();
  if (anonymousId === '') throw GatewayException.badInput('anonymousId', 'must not be empty');
  if (anonymousId.length > MAX_ID_LENGTH) throw GatewayException.badInput('anonymousId', `must be at most ${MAX_ID_LENGTH} characters`);
  if (/[/\s]/.test(anonymousId)) throw GatewayException.badInput('anonymousId', `"${anonymousId}" must not contain "/" or whitespace`);
  return anonymousId;
}

export function validateMessageId(raw: string | undefined): string {
  if (raw === undefined || raw === null) return randomUUID();
  const messageId = raw.trim();
  if (messageId === '' || messageId.length > MAX_ID_LENGTH) {
    throw GatewayException.badInput('messageId', `must be 1 to ${MAX_ID_LENGTH} characters`);
  }
  return messageId;
}

export function validateTimestamp(raw: Date | undefined, receivedAt: Date): Date {
  if (raw === undefined || raw === null) return receivedAt;
  if (Number.isNaN(raw.getTime())) throw GatewayException.badInput('timestamp', 'is not a valid date');
  if (raw.getTime() - receivedAt.getTime() > MAX_FUTURE_SKEW_MS) {
    throw GatewayException.badInput('timestamp', `${raw.toISOString()} is more than a day in the future`);
  }
  return raw;
}

export function validateEventName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw GatewayException.badInput('event', 'must not be empty');
  if (name.length > 200) throw GatewayException.badInput('event', 'must be at most 200 characters');
  return name;
}

/**
 * The identities, profile columns and consent an `identify`'s traits (and context) carry; a bad
 * value is a BAD_USER_INPUT naming the trait, e.g. `traits.phone`.
 */
export function customerFieldsOrBadInput(
  traits: Record<string, unknown>,
  context: Record<string, unknown> | undefined,
  field = 'traits',
): { identities: ProfileIdentities; consent: ConsentChange[] } {
  try {
    const { consent, ...identities } = customerFieldsOf(traits, context);
    return { identities, consent };
  } catch (error) {
    if (error instanceof CustomerTraitError) throw GatewayException.badInput(`${field}.${error.field}`, error.message);
    throw error;
  }
}
