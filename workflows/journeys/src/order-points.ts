import { defineJourney, firstName, type LookupResult } from '@continuum/journey';
import { loyaltyPoints } from './lookups';

/**
 * Order points, one instance per (customer, order): a while after an order is delivered (once the
 * warehouse has credited its points), one SMS thanks the customer and gives their loyalty balance,
 * read from the warehouse at send time (`loyalty-points`). Customers without a loyalty account are
 * invited to join. A refund before then ends the instance with no message.
 */
export const orderPoints = defineJourney({
  id: 'order-points',
  version: 1,
  description: 'Thanks the customer for a delivered order by SMS with their loyalty points balance, read from the warehouse when the SMS goes out',
  entry: { events: ['Order Delivered'] },
  key: 'properties.order_id',
  exitOn: ['Order Refunded'],
  settings: {
    pointsDelay: {
      type: 'duration',
      default: '1 hour',
      description: 'How long after the order to send, so that the warehouse has credited its points',
    },
  },
  steps: [
    { id: 'entry', kind: 'entry', label: 'Order Delivered' },
    { id: 'wait-for-points', kind: 'delay', label: 'Wait for the points to be credited' },
    { id: 'points-balance-sms', kind: 'send', label: 'SMS with the loyalty balance (lookup loyalty-points)', next: ['done', 'exit'] },
    { id: 'done', kind: 'complete', label: 'Balance sent' },
    { id: 'exit', kind: 'exit', label: 'Order Refunded, no phone number, or the lookup failed' },
  ],
  async run(journey) {
    await journey.delay(journey.settings.pointsDelay, { step: 'wait-for-points' });
    // A failing lookup (warehouse down, timeout) is journaled and ends the instance: no SMS without the balance.
    const sent = await journey.send('points-balance-sms', {
      channel: 'sms',
      lookups: { loyalty: [loyaltyPoints, { user_id: journey.customerId }] },
      body: ({ profile, lookups }) => pointsBalance(firstName(profile.traits), lookups['loyalty']),
    });
    if (sent.status !== 'sent') return journey.exitUnsent(sent);
    return journey.complete();
  },
});

export function pointsBalance(name: string, loyalty: LookupResult | undefined): string {
  const account = loyalty?.rows[0];
  const points = Number(account?.['points']);
  if (!account || !Number.isFinite(points)) {
    return `Hi ${name}, thanks for your order! Join our loyalty programme to earn points on your next one.`;
  }
  const tier = typeof account['tier'] === 'string' && account['tier'] !== '' ? ` (${capitalise(account['tier'])} tier)` : '';
  return `Hi ${name}, thanks for your order! You now have ${new Intl.NumberFormat('en-US').format(points)} loyalty points${tier}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
