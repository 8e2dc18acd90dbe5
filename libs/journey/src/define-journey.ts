import { allHandlersFinished, condition, continueAsNew, isCancellation } from '@temporalio/workflow';
import type { EntryRule, ExitRule, JourneyDescriptor, JourneyGoal, JourneyInput, JourneyState, ReentryPolicy, SettingSpec } from '@continuum/contracts';
import { parseDuration } from '@continuum/domain';
import { ContinueAsNewNeeded, JourneyExit, type CarriedState, type JourneyEnd } from './carried-state';
import { goalProblem } from './experiment';
import { JourneyRun } from './journey-run';
import { LookupError } from './payload';
import { allowedSteps, literalStepIds, stepGraph, undeclaredStepMessage, type StepDeclaration, type StepIdOf } from './step-list';

type SettingsValues<T extends Record<string, SettingSpec>> = {
  [K in keyof T]: T[K]['type'] extends 'number' ? number : T[K]['type'] extends 'boolean' ? boolean : string;
};

export interface JourneyDefinition<
  T extends Record<string, SettingSpec>,
  Steps extends readonly StepDeclaration[] = readonly StepDeclaration[],
  Dynamic extends boolean = false,
> {
  /** Kebab-case id; the workflow must be exported under its camelCase form (`abandoned-cart` → `abandonedCart`). */
  id: string;
  version: number;
  description: string;
  /** Events that start an instance, with an optional filter on properties and traits. */
  entry: EntryRule;
  /** Dotted path of the instance key in events (`properties.cart_id`); without one, one instance per customer. */
  key?: string;
  /** Default `always`. */
  reentry?: ReentryPolicy;
  /**
   * Events that end an instance at once, even in the middle of a wait: a name, or `{ event, where }`
   * to exit only on the events that match (e.g. `{ event: 'Audience Exited', where: { 'properties.audience': 'loyal-br' } }`);
   * an exit event that does not match is accepted like any other.
   */
  exitOn?: ReadonlyArray<string | ExitRule>;
  /** Events delivered to running instances besides the entry and exit events. */
  listensTo?: string[];
  settings?: T;
  /** Default `365 days`. */
  maxLifetime?: string;
  /**
   * The journey's conversion goal: the customer does `event` (matching `where`, on `properties.*`)
   * within `within` (the attribution window) after entering. In the catalogue; `journeyStats`
   * measures it (`goalConversion`) and experiments default to it.
   */
  goal?: JourneyGoal;
  /**
   * The step graph shown in the catalogue: every step id `run` uses must be here (checked when it
   * type-checks, when the worker starts and when the step runs). `entry`, `done` and `exit` steps
   * are added when missing; `label` and `next` have defaults (see StepDeclaration).
   */
  steps: Steps;
  /**
   * `run` builds step ids at run time (`reply-${turn}`): they are not checked against `steps`.
   * Only for journeys whose steps repeat without bound; the catalogue shows the declared graph.
   */
  dynamicStepIds?: Dynamic;
  /** Continue-as-new once history reaches this many events (default 2,000; Temporal's own suggestion also triggers it). */
  historyLimit?: number;
  /** Largest journey context as JSON (default 32 KB): a handler's update past it is undone and journaled. */
  maxContextBytes?: number;
  run(journey: JourneyRun<SettingsValues<T>, Dynamic extends true ? string : StepIdOf<Steps>>): Promise<JourneyEnd | void>;
}

export interface JourneyWorkflowInput extends JourneyInput {
  /** Set by the library on continue-as-new; never by callers. */
  carried?: CarriedState;
}

export type JourneyWorkflow = ((input: JourneyWorkflowInput) => Promise<JourneyState>) & { descriptor: JourneyDescriptor; stepCheck: StepCheck };

/** What the worker checks before it starts: the step ids written in `run` against the declared list. */
export interface StepCheck {
  dynamic: boolean;
  /** Step ids written as literals in `run` that `steps` lacks. */
  undeclared: string[];
}

