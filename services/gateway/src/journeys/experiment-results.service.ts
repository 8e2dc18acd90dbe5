import { Injectable } from '@nestjs/common';
import type { JourneyGoal } from '@continuum/contracts';
import { ExperimentStore, experimentStatistics, type ApiKeyPrincipal, type ArmInput } from '@continuum/data';
import { parseDuration } from '@continuum/domain';
import { GatewayException } from '../common/gateway-exception';
import { validateWindow } from '../common/relay-pagination';
import { JourneyCatalogueCache } from '../catalogue/journey-catalogue.cache';
import { GoalSource, type ExperimentGoalInput, type ExperimentResults } from './models/experiment-results.model';

export interface ExperimentResultsArgs {
  journeyId: string;
  step: string;
  from: Date | null;
  to: Date | null;
  confidence: number;
  goal: ExperimentGoalInput | null;
}

/** A goal's window in ms, or a BAD_USER_INPUT naming `field`. */
export function goalWindowMs(within: string, field: string): number {
  let ms: number;
  try {
    ms = parseDuration(within);
  } catch (error) {
    throw GatewayException.badInput(field, (error as Error).message);
  }
  if (ms <= 0) throw GatewayException.badInput(field, `must be longer than zero, got "${within}"`);
  return ms;
}

/** Results of a journey's experiments: counts in PostgreSQL, statistics here (see experiment-statistics). */
@Injectable()
export class ExperimentResultsService {
  constructor(
    private readonly store: ExperimentStore,
    private readonly catalogue: JourneyCatalogueCache,
  ) {}

  /** Null when the catalogue has no such journey. */
  async results(principal: ApiKeyPrincipal, args: ExperimentResultsArgs): Promise<ExperimentResults | null> {
    validateWindow('from', args.from, 'to', args.to);
    if (!(args.confidence > 0 && args.confidence < 1)) throw GatewayException.badInput('confidence', `must be between 0 and 1 (exclusive), e.g. 0.95; got ${args.confidence}`);
    if (args.goal && args.goal.event.trim() === '') throw GatewayException.badInput('goal.event', 'must name an event, e.g. "Order Completed"');
    const argumentWindow = args.goal ? goalWindowMs(args.goal.within, 'goal.within') : undefined;
    const descriptor = (await this.catalogue.descriptors()).find((candidate) => candidate.id === args.journeyId);
    if (!descriptor) return null;
    const experimentSteps = descriptor.steps.filter((step) => step.kind === 'experiment').map((step) => step.id);
    if (!experimentSteps.includes(args.step)) {
      const known = experimentSteps.length > 0 ? `its experiment steps: ${experimentSteps.join(', ')}` : 'it declares none';
      throw GatewayException.badInput('step', `"${args.step}" is not an experiment step of journey "${descriptor.id}" (${known})`);
    }
    const scope = { workspaceId: principal.workspaceId, journeyId: descriptor.id, step: args.step };
    const declaration = await this.store.declaration(scope);
    let goal: JourneyGoal;
    let source: GoalSource;
    if (args.goal) [goal, source] = [{ event: args.goal.event, within: args.goal.within }, GoalSource.ARGUMENT];
    else if (declaration?.goal) [goal, source] = [declaration.goal, GoalSource.EXPERIMENT];
    else if (descriptor.goal) [goal, source] = [descriptor.goal, GoalSource.JOURNEY];
    else throw GatewayException.badInput('goal', `neither experiment "${args.step}" nor journey "${descriptor.id}" declares a goal: give one, e.g. { event: "Order Completed", within: "7 days" }`);
    const withinMs = argumentWindow ?? goalWindowMs(goal.within, 'goal.within');

    const counts = await this.store.arms({
      ...scope,
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
      goal: { event: goal.event, ...(goal.where ? { where: goal.where } : {}), withinMs },
    });
    const declaredWinner = await this.store.declaredWinner(scope);
    const winner = declaredWinner
      ? { variant: declaredWinner.variant, decidedAt: declaredWinner.at, figures: declaredWinner.figures, entries: await this.store.winnerEntries({ ...scope, ...(args.from ? { from: args.from } : {}), ...(args.to ? { to: args.to } : {}) }) }
      : null;
    const weights = declaration?.weights ?? {};
    const declared = Object.keys(weights);
    const arms: ArmInput[] = [
      ...declared.map((variant) => counts.find((arm) => arm.variant === variant) ?? { variant, control: variant === declaration?.controlId, entered: 0, converted: 0 }),
      ...counts.filter((arm) => !declared.includes(arm.variant)),
    ];
    const baseline = declaration?.controlId ?? declared[0] ?? arms[0]?.variant ?? null;
    const statistics = experimentStatistics(arms, baseline, args.confidence);
    return {
      journeyId: descriptor.id,
      step: args.step,
      from: args.from,
      to: args.to,
      confidence: args.confidence,
      goal: { event: goal.event, within: goal.within, where: goal.where ?? null, source },
      baseline,
      entered: arms.reduce((sum, arm) => sum + arm.entered, 0),
      winner,
      variants: statistics.map((arm) => ({ ...arm, weight: weights[arm.variant] ?? null })),
    };
  }
}
