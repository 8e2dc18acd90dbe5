import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { connectionTypes } from '../common/connection-types';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { PayloadType } from '../common/user-error';
import { Node } from '../node/node.model';

/** The event types of the API; values are the `type` of the delivered payload. */
export enum WebhookEventTypeName {
  MESSAGE_SENT = 'message.sent',
  MESSAGE_DELIVERED = 'message.delivered',
  MESSAGE_FAILED = 'message.failed',
  JOURNEY_ENTERED = 'journey.entered',
  JOURNEY_EXITED = 'journey.exited',
  CONVERSATION_ESCALATED = 'conversation.escalated',
  CONSENT_CHANGED = 'consent.changed',
  ENDPOINT_DISABLED = 'endpoint.disabled',
}
registerEnumType(WebhookEventTypeName, {
  name: 'WebhookEvent',
  description: 'An event a webhook endpoint can subscribe to; the payload\'s `type` is its dotted name (e.g. MESSAGE_DELIVERED: "message.delivered")',
  valuesMap: {
    MESSAGE_SENT: { description: '"message.sent": a message was handed to the carrier (status sent)' },
    MESSAGE_DELIVERED: { description: '"message.delivered": the provider reported the message delivered' },
    MESSAGE_FAILED: { description: '"message.failed": the message failed or was undelivered (with the provider\'s error code)' },
    JOURNEY_ENTERED: { description: '"journey.entered": a customer entered a journey (a new instance)' },
    JOURNEY_EXITED: { description: '"journey.exited": a journey instance ended, completed or exited (data.outcome), with the reason' },
    CONVERSATION_ESCALATED: { description: '"conversation.escalated": a conversation topic was handed to a person' },
    CONSENT_CHANGED: { description: '"consent.changed": a customer\'s consent for a channel and purpose changed' },
    ENDPOINT_DISABLED: { description: '"endpoint.disabled": another endpoint of the workspace disabled itself, every attempt having failed for too long (WEBHOOK_DISABLE_AFTER_MS)' },
  },
});

export enum WebhookDeliveryStatusName {
  PENDING = 'pending',
  DELIVERED = 'delivered',
  FAILED = 'failed',
}
registerEnumType(WebhookDeliveryStatusName, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a webhook delivery stands',
  valuesMap: {
    PENDING: { description: 'Queued or being retried' },
    DELIVERED: { description: 'The endpoint answered 2xx' },
    FAILED: { description: 'Its attempts ran out (or its address was refused); replayWebhookDelivery sends it again' },
  },
});

@ObjectType({ description: 'An HTTPS endpoint of a workspace that receives the events it subscribes to, signed as Standard Webhooks describes', implements: () => [Node] })
export class WebhookEndpoint {
  /** The endpoint's uuid: the local part of its global id. */
  localId!: string;

  @Field({ description: 'Where events are POSTed (https; http only to a non-public address EGRESS_ALLOWED_NETWORKS allows)' })
  url!: string;

  @Field({ description: 'What the endpoint is for (empty when not given)' })
  description!: string;

  @Field(() => [WebhookEventTypeName], { description: 'The event types it receives' })
  eventTypes!: WebhookEventTypeName[];

  @Field({ description: 'Whether events are queued for it; a disabled endpoint gets none, and its pending deliveries are skipped' })
  enabled!: boolean;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Until when the secret replaced by the last rotation still signs each attempt beside the current one (a second `v1,` signature); null when it signs no more',
  })
  previousSecretExpiresAt!: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Since when every attempt to it has failed (its first failed attempt after the last delivered one); null when its last attempt was delivered',
  })
  failingSince!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it was disabled by itself: every attempt failed for longer than the deployment allows (WEBHOOK_DISABLE_AFTER_MS, 5 days by default); null when it was not, or was enabled again since',
  })
  disabledReason!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was disabled by itself; null with disabledReason' })
  disabledAt!: Date | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was created' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When it was last changed' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One attempt of a webhook delivery' })
export class WebhookDeliveryAttempt {
  @Field(() => Int, { description: 'Which replay it belongs to (0: the first delivery)' })
  replay!: number;

  @Field(() => Int, { description: 'Which attempt of that replay (1: the first)' })
  attempt!: number;

  @Field(() => Int, { nullable: true, description: "The endpoint's HTTP status; null when it did not answer (timeout, network error, refused address)" })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why it did not count as delivered; null when it did' })
  error!: string | null;

  @Field(() => Int, { description: 'How long it took, in milliseconds' })
  durationMs!: number;

  @Field(() => GraphQLISODateTime, { description: 'When it ended' })
  at!: Date;
}

@ObjectType({ description: 'One event owed to one webhook endpoint, with its attempts', implements: () => [Node] })
export class WebhookDelivery {
  /** The delivery's webhook id: the local part of its global id. */
  localId!: string;

  /** The endpoint's uuid (for the `endpoint` field). */
  endpointId!: string;

  @Field({ description: 'The `webhook-id` header of every attempt and replay (msg_…): receivers de-duplicate on it' })
  webhookId!: string;

  @Field(() => WebhookEventTypeName, { description: 'The event type' })
  eventType!: WebhookEventTypeName;

  @Field(() => JSONObjectScalar, { description: 'The body sent: { type, timestamp, data }' })
  payload!: Record<string, unknown>;

  @Field(() => WebhookDeliveryStatusName, { description: 'Where it stands' })
  status!: WebhookDeliveryStatusName;

