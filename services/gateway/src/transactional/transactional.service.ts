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
  type TransactionalMessage,
} from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { requireTemplateFor } from '../templates/require-template';
import { type SendMessageInput, type TransactionalMessageModel, type TransactionalStatusName } from './transactional.models';
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

  async send(principal: ApiKeyPrincipal, input: SendMessageInput): Promise<TransactionalMessageModel> {
    const request = await this.validate(principal.workspaceId, input);
    let recorded: { message: TransactionalMessage; created: boolean };
    try {
      recorded = await this.store.request(principal.workspaceId, request);
    } catch (error) {
      if (error instanceof IdempotencyConflictError) throw new GatewayException(GatewayErrorCode.Conflict, error.message, 'idempotencyKey');
      throw error;
    }
    const { message, created } = recorded;
    if (message.status === 'pending') await this.start(principal.workspaceId, message);
    return toModel(message, !created);
  }

  async find(principal: ApiKeyPrincipal, by: { id: string } | { idempotencyKey: string }): Promise<TransactionalMessageModel | null> {
    const message = await this.store.find(principal.workspaceId, by);
    return message ? toModel(message, false) : null;
  }

  /** Starts the send; a start that happened already (a repeated request, a concurrent one) is fine. */
  private async start(workspaceId: string, message: TransactionalMessage): Promise<void> {
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

function toModel(message: TransactionalMessage, duplicate: boolean): TransactionalMessageModel {
  return {
    id: message.id,
    idempotencyKey: message.idempotencyKey,
    userId: message.customerId,
    channel: message.channel as ChannelName,
    template: message.template,
    status: message.status as TransactionalStatusName,
    reason: message.reason,
    messageId: message.messageId,
    deliveryStatus: message.deliveryStatus,
    duplicate,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
}
