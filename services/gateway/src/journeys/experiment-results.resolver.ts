import { Args, Float, GraphQLISODateTime, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ExperimentStore, type ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { RequiresScope } from '../auth/requires-scope';
import { ExperimentResultsService, goalWindowMs } from './experiment-results.service';
import { ExperimentGoalInput, ExperimentResults, GoalSource } from './models/experiment-results.model';
import { JourneyGoalConversion, JourneyStats } from './models/journey-stats.model';

@Resolver()
export class ExperimentResultsResolver {
  constructor(private readonly experiments: ExperimentResultsService) {}

  @RequiresScope('read')
  @Query(() => ExperimentResults, {
    nullable: true,
    description:
      "Results of an experiment (a journey's experiment step) in the caller's workspace: per arm, customers assigned in [from, to), conversions to the goal within its window, rates with Wilson intervals, uplift against the control group (else the first variant) and two-proportion p-values; null when the catalogue has no such journey",
  })
  experimentResults(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('journeyId', { description: 'Key of a journey of the catalogue (Journey.key)' }) journeyId: string,
    @Args('step', { description: "The experiment's step id (a step of kind EXPERIMENT in the journey's graph)" }) step: string,
    @Args('from', { type: () => GraphQLISODateTime, nullable: true, description: 'Customers first assigned at or after (default: the beginning)' }) from: Date | null,
    @Args('to', { type: () => GraphQLISODateTime, nullable: true, description: 'Customers first assigned before (default: no end)' }) to: Date | null,
    @Args('confidence', { type: () => Float, nullable: true, defaultValue: 0.95, description: 'Confidence level of the intervals and of significant, between 0 and 1 (default 0.95)' }) confidence: number | null,
    @Args('goal', { type: () => ExperimentGoalInput, nullable: true, description: "Goal to measure instead of the experiment's own (else the journey's)" }) goal: ExperimentGoalInput | null,
  ): Promise<ExperimentResults | null> {
    return this.experiments.results(principal, { journeyId, step, from: from ?? null, to: to ?? null, confidence: confidence ?? 0.95, goal: goal ?? null });
  }
}

/** `JourneyStats.goalConversion`: the journey's declared goal, counted only when selected. */
@Resolver(() => JourneyStats)
export class JourneyGoalConversionResolver {
  constructor(private readonly store: ExperimentStore) {}

  @ResolveField(() => JourneyGoalConversion, {
    nullable: true,
    description: "Conversion to the journey's declared goal: instances of the cohort whose customer did the goal event within its window after entering (counted when selected); null when the journey declares no goal",
  })
  async goalConversion(@Parent() stats: JourneyStats): Promise<JourneyGoalConversion | null> {
    const query = stats.goalQuery;
    if (!query) return null;
    const { goal } = query;
    const counts = await this.store.entryConversion({
      workspaceId: query.workspaceId,
      journeyId: stats.journeyId,
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.version != null ? { version: query.version } : {}),
      goal: { event: goal.event, ...(goal.where ? { where: goal.where } : {}), withinMs: goalWindowMs(goal.within, 'goal.within') },
    });
    return {
      goal: { event: goal.event, within: goal.within, where: goal.where ?? null, source: GoalSource.JOURNEY },
      ...counts,
      rate: counts.entered === 0 ? null : counts.converted / counts.entered,
    };
  }
}
