import type { Type } from '@nestjs/common';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PayloadType } from '../../common/user-error';
import { ProfileEvent } from '../../events/models/profile-event.model';
import { Profile } from './profile.model';

@ObjectType({ description: 'The outcome of identify' })
export class IdentifyPayload extends PayloadType('profile', () => Profile, 'The profile as it stands after the call; null when userErrors is not empty') {
  @Field(() => ProfileEvent, { nullable: true, description: 'The stored identify event (for a repeated messageId, the copy stored first); null when userErrors is not empty' })
  event!: ProfileEvent | null;

  @Field(() => Boolean, { nullable: true, description: 'True when this messageId had been accepted before (nothing was applied again); null when userErrors is not empty' })
  duplicate!: boolean | null;
}

@ObjectType({ description: 'The outcome of deleteProfile: what the erasure removed' })
export class DeleteProfilePayload extends PayloadType(
  'deletedProfileId',
  () => ID as unknown as Type<string>,
  'The global id the erased profile had (drop it from client caches); null when nothing was erased',
) {
  @Field(() => String, { nullable: true, description: 'The userId of the erased customer; null when nothing was erased' })
  deletedUserId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Running journey instances that were signalled to end (archive); null when nothing was erased' })
  instancesEnded!: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Whether the customer's payload encryption key was destroyed (crypto-shredding: their data in Temporal's histories and backups can no longer be decrypted); false when payload encryption is off, null when nothing was erased",
  })
  dataKeyDestroyed!: boolean | null;

  @Field(() => Int, { nullable: true, description: "The customer's events that were deleted; null when nothing was erased" })
  eventsDeleted!: number | null;

  @Field(() => Int, { nullable: true, description: "The customer's messages that were deleted; null when nothing was erased" })
  messagesDeleted!: number | null;
}
