import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import {
  customerEventSignal,
  journeyControlSignal,
  OPERATOR_RETRY_SEND_WORKFLOW,
  type CustomerEvent,
  type SendOutcome,
  type SendSmsInput,
} from '@continuum/contracts';
import {
  EventStore,
  JournalStore,
  MessageStore,
  OperatorAuditStore,
  TransactionalStore,
  type ApiKeyPrincipal,
  type JourneyInstanceEntity,
  type OperatorAction,
} from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { WorkflowNotFoundError } from '@temporalio/client';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { recoverUserErrors, underField, userErrorOf } from '../common/user-error';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { decodePosition, encodePosition } from '../common/relay-pagination';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { validateEventName, validateMessageId, validateTimestamp } from '../common/event-validation';
import type { OperatorEventInput } from './dto/operator-event.input';
import { decodeFailureMessages, findFailurePoint } from './failure-point';
import type { OperatorActionPayload } from './models/operator-action.payloads';
import type { OperatorAuditEntry } from './models/operator-audit.model';
import { toOperatorAuditEntry } from './operator-audit.mapper';
import { journeyInstanceKeyOf, type JourneyInstanceKey } from '../node/journey-instance-id';
import { localIdOf, parseGlobalId } from '../node/global-id';

const MAX_REASON_LENGTH = 500;

/** What an action did, for the audit row. */
interface Done {
  message: string;
}

/**
 * Operator repairs of running journey instances. Every call that names an instance is audited —
 * who (the API key), what, on which instance, with which input — whether it succeeded or not.
 */
