import { defineJourney, firstName } from '@continuum/journey';

/**
 * Return follow-up, one instance per (customer, return): waits for the returned parcel to reach
 * the warehouse. When it arrives, one SMS confirms it (with the refund when the event carries
 * one); when it has not arrived within the timeout, one SMS reminds the customer to send it.
 * A cancelled return ends the instance at once, with no message.
 */
export const returnFollowUp = defineJourney({
  id: 'return-follow-up',
  version: 1,
  description: 'Confirms a return by SMS when it reaches the warehouse, or reminds the customer to send it when it has not arrived within a week',
  entry: { events: ['Return Requested'] },
  key: 'properties.return_id',
  exitOn: ['Return Cancelled'],
  listensTo: ['Return Received'],
  settings: {
    receiptTimeout: {
      type: 'duration',
      default: '7 days',
      description: 'How long to wait for the return to arrive before reminding the customer to send it',
    },
  },
  steps: [
    { id: 'entry', kind: 'entry', label: 'Return Requested' },
    {
      id: 'wait-for-return',
      kind: 'wait-for',
      label: 'Wait for Return Received (up to the receipt timeout)',
      next: ['return-received-sms', 'return-reminder-sms'],
      nextLabels: { 'return-received-sms': 'Return Received', 'return-reminder-sms': 'timeout' },
    },
    { id: 'return-received-sms', kind: 'send', label: 'SMS confirming the return (and the refund)', next: ['done', 'exit'] },
    { id: 'return-reminder-sms', kind: 'send', label: "SMS reminding the customer we haven't received the return", next: ['done', 'exit'] },
    { id: 'done', kind: 'complete', label: 'Follow-up sent' },
    { id: 'exit', kind: 'exit', label: 'Return Cancelled, or no phone number' },
  ],
  async run(journey) {
    journey.on('Return Requested', (event) => {
      const orderId = event.properties['order_id'];
      if (typeof orderId === 'string' || typeof orderId === 'number') journey.context['orderId'] = String(orderId);
    });

    const arrival = await journey.waitFor('Return Received', { timeout: journey.settings.receiptTimeout, step: 'wait-for-return' });
    const sent =
      arrival.outcome === 'received'
        ? await journey.send('return-received-sms', {
            channel: 'sms',
            body: ({ profile, journey: { context } }) =>
              returnReceived(firstName(profile.traits), context['orderId'], arrival.event.properties['refund_amount'], arrival.event.properties['currency']),
          })
        : await journey.send('return-reminder-sms', {
            channel: 'sms',
            body: ({ profile, journey: { context } }) => returnNotReceived(firstName(profile.traits), context['orderId']),
          });
    if (sent.status !== 'sent') return journey.exitUnsent(sent);
    return journey.complete({ received: arrival.outcome === 'received' });
  },
});

function forOrder(orderId: unknown): string {
  return typeof orderId === 'string' ? ` for order ${orderId}` : '';
}

export function returnReceived(name: string, orderId: unknown, refundAmount: unknown, currency: unknown): string {
  const refund = formatMoney(refundAmount, currency);
  const next = refund
    ? `Your refund of ${refund} is on its way and should reach you within 5 business days.`
    : "We'll text you as soon as your refund has been processed.";
  return `Hi ${name}, we got your return${forOrder(orderId)}, thank you! ${next}`;
}

export function returnNotReceived(name: string, orderId: unknown): string {
  return (
    `Hi ${name}, we haven't received your return${forOrder(orderId)} yet. ` +
    "If you've already sent it, it may still be on its way; if not, please drop it off soon so we can process your refund."
  );
}

/** "$59.90" for (59.9, "USD"); undefined when the amount is missing or the currency code is unknown. */
export function formatMoney(amount: unknown, currency: unknown): string | undefined {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) return undefined;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: typeof currency === 'string' ? currency : 'USD' }).format(amount);
  } catch {
    return undefined; // RangeError for a currency code Intl does not know
  }
}
