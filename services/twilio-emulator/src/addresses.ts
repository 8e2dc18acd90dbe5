// 7 to 15 digits, the same bounds as TWILIO_FROM_NUMBER in @continuum/config.
const E164 = /^\+[1-9]\d{6,14}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const CHANNEL_PREFIX = /^(whatsapp|rcs):/;
// An RCS sender (agent) id, as Twilio shows it after `rcs:`, e.g. `rcs:continuum_agent`.
const RCS_AGENT = /^rcs:[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The channel an address names by its prefix; a bare number or sender ID is SMS/MMS. */
export type AddressChannel = 'sms' | 'whatsapp' | 'rcs';

export function channelOf(address: string): AddressChannel {
  const prefix = CHANNEL_PREFIX.exec(address)?.[1];
  return prefix === 'whatsapp' || prefix === 'rcs' ? prefix : 'sms';
}

/** The bare phone number of an address, without a channel prefix such as `whatsapp:` or `rcs:`. */
export function bareNumber(address: string): string {
  return address.replace(CHANNEL_PREFIX, '');
}

/** E.164, optionally on the WhatsApp or RCS channel (`whatsapp:+14155550100`, `rcs:+14155550100`). */
export function isValidRecipient(address: string): boolean {
  return E164.test(bareNumber(address));
}

/** An RCS agent address (`rcs:<agent id>`), not a phone number. */
export function isRcsAgent(address: string): boolean {
  return RCS_AGENT.test(address) && !E164.test(bareNumber(address));
}

/** A recipient-style address, an RCS agent or an alphanumeric sender ID (up to 11 characters, at least one letter). */
export function isValidSender(address: string): boolean {
  return isValidRecipient(address) || isRcsAgent(address) || ALPHANUMERIC_SENDER.test(address);
}
