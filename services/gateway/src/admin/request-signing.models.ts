import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import { PayloadType } from '../common/user-error';

@ObjectType({
  description:
    "A workspace's secret for the signatures of its journeys' HTTP requests (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). A receiver verifies requests with it (docs/journeys.md, `request`)",
})
export class RequestSigningSecret {
  @Field({ description: 'The secret, `whsec_` and 32 random bytes in base64: give it to a Standard Webhooks library (`new Webhook(secret).verify(body, headers)`)' })
  secret!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the workspace first needed one (it is made on first use)' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was last rotated; null if never' })
  rotatedAt!: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Until when requests also carry a signature with the previous secret (24 h after a rotation); null when they do not',
  })
  previousSecretExpiresAt!: Date | null;

  @Field({ description: "Whether it is stored encrypted under the workspace's data key (payload encryption on: CONTINUUM_ROOT_KEY)" })
  encryptedAtRest!: boolean;
}

@InputType({ description: 'The workspace whose request signing secret to rotate' })
export class RotateRequestSigningSecretInput {
  @Field(() => ID, { nullable: true, description: "The workspace's id; omitted: the caller's own. Only an operator workspace key may name another (else NOT_FOUND)" })
  workspaceId?: string | null;
}

@ObjectType({ description: 'The result of rotateRequestSigningSecret' })
export class RotateRequestSigningSecretPayload extends PayloadType(
  'requestSigningSecret',
  () => RequestSigningSecret,
  'The new secret (the previous one still signs for 24 h); null when userErrors is not empty',
) {}
