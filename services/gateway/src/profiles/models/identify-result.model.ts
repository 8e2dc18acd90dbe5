import { Field, ObjectType } from '@nestjs/graphql';
import { Profile } from './profile.model';

@ObjectType()
export class IdentifyResult {
  @Field()
  messageId!: string;

  @Field({ description: 'True when this messageId had been accepted before (nothing was applied again)' })
  duplicate!: boolean;

  @Field(() => Profile)
  profile!: Profile;
}
