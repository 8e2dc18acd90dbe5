import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { Webhook } from 'standardwebhooks';
import type { WebhookActivities, WebhookAttemptOutcome } from '@continuum/contracts';
import { WebhookSecretUnavailableError, type WebhookStore } from '@continuum/data';
import { EgressError, egressRequest, redactedUrl, type EgressPolicy } from '@continuum/egress';

export interface WebhookActivityOptions {
  webhooks: WebhookStore;
  /** EGRESS_ALLOWED_NETWORKS. */
  policy: EgressPolicy;
  /** WEBHOOK_TIMEOUT_MS: each attempt's whole exchange. */
  timeoutMs: number;
  /** EGRESS_MAX_RESPONSE_BYTES (the body is not kept; a larger one still counts as an answer). */
  maxResponseBytes: number;
  /** WEBHOOK_DISABLE_AFTER_MS: an endpoint failing every attempt for this long is disabled (0: never). */
  disableAfterMs?: number;
  /** Which attempt this is (default: the activity context's). */
  attempt?: () => number;
  now?: () => Date;
}

const fail = (type: string, message: string, nonRetryable: boolean) => ApplicationFailure.create({ type, message, nonRetryable });

/**
 * The attempts of an outbound webhook delivery. Each one is signed as Standard Webhooks describes
 * (`webhook-id` = the delivery id on every attempt and replay, `webhook-timestamp` = now,
 * `webhook-signature: v1,<HMAC-SHA256>` with the endpoint's own secret, and a second signature with
 * the secret a rotation replaced while its overlap lasts), POSTed under the egress
 * guard and logged. 2xx is delivered; any other answer is retried (as Svix does: a 4xx is often a
 * receiver's deploy or misconfiguration that is fixed later), as are timeouts and network errors.
 * Final: an address the egress policy refuses, or a secret that cannot be opened. An endpoint whose
 * every attempt has failed for `disableAfterMs` is disabled by the attempt that finds it so.
 */
export function createWebhookActivities(options: WebhookActivityOptions): WebhookActivities {
  const attemptOf = options.attempt ?? (() => Context.current().info.attempt);
  const now = options.now ?? (() => new Date());
  return {
    async attemptWebhookDelivery({ deliveryId, workspaceId, replay, maximumAttempts }): Promise<WebhookAttemptOutcome> {
      const attempt = attemptOf();
      let target: Awaited<ReturnType<WebhookStore['forAttempt']>>;
      try {
        target = await options.webhooks.forAttempt(workspaceId, deliveryId);
      } catch (error) {
        if (error instanceof WebhookSecretUnavailableError) throw fail('WebhookSecretUnavailable', error.message, true);
        throw error;
      }
      // Deleted with its endpoint, the endpoint disabled meanwhile, or an operator's replay has taken
      // over the delivery (its own workflow makes the attempts from now on): nothing to send here.
      if (!target || !target.enabled || target.delivery.replays !== replay) return { status: 'skipped' };
      const record = async (statusCode: number | null, error: string | null, started: number, status: 'delivered' | 'pending' | 'failed') => {
        const health = await options.webhooks.recordAttempt(deliveryId, { replay, attempt, statusCode, error, durationMs: Date.now() - started }, status, options.disableAfterMs ?? 0);
        if (health.disabled) {
          log.warn('Webhook endpoint disabled: every attempt has failed for too long', { workspaceId, endpointId: health.disabled.endpointId, reason: health.disabled.reason });
        }
      };
      const lastAttempt = attempt >= maximumAttempts;
      const body = JSON.stringify(target.delivery.payload);
      const timestamp = now();
      const started = Date.now();
      try {
        const response = await egressRequest({
          url: target.url,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Continuum-Webhooks/1',
            'webhook-id': deliveryId,
            'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
            // Standard Webhooks: space-separated signatures, any of which verifies.
            'webhook-signature': target.secrets.map((secret) => new Webhook(secret).sign(deliveryId, timestamp, body)).join(' '),
          },
          body,
          timeoutMs: options.timeoutMs,
          maxResponseBytes: options.maxResponseBytes,
          policy: options.policy,
        });
        if (response.status >= 200 && response.status < 300) {
          await record(response.status, null, started, 'delivered');
          return { status: 'delivered', statusCode: response.status };
        }
        const message = `${redactedUrl(target.url)} answered ${response.status}`;
        await record(response.status, message, started, lastAttempt ? 'failed' : 'pending');
        throw fail('WebhookReceiverFailed', message, false);
      } catch (error) {
        if (!(error instanceof EgressError)) throw error;
        const message = `${redactedUrl(target.url)}: ${error.message}`;
        const final = error.kind === 'refused' || error.kind === 'invalid-url' || error.kind === 'invalid-request';
        // A body over the cap is still the receiver's answer, just not a 2xx we could read.
        await record(null, message, started, final || lastAttempt ? 'failed' : 'pending');
        throw fail(final ? (error.kind === 'refused' ? 'WebhookEgressRefused' : 'WebhookInvalid') : 'WebhookReceiverFailed', message, final);
      }
    },
    async failWebhookDelivery({ deliveryId, replay, error }): Promise<void> {
      await options.webhooks.markFailed(deliveryId, replay, error);
    },
  };
}
