import { GatewayException } from '../common/gateway-exception';

/**
 * Text that PostgreSQL can store and give back exactly: no NUL (U+0000, refused by `text` and
 * `jsonb`) and no lone UTF-16 surrogate (refused by `jsonb`, silently replaced by U+FFFD in `text`).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper JSON than this is refused: nothing legitimate nests so far, and every reader recurses. */
export const MAX_JSON_DEPTH = 64;

/** Where a value breaks the rules and why, with a JSON path such as `batch[3].properties.name`. */
export interface UnstorableText {
  path: string;
  reason: string;
}

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  const match = UNSTORABLE.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  if (code === 0) return `contains a NUL character (U+0000) at offset ${match.index}, which cannot be stored`;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return `contains a lone UTF-16 surrogate (U+${hex}) at offset ${match.index}: the text is not valid Unicode`;
}

/** `parent.key` for identifier-like keys, `parent["odd key"]` otherwise. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * The first string or object key at any depth of a JSON-like value that cannot be stored, or an
 * object nested deeper than MAX_JSON_DEPTH. Iterative, so a depth bomb cannot overflow the stack.
 */
export function findUnstorableText(value: unknown, path: string): UnstorableText | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path, depth: 0 }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item.value === 'string') {
      const reason = unstorableReason(item.value);
      if (reason) return { path: item.path || 'body', reason };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object' || item.value instanceof Date) continue;
    if (item.depth >= MAX_JSON_DEPTH) {
      return { path: item.path || 'body', reason: `is nested more than ${MAX_JSON_DEPTH} levels deep` };
    }
    // Pushed in reverse, so the first bad value in document order is the one reported.
    const entries: Array<[string | number, unknown]> = Array.isArray(item.value)
      ? item.value.map((child, index) => [index, child])
      : Object.entries(item.value as Record<string, unknown>);
    for (const [key] of entries) {
      const reason = typeof key === 'string' ? unstorableReason(key) : undefined;
      if (reason) return { path: childPath(item.path, key), reason: `(a key) ${reason}` };
    }
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, child] = entries[index]!;
      pending.push({ value: child, path: childPath(item.path, key), depth: item.depth + 1 });
    }
  }
  return undefined;
}

/** Throws BAD_USER_INPUT (HTTP 400) naming the path of the first value that cannot be stored. */
export function assertStorableText(value: unknown, path: string): void {
  const problem = findUnstorableText(value, path);
  if (problem) throw GatewayException.badInput(problem.path, problem.reason);
}
