import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { PayloadType, UserError } from '../common/user-error';
import { ConversationMessage, ConversationTopic } from './conversation.models';

const TOPIC_ID = 'The topic (the global id of a ConversationTopic)';
const AGENT = 'The person acting (their name or login, as your agent console knows them): 1–100 letters, digits, spaces, ".", "_", "@" or "-"';

@InputType({ description: "A customer's message in your app's chat" })
export class PostInAppMessageInput {
  @Field({ description: 'The customer: a userId, or anon:<anonymousId> for a visitor' })
  userId!: string;

  @Field({ description: 'What the customer wrote (not empty, at most 6,400 characters)' })
  body!: string;

  @Field(() => String, { nullable: true, description: 'Your id for the message (1–100 letters, digits, ".", ":", "_" or "-"): posting it again is a no-op; null: a new message each time' })
  clientMessageId?: string | null;
}

@ObjectType({ description: 'The result of postInAppMessage' })
export class PostInAppMessagePayload {
  @Field(() => ID, {
    nullable: true,
    description:
      "The global id of the ConversationMessage the message is recorded as once the customer's conversation has read it (node(id:) is null until then); null when userErrors is not empty",
  })
  conversationMessageId!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'A repeat of a clientMessageId already accepted (nothing new happened); null when userErrors is not empty' })
  duplicate!: boolean | null;

  @Field(() => [UserError], { description: 'Why the mutation did not happen; empty when it did' })
  userErrors!: UserError[];
}

@InputType({ description: 'An escalated topic to take' })
export class ClaimTopicInput {
  @Field(() => ID, { description: TOPIC_ID })
  topicId!: string;

  @Field({ description: AGENT })
  agent!: string;
}

@ObjectType({ description: 'The result of claimTopic' })
export class ClaimTopicPayload extends PayloadType('topic', () => ConversationTopic, 'The topic, now held by the agent; null when userErrors is not empty') {}

@InputType({ description: 'A reply from the person holding a topic' })
export class ReplyToTopicInput {
  @Field(() => ID, { description: TOPIC_ID })
  topicId!: string;

  @Field({ description: `${AGENT}; they must hold the topic` })
  agent!: string;

  @Field({ description: 'The reply (not empty, at most 1,600 characters)' })
  body!: string;
}

@ObjectType({ description: 'The result of replyToTopic' })
export class ReplyToTopicPayload extends PayloadType(
  'message',
  () => ConversationMessage,
  "The reply as recorded in the conversation (status PENDING until it is sent, on the customer's current channel); null when userErrors is not empty",
) {
  @Field(() => ConversationTopic, { nullable: true, description: 'The topic replied on, as it is after the reply; null when userErrors is not empty' })
  topic!: ConversationTopic | null;
}

@InputType({ description: 'A topic to resolve' })
export class ResolveTopicInput {
  @Field(() => ID, { description: TOPIC_ID })
  topicId!: string;

  @Field({ description: `${AGENT}; an escalated topic must be held by them` })
  agent!: string;
}

@ObjectType({ description: 'The result of resolveTopic' })
export class ResolveTopicPayload extends PayloadType('topic', () => ConversationTopic, 'The topic, resolved; null when userErrors is not empty') {}

@InputType({ description: 'A held topic to hand back to automation' })
export class HandBackTopicInput {
  @Field(() => ID, { description: TOPIC_ID })
  topicId!: string;

  @Field({ description: `${AGENT}; they must hold the topic` })
  agent!: string;
}

@ObjectType({ description: 'The result of handBackTopic' })
export class HandBackTopicPayload extends PayloadType('topic', () => ConversationTopic, 'The topic, back with its automated agent; null when userErrors is not empty') {}
