import type { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MessageStore, type ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { GatewayException } from '../common/gateway-exception';
import { recoverUserErrors } from '../common/user-error';
import { localIdOf } from '../node/global-id';
import { NodeRegistry } from '../node/node-registry';
import { Message, Profile } from '../profiles/models/profile.model';
import { SendMessageInput, SendMessagePayload, TransactionalMessage } from './transactional.models';
import { toTransactionalMessage, TransactionalService } from './transactional.service';
import { RequiresScope } from '../auth/requires-scope';

@Resolver(() => TransactionalMessage)
export class TransactionalResolver implements OnModuleInit {
  constructor(
    private readonly service: TransactionalService,
    private readonly nodes: NodeRegistry,
    private readonly messages: MessageStore,
  ) {}

  onModuleInit(): void {
    this.nodes.register({
      type: TransactionalMessage,
      localId: (message) => message.transactionalId,
      load: (principal, ids) => Promise.all(ids.map(async (id) => this.find(principal, { id }))),
    });
  }

  @RequiresScope('operate')
  @Mutation(() => SendMessagePayload, {
    description:
      'Sends a transactional message (a receipt, a one-time code) from a template: not held by marketing consent, frequency caps or quiet hours; the same idempotencyKey never sends twice (a repeat answers the first message with duplicate: true). Sent by the worker: status is PENDING until then. User errors: INVALID naming the input field, NOT_FOUND on ["input", "userId"] for an unknown customer and no `to`, CONFLICT on ["input", "idempotencyKey"] for a key reused for a different message.',
  })
  sendMessage(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The customer, the template and channel, the data to render and the idempotency key' }) input: SendMessageInput,
  ): Promise<SendMessagePayload> {
    return recoverUserErrors<SendMessagePayload>(
      async () => {
        const { message, duplicate } = await this.service.send(principal, input);
        return { transactionalMessage: toTransactionalMessage(message), duplicate, userErrors: [] };
      },
      (userErrors) => ({ transactionalMessage: null, duplicate: null, userErrors }),
    );
  }

  @RequiresScope('read')
  @Query(() => TransactionalMessage, {
    nullable: true,
    description: 'A transactional message by global id or by idempotency key (exactly one, else BAD_USER_INPUT); null when the workspace has none',
  })
  transactionalMessage(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, nullable: true, description: 'Its global id (TransactionalMessage.id); not with idempotencyKey' }) id: string | null | undefined,
    @Args('idempotencyKey', { type: () => String, nullable: true, description: 'The idempotency key it was sent with; not with id' }) idempotencyKey: string | null | undefined,
  ): Promise<TransactionalMessage | null> {
    // Arguments left out arrive as undefined, given as null as null.
    const byId = id ?? undefined;
    const byKey = idempotencyKey ?? undefined;
    if ((byId === undefined) === (byKey === undefined)) throw GatewayException.badInput('id', 'give either id or idempotencyKey');
    return this.find(principal, byId !== undefined ? { id: localIdOf(byId, 'TransactionalMessage', 'id') } : { idempotencyKey: byKey! });
  }

  @ResolveField(() => Profile, { nullable: true, description: 'The customer it is for; null when no profile has the userId (never identified, or erased)' })
  customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() message: TransactionalMessage): Promise<Profile | null> {
    return this.nodes.loadOne<Profile>(principal, 'Profile', message.userId);
  }

  @ResolveField(() => Message, { nullable: true, description: 'The outbox message it became, with its delivery status; null until it is sent, or when it was never sent (FAILED before the outbox, SKIPPED) or erased' })
  async message(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() transactional: TransactionalMessage): Promise<Message | null> {
    if (!transactional.messageId) return null;
    // The Message loader of the Node registry when Message is a Node; else the outbox row read here.
    if (this.nodes.definition('Message')) return this.nodes.loadOne<Message>(principal, 'Message', transactional.messageId);
    const row = await this.messages.findInWorkspace(principal.workspaceId, transactional.messageId);
    if (!row) return null;
    const message = {
      id: row.id,
      channel: row.channel,
      to: row.to,
      body: row.body,
      status: row.status,
      providerId: row.providerId,
      errorCode: row.errorCode,
      journeyInstanceId: row.instanceId,
      createdAt: row.createdAt,
    };
    return message as unknown as Message;
  }

  private async find(principal: ApiKeyPrincipal, by: { id: string } | { idempotencyKey: string }): Promise<TransactionalMessage | null> {
    const message = await this.service.find(principal, by);
    return message ? toTransactionalMessage(message) : null;
  }
}
