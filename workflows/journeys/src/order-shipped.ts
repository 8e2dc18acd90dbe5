import type { MessageChannel } from '@continuum/contracts';
import { defineJourney, firstName, type ContextualPayload } from '@continuum/journey';

/** The channels a stored notice template may be for (MMS uses the SMS one). */
const NOTICE_CHANNELS: MessageChannel[] = ['whatsapp', 'sms', 'rcs', 'email', 'in_app'];

/**
 * Order shipped, one instance per (customer, order): tells the customer on the channel that suits
 * their country (`CHANNEL_DEFAULTS`: WhatsApp then SMS in Brazil, SMS then RCS in the United
 * States, …; a `preferred_channel` trait first), moving to the next channel when one has no address
 * or consent, fails, or reports no delivery within `fallbackAfter`. Outside WhatsApp's 24-hour
 * window it uses the approved template. Delivery of the order ends the instance. With
 * `storedTemplates` the wording is the workspace's own (templates `order-shipped.<channel>`).
 */
export const orderShipped = defineJourney({
  id: 'order-shipped',
  version: 1,
  description: 'Tells the customer their order shipped on the best channel for them, falling back to the next one until a message is delivered',
  entry: { events: ['Order Shipped'] },
  key: 'properties.order_id',
  exitOn: ['Order Delivered'],
  maxLifetime: '30 days',
  settings: {
    fallbackAfter: {
      type: 'duration',
      default: '15 minutes',
      description: 'How long to wait for a delivery report on one channel before trying the next',
    },
    storedTemplates: {
      type: 'boolean',
      default: false,
      description:
        'Send the workspace\'s stored templates "order-shipped.<channel>" (order-shipped.whatsapp, order-shipped.sms, order-shipped.email…; rendered in the customer\'s locale and the workspace\'s voice) instead of the built-in English text',
    },
    whatsappContentSid: {
      type: 'string',
      default: 'HX00000000000000000000000000000002',
      description: 'Approved WhatsApp template "Your order {{1}} is on its way and should arrive on {{2}}." (the emulator\'s by default)',
    },
  },
  steps: [
    { id: 'entry', kind: 'entry', label: 'Order Shipped' },
    { id: 'shipped-notice', kind: 'send', label: 'Shipping notice on the customer\'s channels, with fallback', next: ['done', 'exit'] },
    { id: 'done', kind: 'complete', label: 'Notice sent' },
    { id: 'exit', kind: 'exit', label: 'No channel reached the customer, or Order Delivered' },
  ],
  async run(journey) {
    const order = journey.lastEvent?.properties ?? {};
    const orderId = String(order['order_id'] ?? '');
    const eta = typeof order['eta'] === 'string' ? order['eta'] : 'soon';
    // The workspace's own wording per channel and locale (its templates), or the built-in text.
    const notice = journey.settings.storedTemplates
      ? { template: Object.fromEntries(NOTICE_CHANNELS.map((channel) => [channel, `order-shipped.${channel}`])) }
      : { body: ({ profile }: ContextualPayload) => `Hi ${firstName(profile.traits)}, your order ${orderId} is on its way and should arrive ${eta}.` };
    const sent = await journey.send('shipped-notice', {
      channel: 'auto',
      ...notice,
      subject: `Your order ${orderId} is on its way`,
      title: 'Order shipped',
      data: { orderId },
      whatsappTemplate: { contentSid: journey.settings.whatsappContentSid, variables: { '1': orderId, '2': eta } },
      fallbackAfter: journey.settings.fallbackAfter,
    });
    if (sent.status !== 'sent') return journey.exitUnsent(sent, { nothingSentOnFailure: true });
    return journey.complete({ channel: sent.channel });
  },
});
