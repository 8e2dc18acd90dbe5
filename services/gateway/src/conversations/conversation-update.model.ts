import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConversationMessage, ConversationTopic } from './conversation.models';

export enum ConversationUpdateKind {
  TOPIC = 'TOPIC',
  MESSAGE = 'MESSAGE',
}

registerEnumType(ConversationUpdateKind, {
  name: 'ConversationUpdateKind',
  description: 'What changed in a conversation',
  valuesMap: {
    TOPIC: { description: 'A topic was opened, escalated, claimed, handed back, resolved or reopened' },
    MESSAGE: { description: 'A message came in, a reply went out, or a reply changed status' },
  },
});

@ObjectType({ description: 'A change to a conversation: a topic (new, escalated, claimed, resolved) or a message (in, or a reply and its status)' })
export class ConversationUpdate {
  @Field({ description: 'Where this change stands in the subscription: pass it as `after` to resume right after it (kept for 7 days)' })
  cursor!: string;

  @Field(() => ConversationUpdateKind, { description: 'Whether a topic or a message changed' })
  kind!: ConversationUpdateKind;

  @Field({ description: 'The customer whose conversation changed' })
  userId!: string;

  @Field(() => String, { nullable: true, description: 'The topic concerned, when there is one' })
  topicId!: string | null;

  @Field(() => ConversationTopic, { nullable: true, description: 'That topic as it is when the update is sent; null when there is none or it could not be read' })
  topic!: ConversationTopic | null;

  @Field(() => ConversationMessage, { nullable: true, description: 'The message as it is when the update is sent (kind MESSAGE); null for a topic change' })
  message!: ConversationMessage | null;
}
