/**
 * Lookups: named, read-only, parameterised SQL queries against the warehouse (a configured
 * PostgreSQL source), made by journeys at send time. Definitions are code, shared by workflow code
 * (which names them) and the lookup activity (which runs them): keep this file free of drivers.
 */

/** A value a lookup parameter may take (sent to PostgreSQL as a query parameter, never spliced in). */
export type LookupParamValue = string | number | boolean | null;

export type LookupRow = Record<string, unknown>;

export interface LookupResult {
  rows: LookupRow[];
  /** True when the query had more rows than the lookup's `maxRows` (only the first `maxRows` are in `rows`). */
  truncated: boolean;
}

export interface LookupSpec<P extends string = string> {
  /** Kebab-case name, unique in the catalogue: `loyalty-points`. */
  name: string;
  /** One SELECT with named parameters (`:user_id`); it runs as a subquery in a read-only transaction. */
  sql: string;
  /** Every parameter the SQL uses, each exactly once here. */
  params: readonly P[];
  /** Overrides LOOKUP_TIMEOUT_MS for this lookup. */
  timeoutMs?: number;
  /** Overrides LOOKUP_MAX_ROWS for this lookup. */
  maxRows?: number;
}

export interface LookupDefinition<P extends string = string> extends LookupSpec<P> {
  /** The SQL with `$1..$n` in place of the named parameters. */
  text: string;
  /** Parameter name for each `$n`, in order (`$1` is `order[0]`). */
  order: P[];
}

/** Why a lookup did not return rows: the activity's non-retryable ApplicationFailure types (WarehouseUnavailable retries). */
export const LOOKUP_ERROR_TYPES = ['WarehouseNotConfigured', 'UnknownLookup', 'InvalidLookupParams', 'LookupTimeout', 'LookupFailed'] as const;
export type LookupErrorType = (typeof LOOKUP_ERROR_TYPES)[number] | 'WarehouseUnavailable';

export interface RunLookupInput {
  name: string;
  params: Record<string, LookupParamValue>;
}

export interface LookupActivities {
  /** Runs a catalogued lookup in a read-only transaction with its timeout and row cap. */
  runLookup(input: RunLookupInput): Promise<LookupResult>;
}

const LOOKUP_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PARAM_NAME = /^[a-z_][a-z0-9_]*$/i;

export class LookupDefinitionError extends Error {
  constructor(lookup: string, problem: string) {
    super(`Lookup "${lookup}": ${problem}`);
    this.name = 'LookupDefinitionError';
  }
}

/**
 * Declares a lookup, checking it at once: a kebab-case name, `:name` parameters that are all
 * declared in `params` and all used, positive limits. `::casts` and text inside quotes
 * (`'…'`, `"…"`, `$$…$$`) and comments are left alone.
 */
export function defineLookup<const P extends string>(spec: LookupSpec<P>): LookupDefinition<P> {
  const fail = (problem: string): never => {
    throw new LookupDefinitionError(spec.name, problem);
  };
  if (!LOOKUP_NAME.test(spec.name)) fail('the name must be kebab-case (`loyalty-points`)');
  if (spec.sql.trim() === '') fail('the SQL is empty');
  for (const name of spec.params) if (!PARAM_NAME.test(name)) fail(`"${name}" is not a valid parameter name`);
  const duplicate = spec.params.find((name, index) => spec.params.indexOf(name) !== index);
  if (duplicate !== undefined) fail(`parameter "${duplicate}" is declared twice`);
  for (const [option, value] of [['timeoutMs', spec.timeoutMs], ['maxRows', spec.maxRows]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) fail(`${option} must be a positive integer`);
  }
  const { text, used } = toPositional(spec.sql);
  if (/;\s*\S/.test(stripLiterals(spec.sql))) fail('the SQL must be a single statement');
  const declared = new Set<string>(spec.params);
  const unknown = used.filter((name) => !declared.has(name));
  if (unknown.length > 0) fail(`the SQL uses undeclared parameter(s) ${unknown.map((name) => `:${name}`).join(', ')} (declared: ${spec.params.join(', ') || 'none'})`);
  const unused = spec.params.filter((name) => !used.includes(name));
  if (unused.length > 0) fail(`declared parameter(s) ${unused.join(', ')} are not used in the SQL`);
  return { ...spec, params: [...spec.params], text: text.trim().replace(/;\s*$/, ''), order: used as P[] };
}

/**
 * Checks the values a caller passes for a lookup: every declared parameter, nothing else, and
 * only plain values. Returns the problem, or undefined when the values fit.
 */
export function checkLookupParams(definition: Pick<LookupDefinition, 'name' | 'params'>, params: Record<string, unknown>): string | undefined {
  const missing = definition.params.filter((name) => !(name in params) || params[name] === undefined);
  if (missing.length > 0) return `Lookup "${definition.name}" needs parameter(s) ${missing.join(', ')}`;
  const extra = Object.keys(params).filter((name) => !definition.params.includes(name));
  if (extra.length > 0) return `Lookup "${definition.name}" has no parameter(s) ${extra.join(', ')} (it takes ${definition.params.join(', ') || 'none'})`;
  for (const name of definition.params) {
    const value = params[name];
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      return `Lookup "${definition.name}": parameter ${name} must be a string, number, boolean or null`;
    }
  }
  return undefined;
}

/** Scans the SQL once, replacing `:name` outside quotes and comments with `$n` (one `$n` per distinct name). */
function toPositional(sql: string): { text: string; used: string[] } {
  const used: string[] = [];
  let text = '';
  let i = 0;
  while (i < sql.length) {
    const skipped = skipLiteral(sql, i);
    if (skipped > i) {
      text += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    const char = sql[i]!;
    if (char === ':' && sql[i + 1] === ':') {
      text += '::';
      i += 2;
      continue;
    }
    const param = char === ':' ? /^[a-z_][a-z0-9_]*/i.exec(sql.slice(i + 1)) : null;
    if (param) {
      const name = param[0];
      if (!used.includes(name)) used.push(name);
      text += `$${used.indexOf(name) + 1}`;
      i += 1 + name.length;
      continue;
    }
    text += char;
    i += 1;
  }
  return { text, used };
}

/** The SQL with quoted text and comments removed (for structural checks). */
function stripLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const skipped = skipLiteral(sql, i);
    if (skipped > i) {
      out += ' ';
      i = skipped;
    } else {
      out += sql[i];
      i += 1;
    }
  }
  return out;
}

/** If a quoted string, quoted identifier, dollar-quoted string or comment starts at `i`, the index after it; else `i`. */
function skipLiteral(sql: string, i: number): number {
  const char = sql[i];
  if (char === "'" || char === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === char) {
        if (sql[j + 1] === char) j += 2; // doubled quote inside the literal
        else return j + 1;
      } else j += 1;
    }
    return sql.length;
  }
  if (char === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end;
  }
  if (char === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  if (char === '$') {
    const tag = /^\$([a-z_][a-z0-9_]*)?\$/i.exec(sql.slice(i));
    if (tag) {
      const end = sql.indexOf(tag[0], i + tag[0].length);
      return end === -1 ? sql.length : end + tag[0].length;
    }
  }
  return i;
}
