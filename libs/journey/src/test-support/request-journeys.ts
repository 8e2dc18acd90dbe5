// Small journeys that exercise HTTP request steps; bundled only by requests.test.ts.
import { defineJourney } from '../define-journey';
import type { RequestOptions } from '../request-call';

/** Asks an outside service for the order's delivery estimate, then texts it to the customer. */
export const deliveryEstimate = defineJourney({
  id: 'delivery-estimate',
  version: 1,
  description: 'a request whose response a later send uses',
  entry: { events: ['Order Shipped'] },
  steps: [
    { id: 'fetch-estimate', kind: 'request' },
    { id: 'estimate-sms', kind: 'send' },
  ],
  async run(journey) {
    const url = String(journey.lastEvent?.properties['estimateUrl']);
    const estimate = await journey.request('fetch-estimate', {
      url,
      method: 'POST',
      headers: { authorization: 'Bearer partner-token' },
      body: { orderId: journey.lastEvent?.properties['orderId'] },
      timeout: '5 seconds',
    });
    if (estimate.status !== 'ok') return journey.exit(`no estimate: ${estimate.reason}`);
    const { eta } = estimate.json as { eta: string };
    await journey.send('estimate-sms', { channel: 'sms', body: `Your order arrives ${eta}` });
    return journey.complete({ eta, attempts: estimate.attempts });
  },
});

/** Makes one request with the options in the entry event and completes with the result. */
export const requestProbe = defineJourney({
  id: 'request-probe',
  version: 1,
  description: 'one request, its result in the completion',
  entry: { events: ['Probe Requested'] },
  steps: [{ id: 'probe', kind: 'request' }],
  async run(journey) {
    const options = journey.lastEvent?.properties['request'] as unknown as RequestOptions;
    const result = await journey.request('probe', options);
    return journey.complete({ result });
  },
});
