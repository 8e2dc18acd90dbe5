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

/** An experiment whose later entries go down the winner once it is significant. */
export const winnerExperiment = defineJourney({
  id: 'winner-experiment',
  version: 1,
  description: 'An experiment with the winner rule',
  entry: { events: ['Cart Abandoned'] },
  goal: { event: 'Order Completed', within: '7 days' },
  steps: [
    { id: 'subject-test', kind: 'experiment' },
    { id: 'reminder-sms', kind: 'send' },
  ],
  async run(journey) {
    const variant = await journey.experiment('subject-test', {
      variants: [{ id: 'a' }, { id: 'b' }],
      control: { id: 'holdout', weight: 1 },
      autoWinner: { alpha: 0.05, minPerArm: 50 },
    });
    await journey.send('reminder-sms', { channel: 'sms', body: variant === 'a' ? 'Your cart misses you' : 'Still thinking it over?' });
    return journey.complete({ variant });
  },
});
