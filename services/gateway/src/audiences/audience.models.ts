import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../common/json-object.scalar';

@ObjectType({ description: 'Customers matched now by a definition (nothing is stored)' })
export class AudiencePreview {
  @Field(() => Int)
  size!: number;

  @Field(() => [String], { description: 'The first matching userIds, in order' })
  sample!: string[];
}

@ObjectType({ description: 'A named audience and its current members' })
export class AudienceModel {
  @Field()
  name!: string;

  @Field(() => JSONObjectScalar, { description: 'The definition: all / any / not / trait / event / consent / identity conditions' })
  definition!: unknown;

  @Field(() => Int, { description: 'Members as of the last evaluation' })
  size!: number;

  @Field(() => [AudienceMember], { description: 'Members by userId (keyset pages with after)' })
  members!: AudienceMember[];

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When everyone was last re-evaluated' })
  refreshedAt!: Date | null;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType()
export class AudienceMember {
  @Field()
  userId!: string;

  @Field(() => GraphQLISODateTime)
  enteredAt!: Date;
}

@ObjectType({ description: 'What a refresh changed' })
export class AudienceRefresh {
  @Field()
  name!: string;

  @Field(() => Int)
  entered!: number;

  @Field(() => Int)
  exited!: number;

  @Field(() => Int)
  size!: number;
}
