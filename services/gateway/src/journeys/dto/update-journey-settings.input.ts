import { Field, ID, InputType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';

@InputType({ description: "New values for some of a journey's settings in this workspace" })
export class UpdateJourneySettingsInput {
  @Field(() => ID, { description: 'The journey whose settings change: the global id of a Journey (Journey.id)' })
  id!: string;

  @Field(() => JSONObjectScalar, { description: 'e.g. {"idleTimeout":"30 minutes"}; null resets a setting to its default' })
  settings!: Record<string, unknown>;
}
