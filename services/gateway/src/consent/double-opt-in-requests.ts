import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { GatewayConfig } from '@continuum/config';
import { CONSENT_CONFIRMATION_REQUEST_WORKFLOW, TASK_PRIORITY, transactionalTaskQueueOf, type SendMessageInput } from '@continuum/contracts';
import { ConsentStore, MessagingPolicies, ProfileStore } from '@continuum/data';
import { confirmationRequestFor, type Channel, type ConsentChange } from '@continuum/domain';
import type { TemporalClientHandle } from '@continuum/temporal';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';

/** Channels a confirmation request can go out on (the customer answers YES there). */
const REQUESTABLE: ReadonlySet<Channel> = new Set<Channel>(['sms', 'whatsapp']);

/**
 * Double opt-in for consent granted through the API (`setConsent`) or tracking (`identify` traits)
 * (docs/messaging.md, "Double opt-in"): where the customer's country's policy asks for it, a
 * `subscribed` grant is recorded as `pending`, and a confirmation request goes out through the
 * worker once per grant; the customer's YES (the inbound webhook) subscribes them.
 */
@Injectable()
export class DoubleOptInRequests {
  private readonly logger = new Logger('DoubleOptInRequests');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly policies: MessagingPolicies,
    private readonly profiles: ProfileStore,
    private readonly consents: ConsentStore,
  ) {}

  /**
   * The changes as they are to be recorded: a grant on a channel that needs double opt-in becomes
   * `pending` unless the customer is subscribed there already. `country`: the one the same event
   * sets, else the profile's.
   */
  async asRecorded(workspaceId: string, customerId: string, changes: ConsentChange[], country?: string): Promise<ConsentChange[]> {
    if (!changes.some((change) => change.status === 'subscribed' && REQUESTABLE.has(change.channel))) return changes;
    const rules = await this.policies.rulesFor(workspaceId, country ?? (await this.profiles.get(workspaceId, customerId))?.country ?? undefined);
    const result: ConsentChange[] = [];
    for (const change of changes) {
      const needsConfirmation = change.status === 'subscribed' && REQUESTABLE.has(change.channel) && rules.consent?.[change.channel as 'sms'] === 'double_opt_in';
      const already = needsConfirmation && (await this.consents.statusOf(workspaceId, customerId, change.channel, change.purpose)) === 'subscribed';
      result.push(needsConfirmation && !already ? { ...change, status: 'pending' } : change);
    }
    return result;
  }

  /** Sends the "reply YES" request for each channel a grant made pending (one workflow per grant: `key` names it). */
  async request(workspaceId: string, customerId: string, recorded: ConsentChange[], key: string): Promise<void> {
    const channels = [...new Set(recorded.filter((change) => change.status === 'pending').map((change) => change.channel))];
    if (channels.length === 0) return;
    const profile = await this.profiles.get(workspaceId, customerId);
    const rules = await this.policies.rulesFor(workspaceId, profile?.country ?? undefined);
    for (const channel of channels) {
      const workflowId = `consent-confirmation/${workspaceId}/${customerId}/${channel}/${key}`;
      const send: SendMessageInput = {
        workspaceId,
        customerId,
        instanceId: workflowId,
        runId: 'consent-confirmation',
        journeyId: 'consent-confirmation',
        step: `request-${channel}`,
        channel,
        body: confirmationRequestFor(rules.confirmationReplies, profile?.locale ?? undefined),
        // The request itself needs no marketing opt-in (it asks for one).
        purpose: 'transactional',
      };
      try {
        await this.temporal.client.workflow.start(CONSENT_CONFIRMATION_REQUEST_WORKFLOW, {
          workflowId,
          taskQueue: transactionalTaskQueueOf(this.config.TEMPORAL_TASK_QUEUE),
          args: [{ send }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          priority: { priorityKey: TASK_PRIORITY.transactional },
          staticSummary: `double opt-in request on ${channel} to ${customerId}`,
        });
        this.logger.log(`double opt-in requested on ${channel} for ${customerId} (${workflowId})`);
      } catch (error) {
        // The grant is recorded (pending) either way; a request that could not start is logged, and the customer's START asks again.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) this.logger.warn(`double opt-in request ${workflowId} not started: ${String(error)}`);
      }
    }
  }
}
