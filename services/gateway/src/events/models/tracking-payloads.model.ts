import { Field, Int, ObjectType } from '@nestjs/graphql';
import { PayloadType, UserError, UserErrorCode } from '../../common/user-error';
import { ProfileEvent } from './profile-event.model';

const EVENT = 'The stored event (for a repeated messageId, the copy stored first); null when userErrors is not empty';
/** `TrackPayload.event`'s description (resolved on demand by `EventsResolver`). */
export const TRACKED_EVENT = EVENT;
const DUPLICATE = 'True when this messageId had been accepted before (nothing was stored or routed again); null when userErrors is not empty';

/** The payload of a tracking call: the stored event and whether it was a repeat. */
@ObjectType({ isAbstract: true })
abstract class TrackingCallPayload extends PayloadType('event', () => ProfileEvent, EVENT) {
  @Field(() => Boolean, { nullable: true, description: DUPLICATE })
  duplicate!: boolean | null;
}

@ObjectType({ description: 'The outcome of track' })
export class TrackPayload extends TrackingCallPayload {
  @Field(() => [String], {
    nullable: true,
    description: 'Workflow ids (journey/<journeyId>/<userId>/<key>) of the journey instances the event was delivered to; null when userErrors is not empty',
  })
  deliveredTo!: string[] | null;
}

@ObjectType({ description: 'The outcome of page' })
export class PagePayload extends TrackingCallPayload {}

@ObjectType({ description: 'The outcome of screen' })
export class ScreenPayload extends TrackingCallPayload {}

@ObjectType({ description: 'The outcome of group' })
export class GroupPayload extends TrackingCallPayload {}

@ObjectType({ description: 'The outcome of alias' })
export class AliasPayload extends TrackingCallPayload {}

@ObjectType({ description: 'A call of a batch that was stored' })
export class AcceptedCall {
  @Field(() => ProfileEvent, { description: 'The stored event (for a repeated messageId, the copy stored first)' })
  event!: ProfileEvent;

  @Field({ description: 'True when this messageId had been accepted before (nothing was stored again)' })
  duplicate!: boolean;
}

@ObjectType({ description: 'A call of a batch that was not stored, and why' })
export class RefusedCall {
  @Field(() => Int, { description: "Its position in the input's batch" })
  index!: number;

  @Field(() => String, { nullable: true, description: 'Its Segment messageId as given; null when it had none' })
  messageId!: string | null;

  @Field(() => UserErrorCode, { description: 'What kind of error' })
  code!: UserErrorCode;

  @Field(() => [String], { description: 'Path to the offending input field, e.g. ["input", "batch", "3", "userId"]' })
  field!: string[];

  @Field({ description: 'What is wrong, for people' })
  message!: string;
}

@ObjectType({ description: 'The outcome of batch: its valid calls are stored (routing to journeys follows), its invalid ones refused one by one' })
export class BatchPayload {
  @Field(() => [AcceptedCall], { nullable: true, description: 'One per stored call, in order; null when userErrors is not empty' })
  accepted!: AcceptedCall[] | null;

  @Field(() => [RefusedCall], { nullable: true, description: 'The invalid calls, which were not stored; null when userErrors is not empty' })
  refused!: RefusedCall[] | null;

  @Field(() => Int, { nullable: true, description: 'Calls stored by this request; null when userErrors is not empty' })
  stored!: number | null;

  @Field(() => Int, { nullable: true, description: 'Calls whose messageId had been accepted before; null when userErrors is not empty' })
  duplicates!: number | null;

  @Field(() => [UserError], { description: 'Why nothing was stored (the request itself is invalid, or every call is); empty when something was' })
  userErrors!: UserError[];
}
