import type { LivePosition } from '@continuum/data';
import { GatewayException } from './gateway-exception';

/** The subscriptions that hand out cursors; a cursor of one is refused by every other. */
export type LiveSubscriptionName = 'journeyInstanceUpdates' | 'customerActivity' | 'inboxUpdates' | 'conversationUpdates' | 'broadcastUpdates';

const NAMES: ReadonlySet<string> = new Set<LiveSubscriptionName>(['journeyInstanceUpdates', 'customerActivity', 'inboxUpdates', 'conversationUpdates', 'broadcastUpdates']);
const DECIMAL = /^(0|[1-9][0-9]{0,18})$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * The cursor of an item of a subscription: opaque to clients (base64url of
 * `live:<subscription>:<xid>:<id>`, a position in the change log `live_changes`).
 */
export function encodeLiveCursor(subscription: LiveSubscriptionName, position: LivePosition): string {
  return Buffer.from(`live:${subscription}:${position.xid}:${position.id}`, 'utf8').toString('base64url');
}

/**
 * The position in a cursor that `subscription` handed out; anything else (not a cursor, another
 * subscription's) is BAD_USER_INPUT naming `argument`. Whether the position belongs to this
 * subscription's customer, instance or broadcast is checked against the log by the caller.
 */
export function decodeLiveCursor(cursor: string, subscription: LiveSubscriptionName, argument = 'after'): LivePosition {
  const refuse = (why: string) => GatewayException.badInput(argument, `"${cursor.length > 100 ? `${cursor.slice(0, 100)}…` : cursor}" ${why}`);
  if (cursor === '' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse('is not a cursor this API handed out');
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Only canonical base64url of the exact text round-trips: a tampered cursor is refused, never misread.
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) throw refuse('is not a cursor this API handed out');
  const parts = text.split(':');
  if (parts.length !== 4 || parts[0] !== 'live' || !NAMES.has(parts[1]!)) throw refuse('is not a cursor this API handed out');
  const [, name, xid, id] = parts as [string, string, string, string];
  if (!DECIMAL.test(xid) || !DECIMAL.test(id) || BigInt(xid) > MAX_BIGINT || BigInt(id) > MAX_BIGINT) throw refuse('is not a cursor this API handed out');
  if (name !== subscription) throw refuse(`is a cursor of ${name}, not of ${subscription}`);
  return { xid, id };
}