export function workflowTypeOf(journeyId: string): string {
  return journeyId.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Declares a journey: its catalogue entry (entry rule, key, re-entry, exit and listened events,
 * settings, step graph) and its code. Returns the workflow function to export from the journeys
 * module under `workflowTypeOf(id)`.
 */
export function defineJourney<
  T extends Record<string, SettingSpec> = Record<string, never>,
  const Steps extends readonly StepDeclaration[] = readonly StepDeclaration[],
  Dynamic extends boolean = false,
>(definition: JourneyDefinition<T, Steps, Dynamic>): JourneyWorkflow {
  const exitRules = (definition.exitOn ?? []).map((rule): ExitRule => (typeof rule === 'string' ? { event: rule } : { event: rule.event, ...(rule.where ? { where: rule.where } : {}) }));
  const badExit = exitRules.find((rule) => typeof rule.event !== 'string' || rule.event.trim() === '');
  if (badExit) throw new Error(`Journey "${definition.id}": every exitOn rule needs an event name, got ${JSON.stringify(badExit)}`);
  const exitOn = [...new Set(exitRules.map((rule) => rule.event))];
  const goalError = definition.goal ? goalProblem(definition.goal) : undefined;
  if (goalError) throw new Error(`Journey "${definition.id}": ${goalError}`);
  const descriptor: JourneyDescriptor = {
    id: definition.id,
    version: definition.version,
    workflowType: workflowTypeOf(definition.id),
    description: definition.description,
    entry: definition.entry,
    key: definition.key,
    reentry: definition.reentry ?? 'always',
    exitOn,
    ...(exitRules.some((rule) => rule.where) ? { exitRules } : {}),
    listensTo: [...new Set([...definition.entry.events, ...exitOn, ...(definition.listensTo ?? [])])],
    settings: (definition.settings ?? {}) as Record<string, SettingSpec>,
    maxLifetime: definition.maxLifetime ?? '365 days',
    steps: stepGraph(definition.steps, { entry: definition.entry, exitOn }),
    ...(definition.goal ? { goal: { ...definition.goal } } : {}),
  };
  const dynamic = definition.dynamicStepIds === true;
  const allowed = allowedSteps(descriptor.steps);
  const stepCheck: StepCheck = { dynamic, undeclared: dynamic ? [] : literalStepIds(definition.run.toString()).filter((id) => !allowed.has(id)) };
  const maxLifetimeMs = parseDuration(descriptor.maxLifetime);

  const workflow = async (input: JourneyWorkflowInput): Promise<JourneyState> => {
    const { carried, ...journeyInput } = input;
    const journey = new JourneyRun<SettingsValues<T>, Dynamic extends true ? string : StepIdOf<Steps>>(journeyInput, carried, {
      exitRules,
      checkStep: dynamic ? undefined : (step) => (allowed.has(step) ? undefined : undeclaredStepMessage(descriptor.id, step)),
      maxLifetimeMs,
      historyLimit: definition.historyLimit ?? 2_000,
      maxContextBytes: definition.maxContextBytes ?? 32 * 1024,
      goal: definition.goal,
    });
    try {
      await journey.begin(carried === undefined);
      const running = definition.run(journey);
      // `run` has executed up to its first await, so its `journey.on` handlers are registered.
      journey.openDispatch();
      const end = (await running) ?? journey.complete();
      // An exit event that arrived during the last step still wins over completion.
      return await journey.finish(journey.pendingExit ? { status: 'exited', reason: journey.pendingExit } : end);
    } catch (error) {
      if (error instanceof JourneyExit) return journey.finish({ status: 'exited', reason: error.reason });
      // The documented default for a lookup the journey did not catch: end, saying which and why.
      if (error instanceof LookupError) {
        return journey.finish({ status: 'exited', reason: `lookup failed: ${error.lookup} (${error.type})`, detail: { lookup: error.lookup, errorType: error.type } });
      }
      if (error instanceof ContinueAsNewNeeded) {
        await condition(allHandlersFinished);
        await journey.flushJournal();
        // (The events it started with are in the carried state: the next run does not receive them again.)
        const { events: _startedWith, ...next } = journeyInput;
        return continueAsNew<typeof workflow>({ ...next, carried: journey.carry(error.inProgress) });
      }
      // A run that fails keeps what it journaled (a cancelled one cannot run the write).
      const writing = isCancellation(error) ? undefined : journey.settleJournal();
      if (writing) await writing;
      throw error;
    }
  };
  // Temporal registers workflows by export name; the name here only helps stack traces.
  Object.defineProperty(workflow, 'name', { value: descriptor.workflowType });
  return Object.assign(workflow, { descriptor, stepCheck });
}
