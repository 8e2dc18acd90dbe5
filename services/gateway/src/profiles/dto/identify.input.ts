import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

@InputType({ description: 'Who a customer is: traits merge into the profile (null removes a trait)' })
export class IdentifyInput {
  @Field()
  userId!: string;

  @Field(() => JSONObjectScalar, { description: 'e.g. {"first_name":"Ana","phone":"+5511912345678"}' })
  traits!: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { nullable: true })
  timestamp?: Date;

  @Field({ nullable: true, description: 'Deduplication id; a repeated id is applied once' })
  messageId?: string;
}
