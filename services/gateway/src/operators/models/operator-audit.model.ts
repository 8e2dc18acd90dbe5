import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { totalCountResolver } from '../../common/connection';
import { PageInfo } from '../../common/models/page-info.model';

@ObjectType({ description: 'One operator action: who did what to which instance, when, and how it went' })
export class OperatorAuditEntry {
  @Field(() => ID, { description: 'Id of the audit entry' })
  id!: string;

  @Field({ description: 'endJourneyInstance, deliverEventToInstance, rerunFailedStep or retryFailedSend' })
  action!: string;

  @Field({ description: 'Name of the API key that acted' })
  actorName!: string;

  @Field(() => String, { nullable: true, description: 'Id of that API key (null once the key is deleted)' })
  actorKeyId!: string | null;

  @Field({ description: 'What was acted on (an instance id)' })
  target!: string;

  @Field(() => String, { nullable: true, description: 'Workflow id of the instance acted on; null when the action concerned none' })
  instanceId!: string | null;

  @Field(() => JSONObjectScalar, { description: 'The arguments of the action' })
  input!: Record<string, unknown>;

  @Field({ description: 'ok or error' })
  outcome!: string;

  @Field(() => String, { nullable: true, description: 'What happened (ok) or why it failed (error)' })
  message!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the action was taken' })
  at!: Date;
}

@ObjectType({ description: 'An audit entry and its cursor' })
export class OperatorAuditEdge {
  @Field({ description: 'Opaque cursor' })
  cursor!: string;

  @Field(() => OperatorAuditEntry, { description: 'The audit entry' })
  node!: OperatorAuditEntry;
}

@ObjectType({ description: 'A page of the operator audit trail, newest first' })
export class OperatorAuditConnection {
  @Field(() => [OperatorAuditEdge], { description: 'The entries of the page, each with its cursor' })
  edges!: OperatorAuditEdge[];

  @Field(() => [OperatorAuditEntry], { description: 'The entries of the edges, in the same order, for a client that needs no cursors' })
  nodes!: OperatorAuditEntry[];

  @Field(() => PageInfo, { description: 'Cursors and whether more pages follow' })
  pageInfo!: PageInfo;
}

/** `totalCount`, counted only when a query asks for it. */
export const OperatorAuditConnectionTotalCount = totalCountResolver(OperatorAuditConnection, 'Entries of the trail (of the instance, when given), on every page');
