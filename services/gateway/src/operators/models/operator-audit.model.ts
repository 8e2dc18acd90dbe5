import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node } from '../../node/node.model';
import { TimelineItem } from '../../node/timeline-item.model';
import { JSONObjectScalar } from '../../common/json-object.scalar';
import { totalCountResolver } from '../../common/connection';
import { PageInfo } from '../../common/models/page-info.model';

/** The operator actions; values are the stored spellings (the mutations' names). */
export enum OperatorActionName {
  END_JOURNEY_INSTANCE = 'endJourneyInstance',
  DELIVER_EVENT_TO_INSTANCE = 'deliverEventToInstance',
  RERUN_FAILED_STEP = 'rerunFailedStep',
  RETRY_FAILED_SEND = 'retryFailedSend',
}
registerEnumType(OperatorActionName, {
  name: 'OperatorAction',
  description: 'An action an operator took on a journey instance (the mutation called)',
  valuesMap: {
    END_JOURNEY_INSTANCE: { description: 'endJourneyInstance: ended an active instance' },
    DELIVER_EVENT_TO_INSTANCE: { description: 'deliverEventToInstance: handed an event to one instance' },
    RERUN_FAILED_STEP: { description: 'rerunFailedStep: ran the failed step of an instance again' },
    RETRY_FAILED_SEND: { description: 'retryFailedSend: sent a failed message again' },
  },
});

/** How an operator action went; values are the stored spellings. */
export enum OperatorActionOutcome {
  OK = 'ok',
  ERROR = 'error',
}
registerEnumType(OperatorActionOutcome, {
  name: 'OperatorActionOutcome',
  description: 'How an operator action went',
  valuesMap: {
    OK: { description: 'It did what was asked; message says what happened' },
    ERROR: { description: 'It was refused or failed; message says why' },
  },
});

@ObjectType({ description: 'One operator action: who did what to which instance, when, and how it went', implements: () => [Node, TimelineItem] })
// `id` comes from Node, made from entryId; `kind` from TimelineItem; `instance` is a resolved field.
export class OperatorAuditEntry {
  /** The entry's id in the audit trail (a bigint), the local id of its global id. */
  entryId!: string;

  /** The workflow id and run acted on, for `instance`; null when the action named no instance. */
  instanceKey!: { instanceId: string; runId: string | null } | null;

  @Field(() => OperatorActionName, { description: 'What the operator did' })
  action!: OperatorActionName;

  @Field({ description: 'Name of the API key that acted' })
  actorName!: string;

  @Field(() => String, { nullable: true, description: 'Id of that API key (null once the key is deleted)' })
  actorKeyId!: string | null;

  @Field({ description: 'What was named, as given or found: the workflow id of the instance' })
  target!: string;

  @Field(() => JSONObjectScalar, { description: 'The arguments of the action (the reason, the event, the message id, …)' })
  input!: Record<string, unknown>;

  @Field(() => OperatorActionOutcome, { description: 'How it went' })
  outcome!: OperatorActionOutcome;

  @Field(() => String, { nullable: true, description: 'What happened (OK) or why it failed (ERROR); null when nothing was recorded' })
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
