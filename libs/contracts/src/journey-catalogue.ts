
/**
 * What the journey catalogue holds for each journey: everything the gateway needs to route events
 * and frontend apps need to show it, without importing the journey's code.
 */

/** `always`: a new instance once the previous one for that key ended; `once`: ever, per customer; `after`: a cool-down. */
export type ReentryPolicy = 'always' | 'once' | { after: string };

/** A value to compare, or an operator object. Paths are dotted: `properties.total`, `traits.plan`. */
export type FilterCondition =
  | string
  | number
  | boolean
  | null
  | { eq?: unknown; ne?: unknown; in?: unknown[]; exists?: boolean; gt?: number; gte?: number; lt?: number; lte?: number };

export type EventFilter = Record<string, FilterCondition>;

/**
 * An event that ends a running instance: by name, and only when every condition of `where` holds
 * (same paths and operators as an entry rule's), e.g. `Audience Exited` of one audience.
 */
export interface ExitRule {
  event: string;
  where?: EventFilter;
}

export interface EntryRule {
  events: string[];
  /** Every condition must hold (on `properties.*`, `traits.*`, `context.*`, `event`). */
  where?: EventFilter;
}

export type SettingType = 'duration' | 'string' | 'number' | 'boolean';
export type SettingValue = string | number | boolean;

export interface SettingSpec {
  type: SettingType;
  default: SettingValue;
  description: string;
  min?: number;
  max?: number;
}

export type StepKind =
  | 'entry'
  | 'hold-until-idle'
  | 'wait-for'
  | 'delay'
  | 'branch'
  | 'split'
  | 'experiment'
  | 'send'
  | 'request'
  | 'exit'
  | 'complete';

export interface StepSpec {
  id: string;
  kind: StepKind;
  label: string;
  /** Ids of the steps that can follow. */
  next?: string[];
  /** Labels of the edges to some of `next`, by the following step's id: a branch condition, "timeout", … */
  nextLabels?: Record<string, string>;
}

/**
 * A conversion goal: the customer does `event` (matching `where`, on `properties.*` only) within
 * `within` after entering the journey (or, in an experiment, after being assigned a variant).
 */
export interface JourneyGoal {
  event: string;
  /** Conditions on the goal event's `properties.*` (see EventFilter). */
  where?: EventFilter;
  /** The attribution window, a duration text ("7 days"). */
  within: string;
}

export interface JourneyDescriptor {
  id: string;
  version: number;
  workflowType: string;
  description: string;
  entry: EntryRule;
  /** Dotted path to the instance key in the entry event; without one the key is the customer. */
  key?: string;
  reentry: ReentryPolicy;
  /** The names of the events that end an instance (routed to running instances). */
  exitOn: string[];
  /** Present when an exit event has conditions: each rule, in the order declared (an event exits when any matches). */
  exitRules?: ExitRule[];
  listensTo: string[];
  settings: Record<string, SettingSpec>;
  maxLifetime: string;
  steps: StepSpec[];
  /** The journey's conversion goal, if it declares one: funnels and experiment results measure it. */
  goal?: JourneyGoal;
}

function matchesCondition(value: unknown, condition: FilterCondition): boolean {
  if (condition === null || typeof condition !== 'object') return value === condition;
  if ('exists' in condition && condition.exists !== undefined && (value !== undefined && value !== null) !== condition.exists) return false;
  if ('eq' in condition && value !== condition.eq) return false;
  if ('ne' in condition && value === condition.ne) return false;
  if (condition.in && !condition.in.includes(value)) return false;
  const numeric = typeof value === 'number' ? value : undefined;
  if (condition.gt !== undefined && !(numeric !== undefined && numeric > condition.gt)) return false;
  if (condition.gte !== undefined && !(numeric !== undefined && numeric >= condition.gte)) return false;
  if (condition.lt !== undefined && !(numeric !== undefined && numeric < condition.lt)) return false;
  if (condition.lte !== undefined && !(numeric !== undefined && numeric <= condition.lte)) return false;
  return true;
}

/** True when every condition of the filter holds for the subject (`{ event, properties, traits, context }`). */
export function matchesFilter(filter: EventFilter | undefined, subject: Record<string, unknown>): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, condition]) => matchesCondition(readPath(subject, path), condition));
}

const DURATION = /^\s*\d+(\.\d+)?\s*(ms|s|m|h|d|seconds?|minutes?|hours?|days?)\s*$/i;

/** Checks values against a settings schema; returns one message per problem, naming the setting. */
export function validateSettings(specs: Record<string, SettingSpec>, values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const spec = specs[name];
    if (!spec) {
      problems.push(`${name}: unknown setting (known: ${Object.keys(specs).join(', ') || 'none'})`);
      continue;
    }
    switch (spec.type) {
      case 'duration':
        if (typeof value !== 'string' || !DURATION.test(value)) problems.push(`${name}: must be a duration such as "1 hour" or "30s", got ${JSON.stringify(value)}`);
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${name}: must be a number, got ${JSON.stringify(value)}`);
        else if (spec.min !== undefined && value < spec.min) problems.push(`${name}: must be at least ${spec.min}`);
        else if (spec.max !== undefined && value > spec.max) problems.push(`${name}: must be at most ${spec.max}`);
        break;
      case 'boolean':
        if (typeof value !== 'boolean') problems.push(`${name}: must be true or false, got ${JSON.stringify(value)}`);
        break;
      case 'string':
        if (typeof value !== 'string' || value.trim() === '') problems.push(`${name}: must be a non-empty string`);
        break;
    }
  }
  return problems;
}

/** Defaults overlaid with overrides (already validated). */
export function resolveSettings(specs: Record<string, SettingSpec>, overrides: Record<string, unknown> = {}): Record<string, SettingValue> {
  const resolved: Record<string, SettingValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const override = overrides[name];
    resolved[name] = override === undefined ? spec.default : (override as SettingValue);
  }
  return resolved;
}

/** The value at a dotted path (`properties.cart_id`), or undefined. */
export function readPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