  @Field(() => Int, { description: 'Attempts made so far, over every replay' })
  attemptCount!: number;

  @Field(() => Int, { description: 'Times an operator replayed it' })
  replays!: number;

  @Field(() => Int, { nullable: true, description: "The last attempt's HTTP status; null before any answer" })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: "The last failed attempt's error; null when none failed" })
  lastError!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the event was queued for the endpoint' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the last attempt ended; null before the first' })
  lastAttemptAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the endpoint answered 2xx; null until it did' })
  deliveredAt!: Date | null;
}

const endpointConnection = connectionTypes('WebhookEndpoint', () => WebhookEndpoint, {
  item: 'A webhook endpoint',
  page: 'A page of webhook endpoints, oldest first',
  total: 'Webhook endpoints of the workspace',
});
export const WebhookEndpointConnection = endpointConnection.Connection;
export const WebhookEndpointConnectionTotalCount = endpointConnection.TotalCount;

const deliveryConnection = connectionTypes('WebhookDelivery', () => WebhookDelivery, {
  item: 'A webhook delivery',
  page: 'A page of webhook deliveries, newest first',
  total: 'Deliveries of the endpoint the filter matches',
});
export const WebhookDeliveryConnection = deliveryConnection.Connection;
export const WebhookDeliveryConnectionTotalCount = deliveryConnection.TotalCount;

@InputType({ description: 'A new webhook endpoint' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'Where to POST events: https (at most 2048 characters); http only to a non-public address EGRESS_ALLOWED_NETWORKS allows' })
  url!: string;

  @Field(() => [WebhookEventTypeName], { description: 'The event types to receive (at least one)' })
  eventTypes!: WebhookEventTypeName[];

  @Field(() => String, { nullable: true, description: 'What it is for (at most 500 characters); omitted: empty' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether it receives events at once; omitted: true' })
  enabled?: boolean | null;
}

@InputType({ description: 'Changes to a webhook endpoint: omitted fields stay as they are' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new URL (same rules as on creation)' })
  url?: string | null;

  @Field(() => [WebhookEventTypeName], { nullable: true, description: 'The event types to receive from now on (at least one)' })
  eventTypes?: WebhookEventTypeName[] | null;

  @Field(() => String, { nullable: true, description: 'A new description (at most 500 characters)' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Enable or disable it' })
  enabled?: boolean | null;
}

@InputType({ description: 'The webhook endpoint to delete' })
export class DeleteWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint' })
  id!: string;
}

@InputType({ description: 'The webhook endpoint whose secret to replace' })
export class RotateWebhookEndpointSecretInput {
  @Field(() => ID, { description: 'The endpoint' })
  id!: string;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 24,
    description: 'For how many hours (0 to 168) the replaced secret still signs each attempt beside the new one, while the receiver moves to the new one; 0: from now on only the new one signs',
  })
  previousSecretValidForHours?: number | null;
}

@InputType({ description: 'The webhook delivery to send again' })
export class ReplayWebhookDeliveryInput {
  @Field(() => ID, { description: 'The delivery' })
  id!: string;
}

@InputType({ description: 'The failed deliveries of an endpoint to send again' })
export class ReplayFailedWebhookDeliveriesInput {
  @Field(() => ID, { description: 'The endpoint' })
  endpointId!: string;

  @Field(() => GraphQLISODateTime, { description: 'Only deliveries queued at or after this time' })
  since!: Date;
}

@ObjectType({ description: 'The result of createWebhookEndpoint' })
export class CreateWebhookEndpointPayload extends PayloadType('webhookEndpoint', () => WebhookEndpoint, 'The new endpoint; null when userErrors is not empty') {
  @Field(() => String, { nullable: true, description: "The endpoint's signing secret (whsec_…): give it to the receiver's Standard Webhooks library; also readable as webhookEndpointSecret" })
  secret!: string | null;
}

@ObjectType({ description: 'The result of updateWebhookEndpoint' })
export class UpdateWebhookEndpointPayload extends PayloadType('webhookEndpoint', () => WebhookEndpoint, 'The endpoint as changed; null when userErrors is not empty') {}

@ObjectType({ description: 'The result of deleteWebhookEndpoint' })
export class DeleteWebhookEndpointPayload extends PayloadType('webhookEndpoint', () => WebhookEndpoint, 'The endpoint as it was, deleted with its deliveries; null when userErrors is not empty') {}

@ObjectType({ description: 'The result of rotateWebhookEndpointSecret' })
export class RotateWebhookEndpointSecretPayload extends PayloadType('webhookEndpoint', () => WebhookEndpoint, 'The endpoint; null when userErrors is not empty') {
  @Field(() => String, { nullable: true, description: 'The new signing secret (the replaced one signs beside it until webhookEndpoint.previousSecretExpiresAt)' })
  secret!: string | null;
}

@ObjectType({ description: 'The result of replayWebhookDelivery' })
export class ReplayWebhookDeliveryPayload extends PayloadType('webhookDelivery', () => WebhookDelivery, 'The delivery, queued again with the same webhook id; null when userErrors is not empty') {}

@ObjectType({ description: 'The result of replayFailedWebhookDeliveries' })
export class ReplayFailedWebhookDeliveriesPayload extends PayloadType('webhookEndpoint', () => WebhookEndpoint, 'The endpoint; null when userErrors is not empty') {
  @Field(() => Int, { description: 'How many failed deliveries were queued again' })
  replayed!: number;
}
