import { parseDuration } from '@continuum/domain';

/** A trait's value as audiences compare it. */
export type Scalar = string | number | boolean;

/**
 * Who is in an audience, over traits, consent, identities and event history:
 *
 * ```json
 * { "all": [ { "trait": "country", "eq": "BR" },
 *            { "event": "Order Completed", "atLeast": 2, "within": "90 days" },
 *            { "not": { "event": "Churned" } } ] }
 * ```
 */
export type AudienceCondition =
  | { all: AudienceCondition[] }
  | { any: AudienceCondition[] }
  | { not: AudienceCondition }
  | TraitCondition
  | EventCondition
  | ConsentCondition
  | IdentityCondition;

export interface TraitCondition {
  /** A trait name (`plan`, or a dotted path such as `address.city`); `country`, `locale` and `timezone` read the profile's own. */
  trait: string;
  eq?: Scalar;
  neq?: Scalar;
  in?: Scalar[];
  exists?: boolean;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface EventCondition {
  /** A track event name. */
  event: string;
  /** At least this many (default 1). */
  atLeast?: number;
  /** At most this many. */
  atMost?: number;
  /** Only events whose time is within this long before now (`90 days`). */
  within?: string;
}

export interface ConsentCondition {
  consent: { channel: string; purpose?: string; status: 'subscribed' | 'unsubscribed' | 'pending' | 'unknown' };
}

export interface IdentityCondition {
  /** The customer has an identity of this kind. */
  identity: 'email' | 'phone' | 'whatsapp' | 'user_id' | 'anonymous_id';
}

/** A definition that is not one, with where (`all[1].within`) and why. */
export class AudienceDefinitionError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'AudienceDefinitionError';
  }
}

const PROFILE_COLUMNS = new Set(['country', 'locale', 'timezone']);
const CHANNELS = new Set(['sms', 'whatsapp', 'rcs', 'email', 'in_app']);
const IDENTITIES = new Set(['email', 'phone', 'whatsapp', 'user_id', 'anonymous_id']);
const TRAIT_PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const MAX_DEPTH = 8;
const MAX_CONDITIONS = 50;

/**
 * Compiles a definition to a SQL condition over `profiles p` (a workspace's customers), adding its
 * values to `params` (the caller's earlier parameters stay first). `$workspace` and `$now` are the
 * parameter numbers of the workspace id and of "now" (for `within`). Validates as it goes:
 * an AudienceDefinitionError names the first thing that is wrong.
 */
export function compileAudience(definition: unknown, params: unknown[], refs: { workspace: number; now: number }): string {
  let count = 0;
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const compile = (node: unknown, path: string, depth: number): string => {
    if (depth > MAX_DEPTH) throw new AudienceDefinitionError(path, `nests deeper than ${MAX_DEPTH} levels`);
    if ((count += 1) > MAX_CONDITIONS) throw new AudienceDefinitionError(path, `more than ${MAX_CONDITIONS} conditions`);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new AudienceDefinitionError(path, 'must be an object condition');
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    if ('all' in record || 'any' in record) {
      const kind = 'all' in record ? 'all' : 'any';
      const list = record[kind];
      if (keys.length !== 1) throw new AudienceDefinitionError(path, `"${kind}" stands alone in its object`);
      if (!Array.isArray(list) || list.length === 0) throw new AudienceDefinitionError(`${path}.${kind}`, 'must be a non-empty list of conditions');
      const parts = list.map((child, index) => compile(child, `${path}.${kind}[${index}]`, depth + 1));
      return `(${parts.join(kind === 'all' ? ' AND ' : ' OR ')})`;
    }
    if ('not' in record) {
      if (keys.length !== 1) throw new AudienceDefinitionError(path, '"not" stands alone in its object');
      return `(NOT ${compile(record['not'], `${path}.not`, depth + 1)})`;
    }
    if ('trait' in record) return compileTrait(record, path, add);
    if ('event' in record) return compileEvent(record, path, add, refs);
    if ('consent' in record) return compileConsent(record, path, add, refs);
    if ('identity' in record) {
      const kind = record['identity'];
      if (keys.length !== 1) throw new AudienceDefinitionError(path, '"identity" takes no other keys');
      if (typeof kind !== 'string' || !IDENTITIES.has(kind)) throw new AudienceDefinitionError(`${path}.identity`, `must be one of ${[...IDENTITIES].join(', ')}`);
      return `EXISTS (SELECT 1 FROM identities i WHERE i.workspace_id = $${refs.workspace} AND i.customer_id = p.user_id AND i.kind = ${add(kind)})`;
    }
    throw new AudienceDefinitionError(path, 'must be one of all, any, not, trait, event, consent, identity');
  };
  const condition = compile(definition, 'definition', 0);
  // "Now" is typed here even when no window uses it (PostgreSQL cannot type an unused placeholder).
  return `($${refs.now}::timestamptz IS NOT NULL AND ${condition})`;
}

