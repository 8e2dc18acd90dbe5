import type { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { JournalStore, type ApiKeyPrincipal } from '@continuum/data';
import { toJourneyInstance } from '../common/journey-instance.mapper';
import { JourneyInstance } from '../common/models/journey-instance.model';
import { NodeRegistry } from '../node/node-registry';
import { CurrentPrincipal } from '../auth/workspace-context';
import { DeliverEventToInstanceInput, EndJourneyInstanceInput, RerunFailedStepInput, RetryFailedSendInput } from './dto/operator-action.inputs';
import { DeliverEventToInstancePayload, EndJourneyInstancePayload, RerunFailedStepPayload, RetryFailedSendPayload } from './models/operator-action.payloads';
import { ConnectionArgs } from '../common/dto/page.args';
import type { ConnectionPage } from '../common/connection';
import { OperatorAuditConnection, OperatorAuditEntry } from './models/operator-audit.model';
import { OperatorActionsService } from './operator-actions.service';
import { RequiresScope } from '../auth/requires-scope';

@Resolver(() => OperatorAuditEntry)
export class OperatorActionsResolver implements OnModuleInit {
  constructor(
    private readonly operators: OperatorActionsService,
    private readonly journal: JournalStore,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: OperatorAuditEntry,
      localId: (entry) => entry.entryId,
      load: (principal, ids) => this.operators.entries(principal, ids),
    });
  }

  @ResolveField(() => JourneyInstance, {
    nullable: true,
    description: 'The journey instance (run) acted on; null when the action named none that exists, or it has been deleted since',
  })
  async instance(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() entry: OperatorAuditEntry): Promise<JourneyInstance | null> {
    const key = entry.instanceKey;
    if (!key) return null;
    const [found] = key.runId
      ? await this.journal.getRuns(principal.workspaceId, [{ instanceId: key.instanceId, runId: key.runId }])
      : [await this.journal.getInstance(principal.workspaceId, key.instanceId)];
    return found ? toJourneyInstance(found) : null;
  }

  @RequiresScope('operate')
  @Mutation(() => EndJourneyInstancePayload, {
    description:
      'Ends an active instance: by default with the journeyControl archive signal (the journey journals its exit); terminate: true terminates a workflow that cannot run. User errors: NOT_FOUND for an unknown instance, FAILED_PRECONDITION for one already ended or whose workflow is not running (without terminate). Audited with its true outcome.',
  })
  endJourneyInstance(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The instance to end and the reason, kept in the audit trail' }) input: EndJourneyInstanceInput): Promise<EndJourneyInstancePayload> {
    return this.operators.endInstance(principal, input.id, input.reason, input.terminate);
  }

  @RequiresScope('operate')
  @Mutation(() => DeliverEventToInstancePayload, {
    description:
      "Stores a track event for the instance's customer and signals it to that instance only. User errors: NOT_FOUND, FAILED_PRECONDITION (ended or not running), INVALID (a bad or reused event field). Audited with its true outcome.",
  })
  deliverEventToInstance(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The instance and the event to deliver to it' }) input: DeliverEventToInstanceInput): Promise<DeliverEventToInstancePayload> {
    return this.operators.deliverEvent(principal, input.id, input.event);
  }

  @RequiresScope('operate')
  @Mutation(() => RerunFailedStepPayload, {
    description:
      'Re-runs the step an active instance is stuck on (a failing workflow task or activity) or failed in: resets the workflow to the last workflow task completed before the failure. User errors: NOT_FOUND, FAILED_PRECONDITION when nothing failed. Audited with its true outcome.',
  })
  rerunFailedStep(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The instance whose failed step runs again, and why' }) input: RerunFailedStepInput): Promise<RerunFailedStepPayload> {
    return this.operators.rerunFailedStep(principal, input.id);
  }

  @RequiresScope('operate')
  @Mutation(() => RetryFailedSendPayload, {
    description:
      'Sends a failed or undelivered message again, as a new message `<step>#retry-<n>` (at most once; consent and frequency caps are checked again, against the marketing purpose for a Message, the transactional one for a TransactionalMessage). User errors: NOT_FOUND for an unknown message, FAILED_PRECONDITION for one that did not fail or a re-send that fails too. Audited with its true outcome.',
  })
  retryFailedSend(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The failed message to send again, and why' }) input: RetryFailedSendInput): Promise<RetryFailedSendPayload> {
    return this.operators.retryFailedSend(principal, input.id);
  }

  @RequiresScope('read')
  @Query(() => OperatorAuditConnection, { description: 'The operator audit trail of the workspace, newest first' })
  operatorAudit(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('instanceId', { type: () => ID, nullable: true, description: 'Only actions on this journey instance (the global id of a JourneyInstance); default: every action' }) instanceId: string | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<OperatorAuditEntry>> {
    return this.operators.listAudit(principal, { instanceId, ...page });
  }
}
