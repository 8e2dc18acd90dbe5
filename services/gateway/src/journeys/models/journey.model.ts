import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

@ObjectType({ description: 'A step of the journey graph' })
export class JourneyStepNode {
  @Field({ description: 'Step id, unique within the journey' })
  id!: string;

  @Field({ description: 'entry, hold-until-idle, wait-for, delay, branch, split, send, exit or complete' })
  kind!: string;

  @Field({ description: 'Human-readable name of the step' })
  label!: string;

  @Field(() => [String], { description: 'Ids of the steps that can follow; empty for a final step' })
  next!: string[];
}

@ObjectType({ description: "A journey setting: its schema, default and this workspace's value" })
export class JourneySetting {
  @Field({ description: 'Setting name, the key to use in updateJourneySettings' })
  name!: string;

  @Field({ description: 'duration, string, number or boolean' })
  type!: string;

  @Field({ description: 'What the setting controls, as declared by the journey' })
  description!: string;

  @Field(() => JSONObjectScalar, { description: '{ "value": <default> }' })
  default!: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { description: '{ "value": <value in effect for new instances> }' })
  value!: Record<string, unknown>;

  @Field({ description: 'True when this workspace overrides the default' })
  overridden!: boolean;
}

@ObjectType({ description: "This workspace's instances of a journey, by status" })
export class JourneyInstanceCounts {
  @Field(() => Int, { description: 'Instances still running' })
  active!: number;

  @Field(() => Int, { description: 'Instances that reached the end of the journey' })
  completed!: number;

  @Field(() => Int, { description: 'Instances that left early (exit event, archived, …)' })
  exited!: number;
}

@ObjectType({ description: 'Which events start an instance of a journey' })
export class JourneyEntryRule {
  @Field(() => [String], { description: 'Names of the events that start an instance' })
  events!: string[];

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Conditions on properties.* and traits.*' })
  where!: Record<string, unknown> | null;
}

@ObjectType({ description: 'A journey of the catalogue and its state in this workspace' })
export class Journey {
  @Field({ description: 'Journey id in the catalogue' })
  id!: string;

  @Field(() => Int, { description: 'Catalogue version currently published by the workers' })
  version!: number;

  @Field({ description: 'Temporal workflow type that runs each instance' })
  workflowType!: string;

  @Field({ description: 'What the journey does, as declared in the catalogue' })
  description!: string;

  @Field({ description: 'published (takes new entries), paused (no entries; sends held) or archived' })
  status!: string;

  @Field(() => JourneyEntryRule, { description: 'Events that start an instance' })
  entry!: JourneyEntryRule;

  @Field(() => String, { nullable: true, description: 'Event path of the instance key; none: one instance per customer' })
  key!: string | null;

  @Field({ description: 'always, once, or "after <duration>"' })
  reentry!: string;

  @Field(() => [String], { description: 'Events that make a running instance exit' })
  exitOn!: string[];

  @Field(() => [String], { description: 'Events a running instance waits for or reacts to' })
  listensTo!: string[];

  @Field({ description: 'Longest an instance may run, as a duration, e.g. "30 days"' })
  maxLifetime!: string;

  @Field(() => [JourneySetting], { description: 'Settings the journey declares, with the values in effect here' })
  settings!: JourneySetting[];

  @Field(() => [JourneyStepNode], { description: 'The journey graph, one node per step' })
  steps!: JourneyStepNode[];

  @Field(() => JourneyInstanceCounts, { description: "This workspace's instances, by status" })
  instances!: JourneyInstanceCounts;

  @Field(() => GraphQLISODateTime, { description: 'When this version was published to the catalogue' })
  publishedAt!: Date;

  @Field({ description: 'The worker that published this version' })
  publishedBy!: string;
}