function compileTrait(record: Record<string, unknown>, path: string, add: (value: unknown) => string): string {
  const name = record['trait'];
  if (typeof name !== 'string' || !TRAIT_PATH.test(name)) throw new AudienceDefinitionError(`${path}.trait`, 'must be a trait name or dotted path');
  const operators = Object.keys(record).filter((key) => key !== 'trait');
  if (operators.length !== 1) throw new AudienceDefinitionError(path, 'give exactly one of eq, neq, in, exists, gt, gte, lt, lte');
  const operator = operators[0]!;
  const operand = record[operator];
  // The profile's own columns win for the fields it stores; other traits are read from the JSON.
  // Each placeholder is added once, where it is used (PostgreSQL cannot type an unused one).
  const column = PROFILE_COLUMNS.has(name);
  const json = column ? '' : `(p.traits #> ${add(name.split('.'))}::text[])`;
  const text = column ? `COALESCE(p.${name}, p.traits ->> ${add(name)})` : `(${json} #>> '{}')`;
  const isScalar = (value: unknown): value is Scalar => ['string', 'number', 'boolean'].includes(typeof value);
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new AudienceDefinitionError(`${path}.exists`, 'must be true or false');
      return operand ? `(${text} IS NOT NULL)` : `(${text} IS NULL)`;
    case 'eq':
    case 'neq': {
      if (!isScalar(operand)) throw new AudienceDefinitionError(`${path}.${operator}`, 'must be a string, number or boolean');
      const equal = column ? `(${text} = ${add(String(operand))})` : `(${json} = ${add(JSON.stringify(operand))}::jsonb)`;
      return operator === 'eq' ? equal : `(${text} IS NULL OR NOT ${equal})`;
    }
    case 'in': {
      if (!Array.isArray(operand) || operand.length === 0 || !operand.every(isScalar)) {
        throw new AudienceDefinitionError(`${path}.in`, 'must be a non-empty list of strings, numbers or booleans');
      }
      if (column) return `(${text} = ANY(${add(operand.map(String))}::text[]))`;
      return `(${json} = ANY(${add(operand.map((value) => JSON.stringify(value)))}::jsonb[]))`;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof operand !== 'number' || !Number.isFinite(operand)) throw new AudienceDefinitionError(`${path}.${operator}`, 'must be a number');
      if (column) throw new AudienceDefinitionError(`${path}.${operator}`, `${name} is not a number`);
      const sign = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[operator];
      // Only numbers compare: a trait that is not a JSON number is not in the audience.
      return `(jsonb_typeof(${json}) = 'number' AND (${json})::numeric ${sign} ${add(operand)})`;
    }
    default:
      throw new AudienceDefinitionError(`${path}.${operator}`, 'is not an operator; use eq, neq, in, exists, gt, gte, lt or lte');
  }
}

function compileEvent(record: Record<string, unknown>, path: string, add: (value: unknown) => string, refs: { workspace: number; now: number }): string {
  const allowed = new Set(['event', 'atLeast', 'atMost', 'within']);
  for (const key of Object.keys(record)) if (!allowed.has(key)) throw new AudienceDefinitionError(`${path}.${key}`, 'is not an event option; use atLeast, atMost, within');
  const name = record['event'];
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw new AudienceDefinitionError(`${path}.event`, 'must be an event name');
  const count = (key: 'atLeast' | 'atMost'): number | undefined => {
    const value = record[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new AudienceDefinitionError(`${path}.${key}`, 'must be a whole number, 0 or more');
    return value;
  };
  const atLeast = count('atLeast') ?? (record['atMost'] === undefined ? 1 : 0);
  const atMost = count('atMost');
  if (atMost !== undefined && atMost < atLeast) throw new AudienceDefinitionError(`${path}.atMost`, 'must not be below atLeast');
  let window = '';
  if (record['within'] !== undefined) {
    let ms: number;
    try {
      ms = typeof record['within'] === 'string' ? parseDuration(record['within']) : NaN;
    } catch {
      ms = NaN;
    }
    if (!(ms > 0)) throw new AudienceDefinitionError(`${path}.within`, 'must be a duration such as "90 days"');
    window = ` AND e.timestamp > $${refs.now}::timestamptz - ${add(ms / 1000)}::double precision * interval '1 second' AND e.timestamp <= $${refs.now}::timestamptz`;
  }
  if (atLeast === 0 && atMost === undefined) return 'TRUE';
  const matching = `FROM events e WHERE e.workspace_id = $${refs.workspace} AND e.user_id = p.user_id AND e.type = 'track' AND e.name = ${add(name)}${window}`;
  // "At least 1" is an EXISTS, which stops at the first row.
  if (atLeast === 1 && atMost === undefined) return `EXISTS (SELECT 1 ${matching})`;
  return `((SELECT count(*) ${matching}) BETWEEN ${add(atLeast)} AND ${add(atMost ?? Number.MAX_SAFE_INTEGER)})`;
}

function compileConsent(record: Record<string, unknown>, path: string, add: (value: unknown) => string, refs: { workspace: number }): string {
  const consent = record['consent'];
  if (Object.keys(record).length !== 1) throw new AudienceDefinitionError(path, '"consent" takes no other keys');
  if (typeof consent !== 'object' || consent === null) throw new AudienceDefinitionError(`${path}.consent`, 'must be { channel, purpose?, status }');
  const { channel, purpose = 'marketing', status } = consent as Record<string, unknown>;
  if (typeof channel !== 'string' || !CHANNELS.has(channel)) throw new AudienceDefinitionError(`${path}.consent.channel`, `must be one of ${[...CHANNELS].join(', ')}`);
  if (typeof purpose !== 'string' || !/^[a-z][a-z0-9_-]{0,39}$/.test(purpose)) throw new AudienceDefinitionError(`${path}.consent.purpose`, 'must be a purpose such as marketing');
  if (status !== 'subscribed' && status !== 'unsubscribed' && status !== 'pending' && status !== 'unknown') {
    throw new AudienceDefinitionError(`${path}.consent.status`, 'must be subscribed, unsubscribed, pending or unknown');
  }
  const recorded = `(SELECT c.status FROM consents c WHERE c.workspace_id = $${refs.workspace} AND c.customer_id = p.user_id AND c.channel = ${add(channel)} AND c.purpose = ${add(purpose)})`;
  return status === 'unknown' ? `(${recorded} IS NULL)` : `(${recorded} = ${add(status)})`;
}
