// A journey that sends at the customer's best time; bundled only by the send-time test.
import type { MessageChannel } from '@continuum/contracts';
import { defineJourney } from '../define-journey';

/** Waits for the best moment within the entry event's `within` (default a day), then sends one SMS. */
export const bestTimeNudge = defineJourney({
  id: 'best-time-nudge',
  version: 1,
  description: 'A nudge sent at the customer’s best time',
  entry: { events: ['Nudge Due'] },
  steps: [
    { id: 'best-time', kind: 'delay' },
    { id: 'nudge-sms', kind: 'send' },
  ],
  async run(journey) {
    const properties = journey.lastEvent?.properties ?? {};
    const chosen = await journey.delayUntilBestTime('best-time', {
      within: (properties['within'] as string | number | undefined) ?? '1 day',
      channel: (properties['channel'] as MessageChannel | undefined) ?? 'sms',
    });
    const sent = await journey.send('nudge-sms', { channel: 'sms', body: 'Your weekly picks are in' });
    return journey.complete({ source: chosen.source, hour: chosen.hour, until: chosen.until.toISOString(), sent: sent.status });
  },
});
