import { randomBytes } from 'node:crypto';

/** A Twilio-style SID: two-letter prefix and 32 hex digits (e.g. SM… for messages). */
export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
