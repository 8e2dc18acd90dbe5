import { Field, GraphQLISODateTime, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { connectionTypes } from '../common/connection-types';
import { PayloadType } from '../common/user-error';
import { Node } from '../node/node.model';
import { AudienceConditionInput } from './dto/audience-condition.input';

@ObjectType({ description: 'Customers matched now by a definition (nothing is stored)' })
export class AudiencePreview {
  @Field(() => Int, { description: 'How many customers the definition matches now' })
  size!: number;

  @Field(() => [String], { description: 'The first matching userIds, in order' })
  sample!: string[];
}

@ObjectType({ description: 'A named audience: who matches its definition, kept up to date as events arrive', implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the audience's row id.
export class Audience {
  /** The audience's row id: its local id in its global id (not a field). */
  audienceId!: string;

  @Field({ description: 'Its name, unique in the workspace: what saveAudience, deleteAudience, refreshAudience and createBroadcast name it by' })
  name!: string;

  @Field(() => JSONObjectScalar, {
    description:
      'The definition as an AudienceConditionInput value (enum values by name), ready to pass back as the definition of saveAudience or previewAudience. (JSON, not a typed object: a definition is a tree up to 8 levels deep, which a typed selection would have to spell out level by level.)',
  })
  definition!: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When everyone was last evaluated (saveAudience does it at once, then every refresh); null until its members were first computed' })
  refreshedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { description: 'When the definition was last saved' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A customer who is a member of an audience now', implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the audience's row id and the userId.
export class AudienceMember {
  /** The audience's row id (with the userId, its local id). */
  audienceId!: string;

  @Field({ description: "The customer's userId" })
  userId!: string;

  @Field(() => GraphQLISODateTime, { description: 'When they last entered (a customer who exits and enters again gets a new time)' })
  enteredAt!: Date;
}

const audienceMemberConnection = connectionTypes('AudienceMember', () => AudienceMember, {
  item: 'The member',
  page: "A page of an audience's members, ordered by userId",
  total: 'Members of the audience now (its size), on every page',
});
export const AudienceMemberConnection = audienceMemberConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const AudienceMemberConnectionTotalCount = audienceMemberConnection.TotalCount;

const audienceConnection = connectionTypes('Audience', () => Audience, {
  item: 'The audience',
  page: "A page of the workspace's audiences, ordered by name",
  total: 'Audiences of the workspace, on every page',
});
export const AudienceConnection = audienceConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const AudienceConnectionTotalCount = audienceConnection.TotalCount;

@ObjectType({ description: 'What a refresh changed' })
export class AudienceRefresh {
  @Field(() => Audience, { description: 'The audience, as the refresh left it' })
  audience!: Audience;

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

  @Field(() => AudienceConditionInput, { description: 'Who is in it: one condition, combined with all / any / not' })
  definition!: AudienceConditionInput;
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
export class SaveAudiencePayload extends PayloadType('audience', () => Audience, 'The saved audience with its members computed; null when refused') {}

@ObjectType({ description: 'The outcome of deleteAudience' })
export class DeleteAudiencePayload extends PayloadType('deletedAudienceName', () => String, 'Name of the deleted audience; null when nothing was deleted') {}

@ObjectType({ description: 'The outcome of refreshAudience' })
export class RefreshAudiencePayload extends PayloadType('refresh', () => AudienceRefresh, 'What the refresh changed; null when refused') {}
