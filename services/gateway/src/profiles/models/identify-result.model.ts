import { Field, ObjectType } from '@nestjs/graphql';
import { Profile } from './profile.model';

@ObjectType({ description: 'The outcome of an identify call' })
export class IdentifyResult {
  @Field({ description: 'The messageId of the call, given or generated' })
  messageId!: string;

  @Field({ description: 'True when this messageId had been accepted before (nothing was applied again)' })
  duplicate!: boolean;

  @Field(() => Profile, { description: 'The profile as it stands after the call' })
  profile!: Profile;
}
