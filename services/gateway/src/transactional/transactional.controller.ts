import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequiresScope } from '../auth/requires-scope';
import { principalOf, type AuthenticatedRequest } from '../auth/workspace-context';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import type { TransactionalMessage as TransactionalRecord } from '@continuum/data';
import type { SendMessageInput } from './transactional.models';
import { TransactionalService } from './transactional.service';

/** A transactional message as the REST API answers it (its own surface: ids are the row's UUID, values lower-case). */
export interface TransactionalMessageJson {
  id: string;
  idempotencyKey: string;
  userId: string;
  channel: string;
  template: string;
  status: string;
  reason: string | null;
  messageId: string | null;
  deliveryStatus: string | null;
  duplicate: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function toJson(message: TransactionalRecord, duplicate: boolean): TransactionalMessageJson {
  return {
    id: message.id,
    idempotencyKey: message.idempotencyKey,
    userId: message.customerId,
    channel: message.channel,
    template: message.template,
    status: message.status,
    reason: message.reason,
    messageId: message.messageId,
    deliveryStatus: message.deliveryStatus,
    duplicate,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
}

/**
 * REST for transactional messages, authenticated with `x-api-key` like GraphQL:
 * `POST /messages` (the idempotency key in the body or the `Idempotency-Key` header) answers 202 for
 * a new message and 200 for a repeated key; `GET /messages/:id` reads its status. ApiKeyGuard
 * authenticates the key and checks the scope each route declares.
 */
@Controller('messages')
export class TransactionalController {
  constructor(private readonly service: TransactionalService) {}

  @Post()
  @RequiresScope('operate')
  async send(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response, @Body() body: unknown): Promise<TransactionalMessageJson> {
    const principal = principalOf(request);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw GatewayException.badInput('body', 'must be a JSON object');
    const fields = body as Record<string, unknown>;
    for (const name of ['userId', 'template', 'channel', 'locale', 'to', 'subject', 'title', 'idempotencyKey'] as const) {
      if (fields[name] !== undefined && typeof fields[name] !== 'string') throw GatewayException.badInput(name, 'must be a string');
    }
    const input = {
      ...fields,
      channel: typeof fields['channel'] === 'string' ? fields['channel'].toLowerCase() : undefined,
      idempotencyKey: (fields['idempotencyKey'] as string | undefined) ?? request.header('idempotency-key'),
    } as SendMessageInput;
    const { message, duplicate } = await this.service.send(principal, input);
    response.status(duplicate ? 200 : 202);
    return toJson(message, duplicate);
  }

  @Get(':id')
  @HttpCode(200)
  @RequiresScope('read')
  async get(@Req() request: AuthenticatedRequest, @Param('id') id: string): Promise<TransactionalMessageJson> {
    const principal = principalOf(request);
    const message = await this.service.find(principal, { id });
    if (!message) throw new GatewayException(GatewayErrorCode.NotFound, `No transactional message "${id}" in this workspace`, 'id');
    return toJson(message, false);
  }
}
