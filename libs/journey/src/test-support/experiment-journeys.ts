// A journey with an experiment and a goal; bundled only by the experiments test.
import { defineJourney } from '../define-journey';

/** Two offers and a control group (sent nothing) over a week; the goal is an order within 7 days. */
export const offerExperiment = defineJourney({
  id: 'offer-experiment',
  version: 1,
  description: 'An experiment with a control group',
  entry: { events: ['Offer Eligible'] },
  goal: { event: 'Order Completed', within: '7 days' },
  steps: [
    { id: 'offer-test', kind: 'experiment', next: ['offer-sms'] },
    { id: 'offer-sms', kind: 'send' },
    { id: 'wait-a-day', kind: 'delay' },
    { id: 'reminder-sms', kind: 'send' },
  ],
  async run(journey) {
    const variant = await journey.experiment('offer-test', {
      variants: [{ id: 'ten-off' }, { id: 'free-shipping' }],
      control: { id: 'holdout', weight: 1 },
    });
    const offer = variant === 'ten-off' ? '10% off your next order' : 'Free shipping on your next order';
    await journey.send('offer-sms', { channel: 'sms', body: `Hi! ${offer}` });
    await journey.delay('1 day', { step: 'wait-a-day' });
    await journey.send('reminder-sms', { channel: 'sms', body: `Reminder: ${offer}` });
    return journey.complete({ variant });
  },
});
