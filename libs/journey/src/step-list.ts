import type { EntryRule, StepKind, StepSpec } from '@continuum/contracts';

/**
 * A step as a journey declares it. Only `id` and `kind` are required: `label` defaults to the id in
 * words (`cart-reminder-sms` → "Cart reminder sms"), `next` to the step that follows in the list
 * (none after a `complete` or `exit` step).
 */
export interface StepDeclaration {
  readonly id: string;
  readonly kind: StepKind;
  readonly label?: string;
  readonly next?: readonly string[];
  /** Labels of the edges to some of the following steps, by their id: a branch condition, "timeout", … */
  readonly nextLabels?: Readonly<Record<string, string>>;
}

/** The step ids a journey's `run` may use: those of its declared list. */
export type StepIdOf<Steps extends readonly StepDeclaration[]> = Steps[number]['id'];

const TERMINAL: ReadonlySet<StepKind> = new Set<StepKind>(['complete', 'exit']);

function labelOf(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The step graph published in the catalogue, from the declared list with its defaults: an `entry`
 * step (labelled with the entry events) when the list has none, then the declared steps, then a
 * `done` (complete) and an `exit` step when the list has none. A list that declares everything
 * comes out as written.
 */
export function stepGraph(declared: readonly StepDeclaration[], journey: { entry: EntryRule; exitOn: readonly string[] }): StepSpec[] {
  const all: StepDeclaration[] = [...declared];
  if (!all.some((step) => step.kind === 'entry')) all.unshift({ id: 'entry', kind: 'entry', label: journey.entry.events.join(' or ') });
  const hasComplete = all.some((step) => step.kind === 'complete');
  const hasExit = all.some((step) => step.kind === 'exit');
  if (!hasComplete) all.push({ id: 'done', kind: 'complete', label: 'Completed' });
  if (!hasExit) all.push({ id: 'exit', kind: 'exit', label: journey.exitOn.length > 0 ? `Exited: ${journey.exitOn.join(' or ')}` : 'Exited' });
  return all.map((step, index) => {
    const following = all[index + 1];
    const next = step.next ?? (!TERMINAL.has(step.kind) && following ? [following.id] : undefined);
    return {
      id: step.id,
      kind: step.kind,
      label: step.label ?? labelOf(step.id),
      ...(next ? { next: [...next] } : {}),
      ...(step.nextLabels ? { nextLabels: { ...step.nextLabels } } : {}),
    };
  });
}

/** Steps the library moves to itself: every journey has them, declared or not. */
const LIBRARY_STEPS = ['entry', 'done', 'exit'];

/** A `run` used a step id its journey's `steps` list lacks (a typo, or a step added to the code only). */
export function undeclaredStepMessage(journeyId: string, step: string): string {
  return `Journey "${journeyId}" uses step "${step}", which its steps list does not declare: add it to \`steps\` (or fix the id)`;
}

/** The step ids a journey may use: the declared ones and those the library moves to itself. */
export function allowedSteps(graph: readonly StepSpec[]): ReadonlySet<string> {
  return new Set([...LIBRARY_STEPS, ...graph.map((step) => step.id)]);
}

/**
 * The step ids written as literals in step-taking calls of a journey's source: the first argument of
 * `send`, `branch`, `split`, `experiment` and `request`, and every `step: '…'` option (waits, delays, lookups). Ids built at
 * run time (`reply-${turn}`) are not literals and are left to the run-time check.
 */
export function literalStepIds(source: string): string[] {
  const ids = new Set<string>();
  const patterns = [/\.(?:send|branch|split|experiment|request)\(\s*(['"`])([^'"`$\\]+)\1/g, /\bstep:\s*(['"`])([^'"`$\\]+)\1/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) ids.add(match[2]!);
  return [...ids];
}
