import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node } from '../../node/node.model';
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

/** A journey's lifecycle in a workspace; values are the stored spellings. */
export enum JourneyStatus {
  PUBLISHED = 'published',
  PAUSED = 'paused',
  ARCHIVED = 'archived',
}
registerEnumType(JourneyStatus, {
  name: 'JourneyStatus',
  description: "Where a journey stands in this workspace's lifecycle",
  valuesMap: {
    PUBLISHED: { description: 'Takes new entries; running instances run' },
    PAUSED: { description: 'Takes no new entries; the sends of running instances are held until resumed' },
    ARCHIVED: { description: 'Takes no new entries; running instances exited with reason "archived"' },
  },
});

@ObjectType({ description: 'A journey of the catalogue and its state in this workspace', implements: () => [Node] })
// `id` comes from Node, made from key.
export class Journey {
  @Field({ description: 'Key of the journey in the catalogue, e.g. abandoned-cart: what journeyId arguments and fields hold' })
  key!: string;

  @Field(() => Int, { description: 'Catalogue version currently published by the workers' })
  version!: number;

  @Field({ description: 'Temporal workflow type that runs each instance' })
  workflowType!: string;

  @Field({ description: 'What the journey does, as declared in the catalogue' })
  description!: string;

  @Field(() => JourneyStatus, { description: "Its lifecycle in this workspace" })
  status!: JourneyStatus;

  @Field(() => JourneyEntryRule, { description: 'Events that start an instance' })
  entry!: JourneyEntryRule;

  @Field(() => String, { nullable: true, description: 'Path in the entry event of the instance key, e.g. properties.cart_id; null: one instance per customer' })
  instanceKeyPath!: string | null;

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

  @Field(() => GraphQLISODateTime, { description: 'When this version was published to the catalogue' })
  publishedAt!: Date;

  @Field({ description: 'The worker that published this version' })
  publishedBy!: string;
}
