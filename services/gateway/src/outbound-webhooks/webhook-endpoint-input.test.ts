import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { egressPolicy, parseAllowedNetworks } from '@continuum/egress';
import { GatewayException } from '../common/gateway-exception';
import { checkWebhookEndpointFields, MAX_WEBHOOK_DESCRIPTION_LENGTH } from './webhook-endpoint-input';
import { WebhookEventTypeName } from './webhook.models';
import { webhookUrlProblem } from './webhook-url';

const PUBLIC_ONLY = { allowedNetworks: [] };
const LOOPBACK_ALLOWED = { allowedNetworks: parseAllowedNetworks('127.0.0.1/32') };
const EVENT_TYPES = Object.values(WebhookEventTypeName);

/** The field a refusal names, or 'ok'. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof GatewayException) return `${error.code}:${error.field}`;
    throw error;
  }
}

const privateV4 = fc.oneof(
  fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
).map((parts) => parts.join('.'));

describe('webhook endpoint input', () => {
  it('never throws anything but BAD_USER_INPUT naming a field of the input, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            url: fc.option(fc.oneof(fc.string({ maxLength: 3000 }), fc.webUrl(), fc.string({ unit: 'binary' })), { nil: null }),
            eventTypes: fc.option(fc.array(fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string()), { maxLength: 10 }), { nil: null }),
            description: fc.option(fc.string({ unit: 'binary', maxLength: 600 }), { nil: null }),
            enabled: fc.option(fc.boolean(), { nil: null }),
          },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        (input, required) => {
          const result = outcome(() => checkWebhookEndpointFields(input, LOOPBACK_ALLOWED, required));
          expect(['ok', 'BAD_USER_INPUT:url', 'BAD_USER_INPUT:eventTypes', 'BAD_USER_INPUT:description']).toContain(result);
        },
      ),
    );
  });

  it('keeps the subscribed event types, each once, in a fixed order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 20 }), (types) => {
        const checked = checkWebhookEndpointFields({ eventTypes: types }, PUBLIC_ONLY, false).eventTypes!;
        expect(new Set(checked)).toEqual(new Set(types));
        expect(checked).toEqual(EVENT_TYPES.filter((type) => types.includes(type)));
      }),
    );
  });

  it('refuses every private, loopback and link-local address unless the configuration allows it', () => {
    fc.assert(
      fc.property(privateV4, fc.constantFrom('http', 'https'), fc.webPath(), (host, scheme, path) => {
        const url = `${scheme}://${host}${path}`;
        expect(webhookUrlProblem(url, PUBLIC_ONLY)).toMatch(/address, which webhooks may not reach/);
        expect(webhookUrlProblem(url, egressPolicy(`${host}/32`))).toBeUndefined();
      }),
    );
  });

  it('takes https to a public host, and plain http to no public host', () => {
    fc.assert(
      fc.property(fc.domain().filter((domain) => !domain.endsWith('localhost')), fc.webPath(), (domain, path) => {
        expect(webhookUrlProblem(`https://${domain}${path}`, PUBLIC_ONLY)).toBeUndefined();
        expect(webhookUrlProblem(`http://${domain}${path}`, LOOPBACK_ALLOWED)).toMatch(/must be https/);
      }),
    );
    expect(webhookUrlProblem('http://localhost:8080/hook', PUBLIC_ONLY)).toMatch(/loopback/);
    expect(webhookUrlProblem('http://localhost:8080/hook', LOOPBACK_ALLOWED)).toBeUndefined();
  });

  it('bounds the description', () => {
    expect(outcome(() => checkWebhookEndpointFields({ description: 'x'.repeat(MAX_WEBHOOK_DESCRIPTION_LENGTH) }, PUBLIC_ONLY, false))).toBe('ok');
    expect(outcome(() => checkWebhookEndpointFields({ description: 'x'.repeat(MAX_WEBHOOK_DESCRIPTION_LENGTH + 1) }, PUBLIC_ONLY, false))).toBe('BAD_USER_INPUT:description');
  });
});
