import { Field, Float, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

/** Where the goal of experiment results (or of a journey's goal conversion) came from. */
export enum GoalSource {
  ARGUMENT = 'argument',
  EXPERIMENT = 'experiment',
  JOURNEY = 'journey',
}
registerEnumType(GoalSource, {
  name: 'GoalSource',
  description: 'Where the conversion goal measured came from',
  valuesMap: {
    ARGUMENT: { description: 'The goal argument of the query' },
    EXPERIMENT: { description: "The experiment's own goal, as its latest assignment journaled it (journey.experiment's goal and within)" },
    JOURNEY: { description: "The journey's declared goal (defineJourney's goal, in the catalogue)" },
  },
});

@InputType({ description: 'A conversion goal: an event by the customer within a time after being assigned a variant' })
export class ExperimentGoalInput {
  @Field({ description: 'The goal event name, e.g. "Order Completed"' })
  event!: string;

  @Field({ description: 'The attribution window: how long after the assignment the goal counts, e.g. "7 days", "12h"' })
  within!: string;
}

@ObjectType({ description: 'The conversion goal a result measures' })
export class ConversionGoal {
  @Field({ description: 'The goal event name' })
  event!: string;

  @Field({ description: 'The attribution window, as declared or given, e.g. "7 days"' })
  within!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Conditions on the goal event's properties (an event filter, e.g. { \"properties.total\": { \"gte\": 50 } }); null: any such event" })
  where!: Record<string, unknown> | null;

  @Field(() => GoalSource, { description: 'Where the goal came from' })
  source!: GoalSource;
}

@ObjectType({ description: 'A confidence interval' })
export class ConfidenceInterval {
  @Field(() => Float, { description: 'Lower bound' })
  lower!: number;

  @Field(() => Float, { description: 'Upper bound' })
  upper!: number;
}

@ObjectType({ description: 'One arm of an experiment (a variant or the control group) and how it converted, compared with the baseline' })
export class ExperimentVariantResult {
  @Field({ description: 'The variant id (the control group\'s id for the control group)' })
  variant!: string;

  @Field({ description: 'True for the control group, which is sent nothing from the experiment step on' })
  control!: boolean;

  @Field(() => Float, { nullable: true, description: "The arm's weight in the latest assignment's declaration; null for an arm that is no longer declared" })
  weight!: number | null;

  @Field(() => Int, { description: 'Customers first assigned to this arm in the window (each customer counts once; a re-entry keeps the arm)' })
  entered!: number;

  @Field(() => Int, { description: 'Of those, customers who did the goal event within the attribution window after an assignment' })
  converted!: number;

  @Field(() => Float, { nullable: true, description: 'converted / entered; null when nobody entered' })
  conversionRate!: number | null;

  @Field(() => ConfidenceInterval, { nullable: true, description: 'Wilson score interval of conversionRate at the confidence asked; null when nobody entered' })
  interval!: ConfidenceInterval | null;

  @Field(() => Float, { nullable: true, description: "conversionRate − the baseline's (absolute uplift); null for the baseline, or when either arm has nobody" })
  upliftAbsolute!: number | null;

  @Field(() => Float, { nullable: true, description: "(conversionRate − the baseline's) / the baseline's (relative uplift, 0.25 = +25 %); null also when the baseline's rate is 0" })
  upliftRelative!: number | null;

  @Field(() => ConfidenceInterval, { nullable: true, description: 'Wald interval of upliftAbsolute at the confidence asked; null when upliftAbsolute is' })
  upliftInterval!: ConfidenceInterval | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Two-sided p-value of the two-proportion z-test (pooled) against the baseline, the same as the chi-squared test of the 2×2 table without continuity correction; null for the baseline, an empty arm, or when nobody or everybody converted in both',
  })
  pValue!: number | null;

  @Field({ description: 'pValue is below 1 − confidence' })
  significant!: boolean;
}

@ObjectType({ description: "The winner rule's decision: from then on, entries go down this variant without an assignment" })
export class ExperimentWinnerDecision {
  @Field({ description: 'The winning variant' })
  variant!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the first entry went down it' })
  decidedAt!: Date;

  @Field(() => Int, { description: 'Entries sent down the winner in the window (not counted in variants)' })
  entries!: number;

  @Field(() => JSONObjectScalar, { description: 'The figures it was decided on, as journaled: { alpha, minPerArm, arms: [{ variant, control, entered, converted }], pValues }' })
  figures!: Record<string, unknown>;
}

@ObjectType({ description: 'Results of one experiment of a journey: per arm, customers, conversions, rates with intervals, uplift against the baseline and p-values' })
export class ExperimentResults {
  @Field({ description: 'The journey asked for' })
  journeyId!: string;

  @Field({ description: "The experiment's step id" })
  step!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Start of the assignment window as given; null: from the beginning' })
  from!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'End of the assignment window (excluded) as given; null: no end' })
  to!: Date | null;

  @Field(() => Float, { description: 'Confidence level of the intervals and of significant, e.g. 0.95' })
  confidence!: number;

  @Field(() => ConversionGoal, { description: 'The goal measured' })
  goal!: ConversionGoal;

  @Field(() => String, { nullable: true, description: 'The arm every other is compared with: the control group, else the first variant declared; null before anyone was assigned' })
  baseline!: string | null;

  @Field(() => Int, { description: 'Customers assigned in the window, all arms together' })
  entered!: number;

  @Field(() => ExperimentWinnerDecision, { nullable: true, description: "The winner rule's decision (journey.experiment's autoWinner); null while there is none" })
  winner!: ExperimentWinnerDecision | null;

  @Field(() => [ExperimentVariantResult], { description: 'The arms in the order declared (variants, then the control group), then any arm no longer declared' })
  variants!: ExperimentVariantResult[];
}
