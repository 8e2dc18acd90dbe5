// The abandoned cart with a change made carelessly: a cool-off delay added before the idle wait.
// Running instances that passed that point with the old code cannot replay it (replay.test.ts).
import { defineJourney } from '@continuum/journey';
import { abandonedCart as current } from '../abandoned-cart';

export const abandonedCart = defineJourney({
  ...current.descriptor,
  entry: current.descriptor.entry,
  settings: { idleTimeout: { type: 'duration', default: '1 hour', description: 'idle time' } },
  steps: [...current.descriptor.steps, { id: 'cool-off', kind: 'delay' }],
  async run(journey) {
    journey.on('Cart Updated', (event) => {
      journey.context['items'] = event.properties['items'];
    });
    await journey.delay('5 minutes', { step: 'cool-off' });
    await journey.holdUntilIdle(journey.settings.idleTimeout, { resetOn: ['Cart Updated'], step: 'wait-for-idle-cart' });
    await journey.send('cart-reminder-sms', { channel: 'sms', body: 'changed' });
  },
});
