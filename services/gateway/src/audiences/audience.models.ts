import { Field, GraphQLISODateTime, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { PayloadType } from '../common/user-error';

@ObjectType({ description: 'Customers matched now by a definition (nothing is stored)' })
export class AudiencePreview {
  @Field(() => Int, { description: 'How many customers the definition matches now' })
  size!: number;

  @Field(() => [String], { description: 'The first matching userIds, in order' })
  sample!: string[];
}

@ObjectType({ description: 'A named audience and its current members' })
export class AudienceModel {
  @Field({ description: 'Its name, unique in the workspace' })
  name!: string;

  @Field(() => JSONObjectScalar, { description: 'The definition: all / any / not / trait / event / consent / identity conditions' })
  definition!: unknown;

  @Field(() => Int, { description: 'Members as of the last evaluation' })
  size!: number;

  @Field(() => [AudienceMember], { description: 'Members by userId (keyset pages with after)' })
  members!: AudienceMember[];

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When everyone was last re-evaluated' })
  refreshedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { description: 'When the definition was last saved' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A customer who is a member of an audience now' })
export class AudienceMember {
  @Field({ description: "The customer's userId" })
  userId!: string;

  @Field(() => GraphQLISODateTime, { description: 'When they last entered (a customer who exits and enters again gets a new time)' })
  enteredAt!: Date;
}

@ObjectType({ description: 'What a refresh changed' })
export class AudienceRefresh {
  @Field({ description: 'Name of the audience' })
  name!: string;

  @Field(() => Int, { description: 'Customers who became members (each got an Audience Entered event)' })
  entered!: number;

  @Field(() => Int, { description: 'Customers who stopped being members (each got an Audience Exited event)' })
  exited!: number;

  @Field(() => Int, { description: 'Members after the refresh' })
  size!: number;
}

@InputType({ description: 'An audience to create or replace' })
export class SaveAudienceInput {
  @Field({ description: 'Lower-case letters, digits and dashes' })
  name!: string;

  @Field(() => JSONObjectScalar, {
    description:
      'Definition: { all | any: [...] }, { not: … }, { trait, eq | neq | in | exists | gt | gte | lt | lte }, { event, atLeast?, atMost?, within? }, { consent: { channel, purpose?, status } }, { identity }',
  })
  definition!: Record<string, unknown>;
}

@InputType({ description: 'The audience to delete' })
export class DeleteAudienceInput {
  @Field({ description: 'Name of the audience' })
  name!: string;
}

@InputType({ description: 'The audience to re-evaluate' })
export class RefreshAudienceInput {
  @Field({ description: 'Name of the audience' })
  name!: string;
}

@ObjectType({ description: 'The outcome of saveAudience' })
export class SaveAudiencePayload extends PayloadType('audience', () => AudienceModel, 'The saved audience with its members computed; null when refused') {}

@ObjectType({ description: 'The outcome of deleteAudience' })
export class DeleteAudiencePayload extends PayloadType('deletedAudienceName', () => String, 'Name of the deleted audience; null when nothing was deleted') {}

@ObjectType({ description: 'The outcome of refreshAudience' })
export class RefreshAudiencePayload extends PayloadType('refresh', () => AudienceRefresh, 'What the refresh changed; null when refused') {}
