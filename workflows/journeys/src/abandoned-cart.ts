import { defineJourney, firstName } from '@continuum/journey';

export interface CartItem {
  name?: string;
  product_id?: string;
  sku?: string;
  quantity?: number;
}

/**
 * Abandoned cart, one instance per (customer, cart): every `Cart Updated` refreshes the cart and
 * restarts the idle timer; once the cart has been idle long enough one SMS names the latest items.
 * `Order Completed` for the cart ends the instance at once, with no message.
 */
export const abandonedCart = defineJourney({
  id: 'abandoned-cart',
  version: 1,
  description: 'Reminds a customer by SMS of the items left in an idle cart',
  entry: { events: ['Cart Updated'] },
  key: 'properties.cart_id',
  exitOn: ['Order Completed'],
  settings: {
    idleTimeout: { type: 'duration', default: '1 hour', description: 'How long the cart must stay untouched before the reminder' },
  },
  steps: [
    { id: 'entry', kind: 'entry', label: 'Cart Updated' },
    {
      id: 'wait-for-idle-cart',
      kind: 'hold-until-idle',
      label: 'Wait until the cart is idle (each update restarts the timer)',
      nextLabels: { 'cart-reminder-sms': 'idle timeout' },
    },
    { id: 'cart-reminder-sms', kind: 'send', label: 'SMS naming the latest items' },
    { id: 'done', kind: 'complete', label: 'Reminder sent' },
    { id: 'exit', kind: 'exit', label: 'Order Completed, or no phone number' },
  ],
  async run(journey) {
    journey.on('Cart Updated', (event) => {
      journey.context['items'] = Array.isArray(event.properties['items']) ? event.properties['items'] : [];
    });
    await journey.holdUntilIdle(journey.settings.idleTimeout, { resetOn: ['Cart Updated'], step: 'wait-for-idle-cart' });
    const sent = await journey.send('cart-reminder-sms', {
      channel: 'sms',
      body: ({ profile, journey: { context } }) =>
        `Hi ${firstName(profile.traits)}, you left ${describeItems(context['items'])} in your cart. Complete your order before it's gone!`,
    });
    if (sent.status !== 'sent') return journey.exitUnsent(sent);
    return journey.complete();
  },
});

/** "2 × Red Shoes, Blue Hat" from Segment-style cart items (or plain strings). */
export function describeItems(items: unknown): string {
  if (!Array.isArray(items) || items.length === 0) return 'some items';
  const names = items.map((item: unknown) => {
    if (typeof item === 'string') return item;
    const { name, product_id, sku, quantity } = (item ?? {}) as CartItem;
    const label = name ?? product_id ?? sku ?? 'an item';
    return typeof quantity === 'number' && quantity > 1 ? `${quantity} × ${label}` : label;
  });
  return names.join(', ');
}
