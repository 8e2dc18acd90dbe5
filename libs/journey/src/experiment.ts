import type { EventFilter, JourneyGoal } from '@continuum/contracts';
import { parseDuration } from '@continuum/domain';
import { toMs, type DurationInput } from './payload';
import { weightedChoice } from './weighted-choice';

/** A variant of an experiment; `weight` (default 1) is its share of the customers. */
export interface ExperimentVariant<V extends string = string> {
  readonly id: V;
  readonly weight?: number;
}

/** The conversion an experiment measures: an event (optionally matching `where` on `properties.*`). */
export type GoalEvent = string | { readonly event: string; readonly where?: EventFilter };

export interface ExperimentOptions<V extends string = string> {
  /** The variants, each taking its weight's share (default 1 each). */
  readonly variants: ReadonlyArray<ExperimentVariant<V>>;
  /**
   * The control group (holdout): customers assigned to it are sent nothing from this step on (their
   * sends are skipped with rule `control-group`), so their conversions show what the journey's
   * messages add. Its weight is required: the share held out.
   */
  readonly control?: { readonly id: V; readonly weight: number };
  /** What converts; default the journey's `goal`. Results can also be asked for with another goal. */
  readonly goal?: GoalEvent;
  /** Attribution window after the assignment; default the journey goal's `within`. */
  readonly within?: DurationInput;
  /**
   * Once a variant is significantly best (see experimentWinner: it beats every other arm at
   * alpha / (arms − 1), every arm having `minPerArm` customers), later entries go down it without an
   * assignment, journaled with `rule: 'winner'` and the figures. Defaults: alpha 0.05, minPerArm 100.
   */
  readonly autoWinner?: true | { readonly alpha?: number; readonly minPerArm?: number };
}

/** The winner rule's parameters with their defaults; undefined without the rule. */
export function winnerRule(options: ExperimentOptions): { alpha: number; minPerArm: number } | undefined {
  if (options.autoWinner === undefined) return undefined;
  const given = options.autoWinner === true ? {} : options.autoWinner;
  return { alpha: given.alpha ?? 0.05, minPerArm: given.minPerArm ?? 100 };
}

/** What `experiment.assigned` journals (and what experimentResults reads). */
export interface ExperimentAssignment {
  variant: string;
  control: boolean;
  /** Every arm's weight, in the order declared (variants, then the control group). */
  weights: Record<string, number>;
  /** The control group's id, when the experiment has one. */
  controlId?: string;
  /** The experiment's goal in effect (its own, else the journey's), when there is one. */
  goal?: JourneyGoal;
}

/**
 * cyrb53 (public domain, by bryc): a fast 53-bit string hash with good avalanche, pure and
 * deterministic, so it can run in workflow code.
 */
export function stableHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The customer's roll in [0, 1) for one experiment: the same for the same (workspace, journey, step, customer). */
export function assignmentRoll(unit: { workspaceId: string; journeyId: string; step: string; customerId: string }): number {
  return stableHash([unit.workspaceId, unit.journeyId, unit.step, unit.customerId].join('\u0000')) / 2 ** 53;
}

/** Why an experiment's options are unusable (a bug in the journey), or undefined. */
export function experimentProblem(step: string, options: ExperimentOptions): string | undefined {
  const arms = [...options.variants.map((variant) => ({ id: variant.id, weight: variant.weight ?? 1 })), ...(options.control ? [options.control] : [])];
  if (options.variants.length === 0) return `experiment ${step}: needs at least one variant`;
  const ids = new Set<string>();
  for (const arm of arms) {
    if (typeof arm.id !== 'string' || arm.id.trim() === '') return `experiment ${step}: every variant needs a non-empty id`;
    if (ids.has(arm.id)) return `experiment ${step}: the id "${arm.id}" is used twice (variants and control must differ)`;
    ids.add(arm.id);
    if (typeof arm.weight !== 'number' || !Number.isFinite(arm.weight) || arm.weight < 0) return `experiment ${step}: the weight of "${arm.id}" must be a number of 0 or more`;
  }
  if (options.variants.every((variant) => (variant.weight ?? 1) === 0)) return `experiment ${step}: the variants' weights must add up to more than 0`;
  if (options.goal !== undefined && (typeof options.goal === 'string' ? options.goal : options.goal.event).trim() === '') return `experiment ${step}: the goal must name an event`;
  const rule = winnerRule(options);
  if (rule && !(rule.alpha > 0 && rule.alpha < 1)) return `experiment ${step}: autoWinner.alpha must be between 0 and 1, e.g. 0.05`;
  if (rule && !(Number.isInteger(rule.minPerArm) && rule.minPerArm >= 1)) return `experiment ${step}: autoWinner.minPerArm must be a whole number of 1 or more`;
  if (options.within !== undefined) {
    try {
      if (toMs(options.within) <= 0) return `experiment ${step}: within must be longer than zero`;
    } catch (error) {
      return `experiment ${step}: within: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** The goal an experiment measures: its own event and window, each falling back to the journey's goal. */
export function experimentGoal(options: ExperimentOptions, journeyGoal: JourneyGoal | undefined): JourneyGoal | undefined {
  const own = options.goal === undefined ? undefined : typeof options.goal === 'string' ? { event: options.goal } : options.goal;
  const event = own?.event ?? journeyGoal?.event;
  const within = options.within !== undefined ? (typeof options.within === 'number' ? `${options.within}ms` : options.within) : journeyGoal?.within;
  if (event === undefined || within === undefined) return undefined;
  const where = own ? own.where : journeyGoal?.where;
  return { event, ...(where ? { where } : {}), within };
}

/** The arm a roll lands on: variants and the control group share [0, 1) by weight, in the order declared. */
export function assign(options: ExperimentOptions, roll: number, step: string): { variant: string; control: boolean; weights: Record<string, number> } {
  const weights: Record<string, number> = {};
  for (const variant of options.variants) weights[variant.id] = variant.weight ?? 1;
  if (options.control) weights[options.control.id] = options.control.weight;
  const variant = weightedChoice(weights, roll, `experiment ${step}`);
  return { variant, control: variant === options.control?.id, weights };
}

/** Checks a journey's declared goal; returns the problem, or undefined. */
export function goalProblem(goal: JourneyGoal): string | undefined {
  if (typeof goal.event !== 'string' || goal.event.trim() === '') return 'goal.event must name an event';
  for (const path of Object.keys(goal.where ?? {})) {
    if (!path.startsWith('properties.')) return `goal.where: "${path}" is not a path into the goal event's properties (properties.…)`;
  }
  try {
    if (parseDuration(goal.within) <= 0) return 'goal.within must be longer than zero';
  } catch (error) {
    return `goal.within: ${(error as Error).message}`;
  }
  return undefined;
}
