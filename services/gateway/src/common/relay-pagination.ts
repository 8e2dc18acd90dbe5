import { GatewayException } from './gateway-exception';

/** The largest `first` or `last` a connection takes. */
export const MAX_PAGE_SIZE = 100;

/** An opaque cursor for a keyset position. */
export function encodePosition(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64');
}

/**
 * The keyset position inside a cursor this gateway handed out: every one of `keys` a non-empty
 * string and `check` passing; anything else is BAD_USER_INPUT naming `argument` (the one it came in).
 */
export function decodePosition<K extends string>(
  cursor: string,
  keys: readonly K[],
  check: (position: Record<K, string>) => boolean = () => true,
  argument: 'after' | 'before' = 'after',
): Record<K, string> {
  const invalid = () => GatewayException.badInput(argument, `"${cursor}" is not a cursor from a previous page`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (cursor === '' || parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const record = parsed as Record<string, unknown>;
  if (!keys.every((key) => typeof record[key] === 'string' && record[key] !== '')) throw invalid();
  const position = Object.fromEntries(keys.map((key) => [key, record[key] as string])) as Record<K, string>;
  if (!check(position)) throw invalid();
  return position;
}

/** An exact UTC timestamp as PostgreSQL prints it (microseconds), the only time a cursor may hold. */
export function isExactUtcTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** A time window [from, to): from must come before to. */
export function validateWindow(fromField: string, from: Date | null | undefined, toField: string, to: Date | null | undefined): void {
  if (from && to && from.getTime() >= to.getTime()) {
    throw GatewayException.badInput(fromField, `must be before ${toField} (${from.toISOString()} is not before ${to.toISOString()})`);
  }
}
