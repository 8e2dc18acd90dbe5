import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

@InputType({ description: 'Who a customer is: traits merge into the profile (null removes a trait)' })
export class IdentifyInput {
  @Field({ description: 'The id the workspace knows the customer by' })
  userId!: string;

  @Field(() => JSONObjectScalar, { description: 'e.g. {"first_name":"Ana","phone":"+5511912345678","timezone":"America/Sao_Paulo","locale":"pt-BR","consent":{"sms":"subscribed"}}' })
  traits!: Record<string, unknown>;

  @Field({
    nullable: true,
    description: 'The anonymous id the customer had before (e.g. a device id): that anonymous customer, with its events and journeys, is merged into this one',
  })
  anonymousId?: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the call happened; default: when the gateway receives it' })
  timestamp?: Date;

  @Field({ nullable: true, description: 'Deduplication id; a repeated id is applied once' })
  messageId?: string;
}
