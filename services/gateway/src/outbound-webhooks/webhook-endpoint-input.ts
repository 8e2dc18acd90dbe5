import type { EgressPolicy } from '@continuum/egress';
import { GatewayException } from '../common/gateway-exception';
import { assertStorableText } from '../common/storable-text';
import { WebhookEventTypeName } from './webhook.models';
import { webhookUrlProblem } from './webhook-url';

export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;
const EVENT_TYPES = new Set<string>(Object.values(WebhookEventTypeName));

export interface WebhookEndpointFields {
  url?: string | null;
  eventTypes?: readonly string[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

/**
 * The stored form of an endpoint's fields (event types de-duplicated in a fixed order), or
 * BAD_USER_INPUT naming the field at fault: a URL webhooks may not reach, no event types, text that
 * cannot be stored or is too long. `required` fields must be present (creation).
 */
export function checkWebhookEndpointFields(
  input: WebhookEndpointFields,
  policy: EgressPolicy,
  required: boolean,
): { url?: string; eventTypes?: string[]; description?: string; enabled?: boolean } {
  const out: { url?: string; eventTypes?: string[]; description?: string; enabled?: boolean } = {};
  if (input.url != null || required) {
    const url = input.url ?? '';
    assertStorableText(url, 'url');
    const problem = webhookUrlProblem(url, policy);
    if (problem) throw GatewayException.badInput('url', problem);
    out.url = url;
  }
  if (input.eventTypes != null || required) {
    const types = input.eventTypes ?? [];
    if (types.length === 0) throw GatewayException.badInput('eventTypes', 'give at least one event type');
    const unknown = types.find((type) => !EVENT_TYPES.has(type));
    if (unknown !== undefined) throw GatewayException.badInput('eventTypes', `"${unknown}" is not a webhook event type`);
    out.eventTypes = Object.values(WebhookEventTypeName).filter((type) => types.includes(type));
  }
  if (input.description != null) {
    assertStorableText(input.description, 'description');
    if (input.description.length > MAX_WEBHOOK_DESCRIPTION_LENGTH) {
      throw GatewayException.badInput('description', `must be at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters, got ${input.description.length}`);
    }
    out.description = input.description;
  }
  if (input.enabled != null) out.enabled = input.enabled;
  return out;
}
