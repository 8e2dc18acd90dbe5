/**
 * What an API key may do (docs/api/auth.md). Every GraphQL root field and every REST route that takes
 * an API key requires exactly one of these; a key holds a set of them, `*` standing for all.
 */
export const API_SCOPES = ['track', 'read', 'operate', 'agent', 'admin'] as const;

export type ApiScope = (typeof API_SCOPES)[number];

/** Held by a key, grants every scope, including any scope added later (what existing keys hold). */
export const ALL_SCOPES = '*';

export type ApiKeyScope = ApiScope | typeof ALL_SCOPES;

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && (API_SCOPES as readonly string[]).includes(value);
}

export class InvalidScopeError extends Error {
  constructor(readonly scope: string) {
    super(`Unknown API key scope "${scope}"; expected one of ${[...API_SCOPES, ALL_SCOPES].map((s) => `"${s}"`).join(', ')}`);
    this.name = 'InvalidScopeError';
  }
}

/**
 * A key's scopes from a list or a comma/space separated string: each known (exact, lower-case),
 * at least one, duplicates dropped, in canonical order (`*` alone when held, since it implies the rest).
 */
export function parseApiScopes(input: string | readonly string[]): ApiKeyScope[] {
  const names = typeof input === 'string' ? input.split(/[\s,]+/).filter((name) => name.length > 0) : [...input];
  if (names.length === 0) throw new InvalidScopeError('');
  for (const name of names) if (name !== ALL_SCOPES && !isApiScope(name)) throw new InvalidScopeError(name);
  if (names.includes(ALL_SCOPES)) return [ALL_SCOPES];
  return API_SCOPES.filter((scope) => names.includes(scope));
}

/** Whether a key holding `held` may use an operation that requires `required`. */
export function holdsScope(held: readonly string[], required: ApiScope): boolean {
  return held.includes(ALL_SCOPES) || held.includes(required);
}
