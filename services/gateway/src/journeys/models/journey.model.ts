import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

@ObjectType({ description: 'A step of the journey graph' })
export class JourneyStepNode {
  @Field()
  id!: string;

  @Field({ description: 'entry, hold-until-idle, wait-for, delay, branch, split, send, exit or complete' })
  kind!: string;

  @Field()
  label!: string;

  @Field(() => [String])
  next!: string[];
}

@ObjectType({ description: "A journey setting: its schema, default and this workspace's value" })
export class JourneySetting {
  @Field()
  name!: string;

  @Field({ description: 'duration, string, number or boolean' })
  type!: string;

  @Field()
  description!: string;

  @Field(() => JSONObjectScalar, { description: '{ "value": <default> }' })
  default!: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { description: '{ "value": <value in effect for new instances> }' })
  value!: Record<string, unknown>;

  @Field({ description: 'True when this workspace overrides the default' })
  overridden!: boolean;
}

@ObjectType()
export class JourneyInstanceCounts {
  @Field(() => Int)
  active!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  exited!: number;
}

@ObjectType()
export class JourneyEntryRule {
  @Field(() => [String])
  events!: string[];

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Conditions on properties.* and traits.*' })
  where!: Record<string, unknown> | null;
}

@ObjectType({ description: 'A journey of the catalogue and its state in this workspace' })
export class Journey {
  @Field()
  id!: string;

  @Field(() => Int)
  version!: number;

  @Field()
  workflowType!: string;

  @Field()
  description!: string;

  @Field({ description: 'published (takes new entries), paused (no entries; sends held) or archived' })
  status!: string;

  @Field(() => JourneyEntryRule)
  entry!: JourneyEntryRule;

  @Field(() => String, { nullable: true, description: 'Event path of the instance key; none: one instance per customer' })
  key!: string | null;

  @Field({ description: 'always, once, or "after <duration>"' })
  reentry!: string;

  @Field(() => [String])
  exitOn!: string[];

  @Field(() => [String])
  listensTo!: string[];

  @Field()
  maxLifetime!: string;

  @Field(() => [JourneySetting])
  settings!: JourneySetting[];

  @Field(() => [JourneyStepNode])
  steps!: JourneyStepNode[];

  @Field(() => JourneyInstanceCounts)
  instances!: JourneyInstanceCounts;

  @Field(() => GraphQLISODateTime)
  publishedAt!: Date;

  @Field({ description: 'The worker that published this version' })
  publishedBy!: string;
}
