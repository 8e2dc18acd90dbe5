import { startJourney } from '@continuum/journey';
import { CART_UPDATED, ORDER_COMPLETED, type JourneyInput, type JourneyState } from '@continuum/contracts';

export interface CartItem {
  name?: string;
  product_id?: string;
  sku?: string;
  quantity?: number;
}

const DEFAULT_IDLE_MS = 60 * 60 * 1000;

/**
 * Abandoned cart, one instance per (customer, cart): every `Cart Updated` refreshes the cart and
 * restarts the idle timer; once the cart has been idle long enough one SMS names the latest items.
 * `Order Completed` for the cart ends the instance at once, with no message.
 */
export async function abandonedCart(input: JourneyInput): Promise<JourneyState> {
  const journey = startJourney(input, { exitOn: [ORDER_COMPLETED] });
  journey.on(CART_UPDATED, (event, j) => {
    j.context['items'] = Array.isArray(event.properties['items']) ? event.properties['items'] : [];
  });
  await journey.entered();

  const settings = await journey.settings();
  const idleMs = Number(settings['idleTimeoutMs'] ?? DEFAULT_IDLE_MS);
  const idle = await journey.holdUntilIdle(idleMs, { resetOn: [CART_UPDATED], step: 'wait-for-idle-cart' });
  if (idle.outcome === 'exited') return journey.state();

  const profile = await journey.profile();
  if (!profile?.phone) {
    await journey.skipped('cart-reminder-sms', 'no phone number on profile', { channel: 'sms' });
    return journey.exit('no phone number on profile', { nothingSent: true });
  }
  const items = describeItems(journey.context['items']);
  const name = typeof profile.traits['first_name'] === 'string' ? profile.traits['first_name'] : 'there';
  const body = `Hi ${name}, you left ${items} in your cart. Complete your order before it's gone!`;
  const outcome = await journey.sendSms('cart-reminder-sms', { to: profile.phone, body });
  if (outcome.status === 'failed') return journey.exit(`send failed: ${outcome.reason}`);
  return journey.complete();
}

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
