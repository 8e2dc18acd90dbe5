import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { OperatorEventInput } from './dto/operator-event.input';
import { ConnectionArgs } from '../common/dto/page.args';
import type { ConnectionPage } from '../common/connection';
import { OperatorAuditConnection, OperatorAuditEntry } from './models/operator-audit.model';
import { OperatorActionsService } from './operator-actions.service';

@Resolver(() => OperatorAuditEntry)
export class OperatorActionsResolver {
  constructor(private readonly operators: OperatorActionsService) {}

  @Mutation(() => OperatorAuditEntry, {
    description:
      'Ends an active instance: by default with the journeyControl archive signal (the journey journals its exit); terminate: true terminates a workflow that cannot run. Audited.',
  })
  endJourneyInstance(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, description: 'Workflow id of the instance' }) id: string,
    @Args('reason', { description: 'Why, kept in the audit trail (and the signal)' }) reason: string,
    @Args('terminate', { defaultValue: false }) terminate: boolean,
  ): Promise<OperatorAuditEntry> {
    return this.operators.endInstance(principal, id, reason, terminate);
  }

  @Mutation(() => OperatorAuditEntry, {
    description: "Stores a track event for the instance's customer and signals it to that instance only. Audited.",
  })
  deliverEventToInstance(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, description: 'Workflow id of the instance' }) id: string,
    @Args('event') event: OperatorEventInput,
  ): Promise<OperatorAuditEntry> {
    return this.operators.deliverEvent(principal, id, event);
  }

  @Mutation(() => OperatorAuditEntry, {
    description:
      'Re-runs the step an active instance is stuck on (a failing workflow task or activity) or failed in: resets the workflow to the last workflow task completed before the failure. FAILED_PRECONDITION when nothing failed. Audited.',
  })
  rerunFailedStep(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, description: 'Workflow id of the instance' }) id: string,
  ): Promise<OperatorAuditEntry> {
    return this.operators.rerunFailedStep(principal, id);
  }

  @Mutation(() => OperatorAuditEntry, {
    description:
      'Sends a failed or undelivered message again, as a new message `<step>#retry-<n>` (at most once; consent and frequency caps are checked again, against the marketing purpose unless transactional). NOT_FOUND for an unknown message, FAILED_PRECONDITION for one that did not fail or a re-send that fails too. Audited.',
  })
  retryFailedSend(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('messageId', { type: () => ID, description: 'The message (profile.messages id)' }) messageId: string,
    @Args('transactional', { type: () => Boolean, defaultValue: false, description: 'Check transactional consent instead of marketing' })
    transactional: boolean,
  ): Promise<OperatorAuditEntry> {
    return this.operators.retryFailedSend(principal, messageId, transactional);
  }

  @Query(() => OperatorAuditConnection, { description: 'The operator audit trail of the workspace, newest first' })
  operatorAudit(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('instanceId', { type: () => ID, nullable: true, description: 'Only actions on this instance' }) instanceId: string | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<OperatorAuditEntry>> {
    return this.operators.listAudit(principal, { instanceId, ...page });
  }
}
