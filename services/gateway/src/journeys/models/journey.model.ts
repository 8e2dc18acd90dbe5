import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node } from '../../node/node.model';
import type { StepSpec } from '@continuum/contracts';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { ConversionGoal } from './experiment-results.model';

/** The kinds of step of a journey graph; values are the catalogue's spellings. */
export enum JourneyStepKind {
  ENTRY = 'entry',
  HOLD_UNTIL_IDLE = 'hold-until-idle',
  WAIT_FOR = 'wait-for',
  DELAY = 'delay',
  BRANCH = 'branch',
  SPLIT = 'split',
  EXPERIMENT = 'experiment',
  SEND = 'send',
  REQUEST = 'request',
  EXIT = 'exit',
  COMPLETE = 'complete',
}
registerEnumType(JourneyStepKind, {
  name: 'JourneyStepKind',
  description: 'What a step of a journey does',
  valuesMap: {
    ENTRY: { description: 'Where every instance starts: the entry event' },
    HOLD_UNTIL_IDLE: { description: 'Waits until no reset event has come for a while (each one restarts the timer)' },
    WAIT_FOR: { description: 'Waits for an event, up to a timeout' },
    DELAY: { description: 'Waits for a time or a duration' },
    BRANCH: { description: 'Takes one path by a condition on the customer or the instance' },
    SPLIT: { description: 'Sends instances down paths at random, by weight' },
    EXPERIMENT: { description: 'Assigns each customer a variant (the same one on every entry) or the control group, which is sent nothing; see experimentResults' },
    SEND: { description: 'Sends a message' },
    REQUEST: { description: 'Makes a signed HTTP request to an outside service; later steps may use its response' },
    EXIT: { description: 'Ends the instance early (exit event, archived, nothing to send, …)' },
    COMPLETE: { description: 'Ends the instance at the end of the journey' },
  },
});

/** The counts of the steps of one graph, fetched once for all its nodes when one of them is asked for. */
export type StepCountsOf = () => Promise<ReadonlyMap<string, { active: number; reached: number }>>;

@ObjectType({ description: 'A possible move from one step of the journey graph to another' })
export class JourneyStepEdge {
  @Field({ description: 'Step id the move starts from' })
  from!: string;

  @Field({ description: 'Step id the move goes to' })
  to!: string;

  @Field(() => String, { nullable: true, description: 'Why the move is taken, as the journey declares it: a branch condition, "timeout", …; null when it declares none' })
  label!: string | null;
}

@ObjectType({
  description:
    'A step of the journey graph with its moves to the next steps, how many instances are at it now and how many of those that entered in the window reached it (counted when selected, one query for every step)',
})
export class JourneyStepNode {
  @Field({ description: 'Step id, unique within the journey (what JourneyInstance.currentStep and TimelineEntry.step hold)' })
  step!: string;

  @Field(() => JourneyStepKind, { description: 'What the step does' })
  kind!: JourneyStepKind;

  @Field({ description: 'Human-readable name of the step' })
  label!: string;

  @Field(() => [JourneyStepEdge], { description: 'The moves to the steps that can follow, labelled; empty for a final step' })
  next!: JourneyStepEdge[];

  /** The counts of the graph, shared by its nodes. */
  counts!: StepCountsOf;
}

/** The kinds of value of a journey setting; values are the catalogue's spellings. */
export enum JourneySettingType {
  DURATION = 'duration',
  STRING = 'string',
  NUMBER = 'number',
  BOOLEAN = 'boolean',
}
registerEnumType(JourneySettingType, {
  name: 'JourneySettingKind',
  description: 'What kind of value a journey setting takes',
  valuesMap: {
    DURATION: { description: 'A duration as text, e.g. "30 minutes", "1 day"' },
    STRING: { description: 'Text' },
    NUMBER: { description: 'A number (the setting may bound it)' },
    BOOLEAN: { description: 'true or false' },
  },
});

/** A journey's re-entry policy. */
export enum JourneyReentry {
  ALWAYS = 'always',
  ONCE = 'once',
  AFTER = 'after',
}
registerEnumType(JourneyReentry, {
  name: 'JourneyReentry',
  description: 'Whether a customer may enter a journey again with the same instance key',
  valuesMap: {
    ALWAYS: { description: 'Whenever the entry event comes and no instance with that key is running' },
    ONCE: { description: 'Never again once an instance with that key has entered' },
    AFTER: { description: 'Again once reentryAfter has passed since the last entry' },
  },
});

@ObjectType({ description: "A journey setting: its schema, default and this workspace's value" })
export class JourneySetting {
  @Field({ description: 'Setting name, the key to use in updateJourneySettings' })
  name!: string;

  @Field(() => JourneySettingType, { description: 'What kind of value the setting takes' })
  type!: JourneySettingType;

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

@ObjectType({ description: 'An event that makes a running instance exit: by name, and only when its conditions hold' })
export class JourneyExitRule {
  @Field({ description: 'The name of the event' })
  event!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Conditions on properties.* and traits.* (as an entry rule\'s); null: any event of that name' })
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

  @Field(() => JourneyReentry, { description: 'Whether a customer may enter the journey again with the same instance key' })
  reentry!: JourneyReentry;

  @Field(() => String, { nullable: true, description: 'With reentry AFTER: how long after entering, as a duration, e.g. "7 days"; null otherwise' })
  reentryAfter!: string | null;

  @Field(() => [String], { description: 'Names of the events that make a running instance exit (see exitRules for their conditions)' })
  exitOn!: string[];

  @Field(() => [JourneyExitRule], { description: 'The exit events with their conditions, in the order declared: an event exits the instance when any rule matches it' })
  exitRules!: JourneyExitRule[];

  @Field(() => [String], { description: 'Events a running instance waits for or reacts to' })
  listensTo!: string[];

  @Field({ description: 'Longest an instance may run, as a duration, e.g. "30 days"' })
  maxLifetime!: string;

  @Field(() => [JourneySetting], { description: 'Settings the journey declares, with the values in effect here' })
  settings!: JourneySetting[];

  @Field(() => ConversionGoal, { nullable: true, description: 'The conversion goal the journey declares (journeyStats.goalConversion and experimentResults measure it); null when it declares none' })
  goal!: ConversionGoal | null;

  /** The steps as the catalogue describes them; see `graph`. */
  stepSpecs!: StepSpec[];

  @Field(() => GraphQLISODateTime, { description: 'When this version was published to the catalogue' })
  publishedAt!: Date;

  @Field({ description: 'The worker that published this version' })
  publishedBy!: string;
}
