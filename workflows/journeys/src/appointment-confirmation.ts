import { defineJourney, firstName } from '@continuum/journey';

/** "YES", "yes!", "Yes please", "sim", "sí": a reply that confirms. */
export function confirms(body: unknown): boolean {
  return typeof body === 'string' && /^\s*(yes|y|sim|s[ií]|confirm(ed)?)\b/i.test(body);
}

/**
 * Appointment confirmation, one instance per (customer, appointment): texts the customer to reply
 * YES, and waits for that reply. A reply reaches the instance whose message the customer answered
 * (the most recent journey message to them on that channel), so two appointments booked in a row
 * are confirmed one by one. Confirmed: a thank-you text; no reply in time: the instance ends
 * unconfirmed. A cancelled appointment ends it at once.
 */
export const appointmentConfirmation = defineJourney({
  id: 'appointment-confirmation',
  version: 1,
  description: 'Asks the customer to reply YES to confirm an appointment by SMS, and thanks them when they do',
  entry: { events: ['Appointment Booked'] },
  key: 'properties.appointment_id',
  exitOn: ['Appointment Cancelled'],
  listensTo: ['Message Received'],
  settings: {
    replyTimeout: { type: 'duration', default: '24 hours', description: 'How long to wait for the YES' },
  },
  steps: [
    { id: 'entry', kind: 'entry', label: 'Appointment Booked' },
    { id: 'ask-confirmation', kind: 'send', label: 'SMS asking to reply YES' },
    { id: 'wait-for-yes', kind: 'wait-for', label: 'Wait for a reply YES to that SMS', next: ['confirmed-sms', 'done'] },
    { id: 'confirmed-sms', kind: 'send', label: 'SMS thanking them for confirming' },
    { id: 'done', kind: 'complete', label: 'Confirmed, or no reply in time' },
    { id: 'exit', kind: 'exit', label: 'Appointment Cancelled, or no phone number' },
  ],
  async run(journey) {
    const booked = journey.lastEvent?.properties ?? {};
    const when = typeof booked['starts_at'] === 'string' ? booked['starts_at'] : 'soon';
    const asked = await journey.send('ask-confirmation', {
      channel: 'sms',
      transactional: true,
      body: ({ profile }) => `Hi ${firstName(profile.traits)}, your appointment is on ${when}. Reply YES to confirm.`,
    });
    if (asked.status !== 'sent') return journey.exit(asked.reason, { nothingSent: true });
    // A YES that came while the SMS was still being recorded as sent counts too.
    const reply = await journey.waitForReply(asked, {
      timeout: journey.settings.replyTimeout,
      step: 'wait-for-yes',
      where: (event) => confirms(event.properties['body']),
    });
    if (reply.outcome === 'timeout') return journey.complete({ confirmed: false });
    await journey.send('confirmed-sms', { channel: 'sms', transactional: true, body: `Thanks, your appointment on ${when} is confirmed.` });
    return journey.complete({ confirmed: true, replyMessageId: reply.event.messageId });
  },
});
