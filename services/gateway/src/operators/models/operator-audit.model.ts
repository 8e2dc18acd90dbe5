import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { totalCountResolver } from '../../common/connection';
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

  @Field(() => [OperatorAuditEntry], { description: 'The entries of the edges, in the same order, for a client that needs no cursors' })
  nodes!: OperatorAuditEntry[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const OperatorAuditConnectionTotalCount = totalCountResolver(OperatorAuditConnection, 'Entries of the trail (of the instance, when given), on every page');
