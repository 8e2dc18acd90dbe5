import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { PageInfo } from '../../common/models/page-info.model';

@ObjectType({ description: 'One operator action: who did what to which instance, when, and how it went' })
export class OperatorAuditEntry {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'endJourneyInstance, deliverEventToInstance or rerunFailedStep' })
  action!: string;

  @Field({ description: 'Name of the API key that acted' })
  actorName!: string;

  @Field(() => String, { nullable: true, description: 'Id of that API key (null once the key is deleted)' })
  actorKeyId!: string | null;

  @Field({ description: 'What was acted on (an instance id)' })
  target!: string;

  @Field(() => String, { nullable: true })
  instanceId!: string | null;

  @Field(() => JSONObjectScalar, { description: 'The arguments of the action' })
  input!: Record<string, unknown>;

  @Field({ description: 'ok or error' })
  outcome!: string;

  @Field(() => String, { nullable: true, description: 'What happened (ok) or why it failed (error)' })
  message!: string | null;

  @Field(() => GraphQLISODateTime)
  at!: Date;
}

@ObjectType()
export class OperatorAuditEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => OperatorAuditEntry)
  node!: OperatorAuditEntry;
}

@ObjectType({ description: 'A page of the operator audit trail, newest first' })
export class OperatorAuditConnection {
  @Field(() => [OperatorAuditEdge])
  edges!: OperatorAuditEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
