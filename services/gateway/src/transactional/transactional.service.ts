import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { GatewayConfig } from '@continuum/config';
import { TASK_PRIORITY, TRANSACTIONAL_SEND_WORKFLOW, transactionalTaskQueueOf, type MessageChannel, type TransactionalSendInput } from '@continuum/contracts';
import {
  IdempotencyConflictError,
  ProfileStore,
  TemplateStore,
  TransactionalStore,
  type ApiKeyPrincipal,
  type TransactionalMessage as TransactionalRecord,
} from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { requireTemplateFor } from '../templates/require-template';
import type { SendMessageInput, TransactionalMessage, TransactionalStatusName } from './transactional.models';
import { ChannelName } from '../common/models/channel.model';

const CHANNELS = new Set<string>(Object.values(ChannelName));
const MAX_KEY_LENGTH = 200;
const MAX_DATA_BYTES = 16 * 1024;

/**
 * Transactional messages: recorded under their idempotency key, then sent by the worker's
 * `transactionalSend` workflow (`transactional/<workspace>/<id>`), so the same key never sends twice
 * — not on a repeated request, not when the gateway dies between recording and starting (the next
 * request with that key starts it), and not on a worker retry (the outbox).
 */
@Injectable()
export class TransactionalService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly store: TransactionalStore,
    private readonly templates: TemplateStore,
    private readonly profiles: ProfileStore,
  ) {}

  /** Records and starts the send; `duplicate` when the key was seen before (nothing new is sent). */
  async send(principal: ApiKeyPrincipal, input: SendMessageInput): Promise<{ message: TransactionalRecord; duplicate: boolean }> {
    const request = await this.validate(principal.workspaceId, input);
    let recorded: { message: TransactionalRecord; created: boolean };
    try {
      recorded = await this.store.request(principal.workspaceId, request);
    } catch (error) {
      if (error instanceof IdempotencyConflictError) throw new GatewayException(GatewayErrorCode.Conflict, error.message, 'idempotencyKey');
      throw error;
    }
    const { message, created } = recorded;
    if (message.status === 'pending') await this.start(principal.workspaceId, message);
    return { message, duplicate: !created };
  }

  /** By its UUID or its idempotency key; null when the workspace has none. */
  find(principal: ApiKeyPrincipal, by: { id: string } | { idempotencyKey: string }): Promise<TransactionalRecord | null> {
    return this.store.find(principal.workspaceId, by);
  }

  /** Starts the send; a start that happened already (a repeated request, a concurrent one) is fine. */
  private async start(workspaceId: string, message: TransactionalRecord): Promise<void> {
    const { request } = message;
    const input: TransactionalSendInput = {
      requestId: message.id,
      workspaceId,
      customerId: message.customerId,
      channel: message.channel as MessageChannel,
      template: message.template,
      data: request.data,
      ...(request.locale ? { locale: request.locale } : {}),
      ...(request.to ? { to: request.to } : {}),
      ...(request.subject ? { subject: request.subject } : {}),
      ...(request.title ? { title: request.title } : {}),
    };
    try {
      await this.temporal.client.workflow.start(TRANSACTIONAL_SEND_WORKFLOW, {
        workflowId: `transactional/${workspaceId}/${message.id}`,
        taskQueue: transactionalTaskQueueOf(this.config.TEMPORAL_TASK_QUEUE),
        args: [input],
        // One run per request, ever: a closed one is never started again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Ahead of journeys and imports when the task queue has a backlog.
        priority: { priorityKey: TASK_PRIORITY.transactional },
        staticSummary: `transactional ${message.channel} "${message.template}" to ${message.customerId} (key ${message.idempotencyKey})`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  private async validate(workspaceId: string, input: SendMessageInput) {
    const userId = input.userId?.trim() ?? '';
    if (userId === '') throw GatewayException.badInput('userId', 'must not be empty');
    const idempotencyKey = input.idempotencyKey?.trim() ?? '';
    if (idempotencyKey === '' || idempotencyKey.length > MAX_KEY_LENGTH) throw GatewayException.badInput('idempotencyKey', `must be 1 to ${MAX_KEY_LENGTH} characters`);
    const channel = input.channel ?? ChannelName.SMS;
    if (!CHANNELS.has(channel)) throw GatewayException.badInput('channel', `must be one of ${[...CHANNELS].join(', ')}`);
    const data = input.data ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) throw GatewayException.badInput('data', 'must be a JSON object');
    if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) throw GatewayException.badInput('data', `must be at most ${MAX_DATA_BYTES} bytes as JSON`);
    if (channel === ChannelName.EMAIL && !input.subject?.trim()) throw GatewayException.badInput('subject', 'is required for EMAIL');
    if (input.to != null && input.to.trim() === '') throw GatewayException.badInput('to', 'must not be blank (omit it to use the customer\'s address)');
    const template = input.template?.trim() ?? '';
    await requireTemplateFor(this.templates, workspaceId, template, channel);
    if (!input.to && !(await this.profiles.get(workspaceId, userId))) {
      throw new GatewayException(GatewayErrorCode.NotFound, `No customer "${userId}" in this workspace (identify them first, or give "to")`, 'userId');
    }
    return {
      idempotencyKey,
      customerId: userId,
      channel,
      template,
      data,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.to ? { to: input.to.trim() } : {}),
      ...(input.subject ? { subject: input.subject } : {}),
      ...(input.title ? { title: input.title } : {}),
    };
  }
}

/** The GraphQL object of a recorded transactional message. */
export function toTransactionalMessage(message: TransactionalRecord): TransactionalMessage {
  return {
    transactionalId: message.id,
    messageId: message.messageId,
    idempotencyKey: message.idempotencyKey,
    userId: message.customerId,
    channel: message.channel as ChannelName,
    template: message.template,
    status: message.status as TransactionalStatusName,
    reason: message.reason,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
}
