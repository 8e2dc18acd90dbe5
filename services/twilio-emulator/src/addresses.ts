// 7 to 15 digits, the same bounds as TWILIO_FROM_NUMBER in @continuum/config.
const E164 = /^\+[1-9]\d{6,14}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const CHANNEL_PREFIX = /^whatsapp:/;

/** The bare phone number of an address, without a channel prefix such as `whatsapp:`. */
export function bareNumber(address: string): string {
  return address.replace(CHANNEL_PREFIX, '');
}

/** E.164, optionally on the WhatsApp channel (`whatsapp:+14155550100`). */
export function isValidRecipient(address: string): boolean {
  return E164.test(bareNumber(address));
}

/** A recipient-style address or an alphanumeric sender ID (up to 11 characters, at least one letter). */
export function isValidSender(address: string): boolean {
  return isValidRecipient(address) || ALPHANUMERIC_SENDER.test(address);
}
