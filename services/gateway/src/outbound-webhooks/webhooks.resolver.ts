import type { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { RequiresScope } from '../auth/requires-scope';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { recoverUserErrors } from '../common/user-error';
import { NodeRegistry } from '../node/node-registry';
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointInput,
  DeleteWebhookEndpointPayload,
  ReplayFailedWebhookDeliveriesInput,
  ReplayFailedWebhookDeliveriesPayload,
  ReplayWebhookDeliveryInput,
  ReplayWebhookDeliveryPayload,
  RotateWebhookEndpointSecretInput,
  RotateWebhookEndpointSecretPayload,
  UpdateWebhookEndpointInput,
  UpdateWebhookEndpointPayload,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryConnection,
  WebhookDeliveryStatusName,
  WebhookEndpoint,
  WebhookEndpointConnection,
} from './webhook.models';
import { WebhooksService } from './webhooks.service';

/** Outbound webhooks of the caller's workspace (docs/webhooks.md): endpoints, their deliveries, replays. Admin scope. */
@Resolver()
export class WebhooksResolver implements OnModuleInit {
  constructor(
    private readonly service: WebhooksService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({ type: WebhookEndpoint, localId: (e) => e.localId, load: (principal, ids) => this.service.loadEndpoints(principal, ids) });
    this.nodes.register({ type: WebhookDelivery, localId: (d) => d.localId, load: (principal, ids) => this.service.loadDeliveries(principal, ids) });
  }

  @RequiresScope('admin')
  @Query(() => WebhookEndpointConnection, { description: "The workspace's webhook endpoints, oldest first" })
  webhookEndpoints(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args() page: ConnectionArgs): Promise<ConnectionPage<WebhookEndpoint>> {
    return this.service.endpoints(principal, page);
  }

