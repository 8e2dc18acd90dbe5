import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { GatewayException } from '../common/gateway-exception';
import { SendMessageInput, TransactionalMessageModel } from './transactional.models';
import { TransactionalService } from './transactional.service';

@Resolver(() => TransactionalMessageModel)
export class TransactionalResolver {
  constructor(private readonly service: TransactionalService) {}

  @Mutation(() => TransactionalMessageModel, {
    description:
      'Sends a transactional message (a receipt, a one-time code) from a template: not held by marketing consent, frequency caps or quiet hours; the same idempotencyKey never sends twice (a repeat answers duplicate: true; the key reused for a different message is CONFLICT). Sent by the worker: status is PENDING until then.',
  })
  sendMessage(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The customer, the template and channel, the data to render and the idempotency key' }) input: SendMessageInput,
  ): Promise<TransactionalMessageModel> {
    return this.service.send(principal, input);
  }

  @Query(() => TransactionalMessageModel, { nullable: true, description: 'A transactional message by id or by idempotency key (exactly one)' })
  transactionalMessage(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, nullable: true, description: 'The id sendMessage returned' }) id: string | null | undefined,
    @Args('idempotencyKey', { type: () => String, nullable: true, description: 'The idempotency key it was sent with' }) idempotencyKey: string | null | undefined,
  ): Promise<TransactionalMessageModel | null> {
    // Arguments left out arrive as undefined, given as null as null.
    const byId = id ?? undefined;
    const byKey = idempotencyKey ?? undefined;
    if ((byId === undefined) === (byKey === undefined)) throw GatewayException.badInput('id', 'give either id or idempotencyKey');
    return this.service.find(principal, byId !== undefined ? { id: byId } : { idempotencyKey: byKey! });
  }
}