@Injectable()
export class OperatorActionsService {
  constructor(
    private readonly journal: JournalStore,
    private readonly events: EventStore,
    private readonly audit: OperatorAuditStore,
    private readonly messages: MessageStore,
    private readonly transactional: TransactionalStore,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Sends a failed (or undelivered) message again: a new outbox row `<step>#retry-<n>` sent by a
   * small workflow on the worker's task queue (the gateway never calls Twilio), so the re-send
   * happens at most once and consent and frequency caps are checked again. Waits for its outcome.
   */
  async retryFailedSend(principal: ApiKeyPrincipal, messageId: string): Promise<OperatorActionPayload> {
    return refusedUnaudited(async () => {
      const { outboxId, transactional } = await this.outboxMessageOf(principal, messageId);
      const message = await this.messages.findInWorkspace(principal.workspaceId, outboxId);
      if (!message) throw new GatewayException(GatewayErrorCode.NotFound, `No message "${messageId}" in this workspace`, 'id');
      const key = { instanceId: message.instanceId, runId: message.runId };
      return this.audited(principal, 'retryFailedSend', key, { messageId: message.id, transactional }, async (instance) => {
        if (message.status !== 'failed' && message.status !== 'undelivered') {
          throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Message "${message.id}" is ${message.status}; only a failed or undelivered message can be sent again`, 'id');
        }
        const baseStep = message.step.replace(/#retry-\d+$/, '');
        const attempt = (await this.messages.countRetries(message.instanceId, message.runId, baseStep)) + 1;
        const send: SendSmsInput = {
          workspaceId: message.workspaceId,
          customerId: message.customerId,
          instanceId: message.instanceId,
          runId: message.runId,
          journeyId: instance.journeyId,
          step: `${baseStep}#retry-${attempt}`,
          to: message.to,
          body: message.body,
          purpose: transactional ? 'transactional' : 'marketing',
        };
        const outcome: SendOutcome = await this.temporal.client.workflow.execute(OPERATOR_RETRY_SEND_WORKFLOW, {
          workflowId: `operator-retry/${message.id}/${attempt}`,
          taskQueue: this.config.TEMPORAL_TASK_QUEUE,
          args: [{ send }],
          workflowExecutionTimeout: '2 minutes',
          staticSummary: `operator re-send of ${message.id} (${send.step})`,
        });
        if (outcome.status === 'sent') return { message: `sent again as ${send.step}: message ${outcome.messageId}, provider id ${outcome.providerId}` };
        if (outcome.status === 'skipped') return { message: `not sent again (${send.step}): ${outcome.reason}` };
        throw new GatewayException(GatewayErrorCode.FailedPrecondition, `The re-send ${send.step} failed too: ${outcome.reason}${outcome.errorCode ? ` (${outcome.errorCode})` : ''}`, 'id');
      });
    });
  }

  /**
   * Ends an active instance. By default gracefully: the `journeyControl` archive signal makes the
   * journey exit through its own code, which journals the exit (reason `ended by operator: <reason>`). With
   * `terminate` the workflow is terminated in Temporal (for an instance whose code cannot run) and
   * its summary is marked exited with the operator's reason, since no journey code journals it.
   */
  async endInstance(principal: ApiKeyPrincipal, id: string, rawReason: string, terminate: boolean): Promise<OperatorActionPayload> {
    return refusedUnaudited(async () => {
      const key = journeyInstanceKeyOf(id, 'id');
      const reason = rawReason.trim();
      if (reason === '' || reason.length > MAX_REASON_LENGTH) throw GatewayException.badInput('reason', `must be 1 to ${MAX_REASON_LENGTH} characters`);
      return this.audited(principal, 'endJourneyInstance', key, { reason, terminate }, async (instance) => {
        this.requireActive(instance);
        const handle = this.temporal.client.workflow.getHandle(instance.instanceId);
        const running = await this.isRunning(instance.instanceId);
        if (!terminate) {
          if (!running) throw this.notRunning(instance);
          await handle.signal(journeyControlSignal, { action: 'archive', reason });
          return { message: 'signalled journeyControl archive; the journey journals its exit' };
        }
        if (running) await handle.terminate(`operator: ${reason}`);
        await this.journal.markTerminated(principal.workspaceId, instance.instanceId, instance.runId, `terminated by operator: ${reason}`);
        return { message: running ? 'terminated the workflow and marked the instance exited' : 'workflow was not running; marked the instance exited' };
      });
    });
  }

  /**
   * Stores a track event for the instance's customer and signals it to that workflow id only (no
   * routing to other instances, no start). The event is stored as routed so that no gateway
   * re-routes it on start-up.
   */
  async deliverEvent(principal: ApiKeyPrincipal, id: string, input: OperatorEventInput): Promise<OperatorActionPayload> {
    return refusedUnaudited(async () => {
      const key = journeyInstanceKeyOf(id, 'id');
      const name = underField('event', () => validateEventName(input.event));
      const messageId = underField('event', () => validateMessageId(input.messageId));
      const receivedAt = new Date();
      const timestamp = underField('event', () => validateTimestamp(input.timestamp, receivedAt));
      const properties = input.properties ?? {};
      return this.audited(principal, 'deliverEventToInstance', key, { event: name, properties, messageId }, async (instance) => {
        this.requireActive(instance);
        if (!(await this.isRunning(instance.instanceId))) throw this.notRunning(instance);
        const stored = await this.events.insert({
          workspaceId: principal.workspaceId,
          messageId,
          userId: instance.customerId,
          type: 'track',
          name,
          properties,
          timestamp,
          receivedAt,
          routedAt: receivedAt,
        });
        if (!stored.inserted) throw GatewayException.badInput('event.messageId', `"${messageId}" was accepted before; use a new messageId`);
        const event: CustomerEvent = {
          messageId,
          workspaceId: principal.workspaceId,
          userId: instance.customerId,
          type: 'track',
          event: name,
          properties,
          timestamp: timestamp.toISOString(),
          receivedAt: receivedAt.toISOString(),
        };
        await this.temporal.client.workflow.getHandle(instance.instanceId).signal(customerEventSignal, event);
        return { message: `delivered "${name}" (messageId ${messageId})` };
      });
    });
  }

  /**
   * Re-runs the step a run is stuck on (or failed in): resets the workflow to the last workflow
   * task completed before the failure, with later signals re-applied. The journal (keyed by first
   * run id and sequence) and the outbox (first run id and step) make the replayed steps land once.
   */
  async rerunFailedStep(principal: ApiKeyPrincipal, id: string): Promise<OperatorActionPayload> {
    return refusedUnaudited(async () => this.audited(principal, 'rerunFailedStep', journeyInstanceKeyOf(id, 'id'), {}, async (instance) => {
      this.requireActive(instance);
      const description = await this.temporal.client.workflow.getHandle(instance.instanceId).describe();
      const history = await this.temporal.client.workflow.getHandle(instance.instanceId, description.runId).fetchHistory();
      await decodeFailureMessages(this.temporal.client.options.loadedDataConverter, history.events ?? [], description.raw.pendingActivities ?? []);
      const search = findFailurePoint(description.status.name, history.events ?? [], description.raw.pendingActivities ?? []);
      if ('nothing' in search) throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Cannot rerun "${instance.instanceId}": ${search.nothing}`, 'id');
      const { what, resetTo } = search.found;
      const reset: { runId?: string | null } = await this.temporal.client.workflowService.resetWorkflowExecution({
        namespace: this.temporal.client.options.namespace,
        workflowExecution: { workflowId: instance.instanceId, runId: description.runId },
        reason: `operator rerun: ${what}`.slice(0, 1000),
        workflowTaskFinishEventId: resetTo,
        requestId: randomUUID(),
      });
      return { message: `${what}; reset to event ${resetTo.toString()}, new run ${reset.runId ?? 'unknown'}` };
    }));
  }

  /** A page of the audit trail, newest first; a cursor holds an entry id. `instanceId` is the global id of a JourneyInstance. */
  async listAudit(principal: ApiKeyPrincipal, args: { instanceId?: string | null } & PageArgs): Promise<ConnectionPage<OperatorAuditEntry>> {
    const filter = args.instanceId != null ? journeyInstanceKeyOf(args.instanceId, 'instanceId') : {};
    const request = pageRequest(args, (cursor, argument) => decodePosition(cursor, ['id'] as const, (p) => /^[1-9]\d{0,18}$/.test(p.id), argument).id);
    const page = await this.audit.list(principal.workspaceId, { ...filter, ...request });
    return pageOf(
      page.entries,
      request,
      (row) => ({ cursor: encodePosition({ id: row.id }), node: toOperatorAuditEntry(row) }),
      () => this.audit.count(principal.workspaceId, filter),
    );
  }

  /** Audit entries of the caller's workspace by id, in the same order; null where none. */
  async entries(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<OperatorAuditEntry | null>> {
    return (await this.audit.get(principal.workspaceId, ids)).map((row) => (row ? toOperatorAuditEntry(row) : null));
  }

  /**
   * The outbox message named by `id`, the global id of a Message (an outbox row) or of a
   * TransactionalMessage (its outbox row, re-sent under the transactional purpose).
   */
  private async outboxMessageOf(principal: ApiKeyPrincipal, id: string): Promise<{ outboxId: string; transactional: boolean }> {
    const localId = localIdOf(id, ['Message', 'TransactionalMessage'], 'id');
    if (parseGlobalId(id)!.typeName === 'Message') return { outboxId: localId, transactional: false };
    const request = await this.transactional.find(principal.workspaceId, { id: localId });
    if (!request) throw new GatewayException(GatewayErrorCode.NotFound, `No transactional message "${id}" in this workspace`, 'id');
    if (!request.messageId) {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Transactional message "${id}" never reached the outbox (${request.status}${request.reason ? `: ${request.reason}` : ''})`, 'id');
    }
    return { outboxId: request.messageId, transactional: true };
  }

  /**
   * Runs `action` on the run `key` names and records its true outcome: ok, or error with
   * why. A domain error comes back as the payload's user error beside that audit entry; anything
   * else (an outage) is recorded, then thrown.
   */
  private async audited(
    principal: ApiKeyPrincipal,
    action: OperatorAction,
    key: JourneyInstanceKey,
    input: Record<string, unknown>,
    work: (instance: JourneyInstanceEntity) => Promise<Done>,
  ): Promise<OperatorActionPayload> {
    const base = { workspaceId: principal.workspaceId, actorKeyId: principal.keyId, action, target: key.instanceId, instanceId: key.instanceId, runId: key.runId, input, at: new Date() };
    const [instance] = await this.journal.getRuns(principal.workspaceId, [key]);
    try {
      if (!instance) throw new GatewayException(GatewayErrorCode.NotFound, `No journey instance "${key.instanceId}" (run ${key.runId}) in this workspace`, 'id');
      const done = await work(instance);
      return { auditEntry: toOperatorAuditEntry(await this.audit.record({ ...base, customerId: instance.customerId, outcome: 'ok', message: done.message })), userErrors: [] };
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : String(caught);
      const auditEntry = toOperatorAuditEntry(await this.audit.record({ ...base, customerId: instance?.customerId ?? null, outcome: 'error', message }));
      const error = caught instanceof WorkflowNotFoundError && instance ? this.notRunning(instance) : caught;
      const userError = userErrorOf(error);
      if (!userError) throw error;
      return { auditEntry, userErrors: [userError] };
    }
  }

  private requireActive(instance: JourneyInstanceEntity): void {
    if (instance.status !== 'active') {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Instance "${instance.instanceId}" has already ${instance.status === 'completed' ? 'completed' : 'exited'}`, 'id');
    }
  }

  private async isRunning(workflowId: string): Promise<boolean> {
    try {
      const description = await this.temporal.client.workflow.getHandle(workflowId).describe();
      return description.status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  private notRunning(instance: JourneyInstanceEntity): GatewayException {
    return new GatewayException(
      GatewayErrorCode.FailedPrecondition,
      `The workflow of "${instance.instanceId}" is not running in Temporal; end it with terminate: true to close its summary`,
      'id',
    );
  }
}

/** Input refused before the action was attempted: user errors and no audit entry. */
function refusedUnaudited(work: () => Promise<OperatorActionPayload>): Promise<OperatorActionPayload> {
  return recoverUserErrors(work, (userErrors) => ({ auditEntry: null, userErrors }));
}