  @RequiresScope('admin')
  @Query(() => String, { description: "A webhook endpoint's signing secret (whsec_…), for the receiver's Standard Webhooks library. NOT_FOUND when the id is not of this workspace" })
  webhookEndpointSecret(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID, description: 'The endpoint' }) id: string): Promise<string> {
    return this.service.secret(principal, id);
  }

  @RequiresScope('admin')
  @Mutation(() => CreateWebhookEndpointPayload, {
    description:
      'Creates a webhook endpoint with a signing secret of its own (in the payload). Audited. User errors: INVALID on ["input", "url"] (not https, too long, or an address the egress policy refuses), ["input", "eventTypes"] (none) or ["input", "description"].',
  })
  createWebhookEndpoint(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'Its URL, event types, description' }) input: CreateWebhookEndpointInput,
  ): Promise<CreateWebhookEndpointPayload> {
    return recoverUserErrors<CreateWebhookEndpointPayload>(
      async () => ({ ...(await this.service.create(principal, input)), userErrors: [] }),
      (userErrors) => ({ webhookEndpoint: null, secret: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Mutation(() => UpdateWebhookEndpointPayload, {
    description: 'Changes a webhook endpoint (events already queued keep their endpoint). Audited. User errors: NOT_FOUND on ["input", "id"]; INVALID as for createWebhookEndpoint.',
  })
  updateWebhookEndpoint(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The endpoint and what to change' }) input: UpdateWebhookEndpointInput,
  ): Promise<UpdateWebhookEndpointPayload> {
    return recoverUserErrors<UpdateWebhookEndpointPayload>(
      async () => ({ webhookEndpoint: await this.service.update(principal, input), userErrors: [] }),
      (userErrors) => ({ webhookEndpoint: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Mutation(() => DeleteWebhookEndpointPayload, { description: 'Deletes a webhook endpoint with its deliveries (pending ones are not sent). Audited. User errors: NOT_FOUND on ["input", "id"].' })
  deleteWebhookEndpoint(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The endpoint' }) input: DeleteWebhookEndpointInput,
  ): Promise<DeleteWebhookEndpointPayload> {
    return recoverUserErrors<DeleteWebhookEndpointPayload>(
      async () => ({ webhookEndpoint: await this.service.delete(principal, input.id), userErrors: [] }),
      (userErrors) => ({ webhookEndpoint: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Mutation(() => RotateWebhookEndpointSecretPayload, {
    description:
      "Replaces a webhook endpoint's signing secret: attempts from now on are signed with the new one, and with the replaced one too for previousSecretValidForHours (24 by default) while the receiver moves over. Audited. User errors: NOT_FOUND on [\"input\", \"id\"], INVALID on [\"input\", \"previousSecretValidForHours\"].",
  })
  rotateWebhookEndpointSecret(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The endpoint' }) input: RotateWebhookEndpointSecretInput,
  ): Promise<RotateWebhookEndpointSecretPayload> {
    return recoverUserErrors<RotateWebhookEndpointSecretPayload>(
      async () => ({ ...(await this.service.rotateSecret(principal, input.id, input.previousSecretValidForHours ?? 24)), userErrors: [] }),
      (userErrors) => ({ webhookEndpoint: null, secret: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Mutation(() => ReplayWebhookDeliveryPayload, {
    description:
      'Sends a webhook delivery again, whatever its status, with the same webhook-id (receivers that de-duplicate ignore it if they had it) and fresh attempts. Audited. User errors: NOT_FOUND on ["input", "id"].',
  })
  replayWebhookDelivery(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The delivery' }) input: ReplayWebhookDeliveryInput,
  ): Promise<ReplayWebhookDeliveryPayload> {
    return recoverUserErrors<ReplayWebhookDeliveryPayload>(
      async () => ({ webhookDelivery: await this.service.replay(principal, input.id), userErrors: [] }),
      (userErrors) => ({ webhookDelivery: null, userErrors }),
    );
  }

  @RequiresScope('admin')
  @Mutation(() => ReplayFailedWebhookDeliveriesPayload, {
    description: 'Sends again every failed delivery of an endpoint queued since a time (after the receiver is fixed). Audited. User errors: NOT_FOUND on ["input", "endpointId"].',
  })
  replayFailedWebhookDeliveries(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The endpoint and the time' }) input: ReplayFailedWebhookDeliveriesInput,
  ): Promise<ReplayFailedWebhookDeliveriesPayload> {
    return recoverUserErrors<ReplayFailedWebhookDeliveriesPayload>(
      async () => ({ ...(await this.service.replayFailed(principal, input.endpointId, input.since)), userErrors: [] }),
      (userErrors) => ({ webhookEndpoint: null, replayed: 0, userErrors }),
    );
  }
}

/** The deliveries of an endpoint. */
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  constructor(private readonly service: WebhooksService) {}

  @ResolveField(() => WebhookDeliveryConnection, { description: 'Its deliveries, newest first' })
  deliveries(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Parent() endpoint: WebhookEndpoint,
    @Args() page: ConnectionArgs,
    @Args('status', { type: () => WebhookDeliveryStatusName, nullable: true, description: 'Only deliveries with this status; omitted: all' }) status: WebhookDeliveryStatusName | null,
  ): Promise<ConnectionPage<WebhookDelivery>> {
    return this.service.deliveries(principal, endpoint.localId, page, status);
  }
}

/** The attempts and endpoint of a delivery. */
@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  constructor(private readonly service: WebhooksService) {}

  @ResolveField(() => [WebhookDeliveryAttempt], { description: 'Its latest attempts (at most 50), oldest first, over every replay' })
  attempts(@Parent() delivery: WebhookDelivery): Promise<WebhookDeliveryAttempt[]> {
    return this.service.attempts(delivery.localId);
  }

  @ResolveField(() => WebhookEndpoint, { nullable: true, description: 'The endpoint it is owed to' })
  async endpoint(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() delivery: WebhookDelivery): Promise<WebhookEndpoint | null> {
    return (await this.service.loadEndpoints(principal, [delivery.endpointId]))[0] ?? null;
  }
}
