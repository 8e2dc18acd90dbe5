import { Field, InputType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

@InputType()
export class UpdateJourneySettingsInput {
  @Field()
  journeyId!: string;

  @Field(() => JSONObjectScalar, { description: 'e.g. {"idleTimeout":"30 minutes"}; null resets a setting to its default' })
  settings!: Record<string, unknown>;
}
