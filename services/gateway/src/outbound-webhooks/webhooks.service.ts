import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { apiKeyActor, holdsScope, TenantAdmin, WEBHOOK_PREVIOUS_SECRET_MAX_MS, WebhookStore, type ApiKeyPrincipal, type WebhookDeliveryRecord, type WebhookEndpointRecord, type WebhookPosition } from '@continuum/data';
import type { EgressPolicy } from '@continuum/egress';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { decodePosition, encodePosition, isExactUtcTime } from '../common/relay-pagination';
import { GATEWAY_CONFIG } from '../core/tokens';
import { localIdOf } from '../node/global-id';
import { checkWebhookEndpointFields, type WebhookEndpointFields } from './webhook-endpoint-input';
import {
  WebhookDeliveryStatusName,
  WebhookEventTypeName,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookEndpoint,
} from './webhook.models';

/** Attempts shown per delivery (the latest). */
export const MAX_LISTED_ATTEMPTS = 50;

function toEndpoint(row: WebhookEndpointRecord): WebhookEndpoint {
  return {
    localId: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes as WebhookEventTypeName[],
    enabled: row.enabled,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    failingSince: row.failingSince,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toDelivery(row: WebhookDeliveryRecord): WebhookDelivery {
  return {
    localId: row.id,
    endpointId: row.endpointId,
    webhookId: row.id,
    eventType: row.eventType as WebhookEventTypeName,
    payload: row.payload,
    status: row.status as WebhookDeliveryStatusName,
    attemptCount: row.attempts,
    replays: row.replays,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    lastAttemptAt: row.lastAttemptAt,
    deliveredAt: row.deliveredAt,
  };
}

const notFound = (field: string, what: string) => new GatewayException(GatewayErrorCode.NotFound, `${field}: no ${what} with this id in this workspace`, field);
const position = (cursor: string, argument: 'after' | 'before'): WebhookPosition => decodePosition(cursor, ['at', 'id'], (p) => isExactUtcTime(p.at), argument);

/** Webhook endpoints and deliveries of the caller's workspace (docs/webhooks.md); every change is audited. */
@Injectable()
export class WebhooksService {
  private readonly policy: EgressPolicy;

  constructor(
    private readonly webhooks: WebhookStore,
    private readonly tenants: TenantAdmin,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.policy = { allowedNetworks: config.EGRESS_ALLOWED_NETWORKS };
  }

  async endpoints(principal: ApiKeyPrincipal, page: PageArgs): Promise<ConnectionPage<WebhookEndpoint>> {
    const request = pageRequest(page, position);
    const rows = await this.webhooks.listEndpoints(principal.workspaceId, request);
    return pageOf(rows, request, (row) => ({ cursor: encodePosition({ at: row.position, id: row.id }), node: toEndpoint(row) }), () =>
      this.webhooks.countEndpoints(principal.workspaceId),
    );
  }

  async deliveries(principal: ApiKeyPrincipal, endpointId: string, page: PageArgs, status?: WebhookDeliveryStatusName | null): Promise<ConnectionPage<WebhookDelivery>> {
    const request = pageRequest(page, position);
    const rows = await this.webhooks.listDeliveries(principal.workspaceId, endpointId, request, status ?? undefined);
    return pageOf(rows, request, (row) => ({ cursor: encodePosition({ at: row.position, id: row.id }), node: toDelivery(row) }), () =>
      this.webhooks.countDeliveries(principal.workspaceId, endpointId, status ?? undefined),
    );
  }

  async attempts(deliveryId: string): Promise<WebhookDeliveryAttempt[]> {
    return this.webhooks.attemptsOf(deliveryId, MAX_LISTED_ATTEMPTS);
  }

  async loadEndpoints(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<WebhookEndpoint | null>> {
    if (!holdsScope(principal.scopes, 'admin')) return ids.map(() => null);
    const rows = await this.webhooks.endpointsById(principal.workspaceId, ids);
    return ids.map((id) => rows.find((row) => row.id === id)).map((row) => (row ? toEndpoint(row) : null));
  }

  async loadDeliveries(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<WebhookDelivery | null>> {
    if (!holdsScope(principal.scopes, 'admin')) return ids.map(() => null);
    const rows = await this.webhooks.deliveriesById(principal.workspaceId, ids);
    return ids.map((id) => rows.find((row) => row.id === id)).map((row) => (row ? toDelivery(row) : null));
  }

  async secret(principal: ApiKeyPrincipal, id: string): Promise<string> {
    const secret = await this.webhooks.secretOf(principal.workspaceId, localIdOf(id, 'WebhookEndpoint', 'id'));
    if (secret === undefined) throw notFound('id', 'webhook endpoint');
    return secret;
  }

  async create(principal: ApiKeyPrincipal, input: WebhookEndpointFields): Promise<{ webhookEndpoint: WebhookEndpoint; secret: string }> {
    const fields = checkWebhookEndpointFields(input, this.policy, true);
    const row = await this.webhooks.createEndpoint(principal.workspaceId, {
      url: fields.url!,
      eventTypes: fields.eventTypes!,
      description: fields.description ?? '',
      enabled: fields.enabled ?? true,
    });
    await this.audit(principal, 'createWebhookEndpoint', `webhook-endpoint:${row.id}`, { url: row.url, eventTypes: row.eventTypes, enabled: row.enabled });
    return { webhookEndpoint: toEndpoint(row), secret: (await this.webhooks.secretOf(principal.workspaceId, row.id))! };
  }

  async update(principal: ApiKeyPrincipal, input: WebhookEndpointFields & { id: string }): Promise<WebhookEndpoint> {
    const id = localIdOf(input.id, 'WebhookEndpoint', 'id');
    const fields = checkWebhookEndpointFields(input, this.policy, false);
    const row = await this.webhooks.updateEndpoint(principal.workspaceId, id, fields);
    if (!row) throw notFound('id', 'webhook endpoint');
    await this.audit(principal, 'updateWebhookEndpoint', `webhook-endpoint:${id}`, fields);
    return toEndpoint(row);
  }

  async delete(principal: ApiKeyPrincipal, globalId: string): Promise<WebhookEndpoint> {
    const id = localIdOf(globalId, 'WebhookEndpoint', 'id');
    const [row] = await this.webhooks.endpointsById(principal.workspaceId, [id]);
    if (!row || !(await this.webhooks.deleteEndpoint(principal.workspaceId, id))) throw notFound('id', 'webhook endpoint');
    await this.audit(principal, 'deleteWebhookEndpoint', `webhook-endpoint:${id}`, {});
    return toEndpoint(row);
  }

  async rotateSecret(principal: ApiKeyPrincipal, globalId: string, previousSecretValidForHours = 24): Promise<{ webhookEndpoint: WebhookEndpoint; secret: string }> {
    const id = localIdOf(globalId, 'WebhookEndpoint', 'id');
    const maxHours = WEBHOOK_PREVIOUS_SECRET_MAX_MS / 3_600_000;
    if (!Number.isInteger(previousSecretValidForHours) || previousSecretValidForHours < 0 || previousSecretValidForHours > maxHours) {
      throw GatewayException.badInput('previousSecretValidForHours', `must be a whole number of hours from 0 to ${maxHours}, got ${previousSecretValidForHours}`);
    }
    const row = await this.webhooks.rotateSecret(principal.workspaceId, id, previousSecretValidForHours * 3_600_000);
    if (!row) throw notFound('id', 'webhook endpoint');
    await this.audit(principal, 'rotateWebhookEndpointSecret', `webhook-endpoint:${id}`, { previousSecretValidForHours });
    return { webhookEndpoint: toEndpoint(row), secret: (await this.webhooks.secretOf(principal.workspaceId, id))! };
  }

  async replay(principal: ApiKeyPrincipal, globalId: string): Promise<WebhookDelivery> {
    const id = localIdOf(globalId, 'WebhookDelivery', 'id');
    const row = await this.webhooks.replay(principal.workspaceId, id);
    if (!row) throw notFound('id', 'webhook delivery');
    await this.audit(principal, 'replayWebhookDelivery', `webhook-delivery:${id}`, { replay: row.replays });
    return toDelivery(row);
  }

  async replayFailed(principal: ApiKeyPrincipal, endpointGlobalId: string, since: Date): Promise<{ webhookEndpoint: WebhookEndpoint; replayed: number }> {
    const id = localIdOf(endpointGlobalId, 'WebhookEndpoint', 'endpointId');
    const [row] = await this.webhooks.endpointsById(principal.workspaceId, [id]);
    if (!row) throw notFound('endpointId', 'webhook endpoint');
    if (Number.isNaN(since.getTime())) throw GatewayException.badInput('since', 'is not a time');
    const replayed = await this.webhooks.replayFailed(principal.workspaceId, id, since);
    await this.audit(principal, 'replayFailedWebhookDeliveries', `webhook-endpoint:${id}`, { since: since.toISOString(), replayed });
    return { webhookEndpoint: toEndpoint(row), replayed };
  }

  private audit(principal: ApiKeyPrincipal, action: string, target: string, input: Record<string, unknown>): Promise<void> {
    return this.tenants.audit(apiKeyActor(principal.keyId), principal.workspaceId, action, target, input, 'ok');
  }
}
