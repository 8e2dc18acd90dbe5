// One journey, the same code in every workspace: what it does differs only by each workspace's messaging policy.
import { defineJourney } from '../define-journey';

const steps = [{ id: 'entry', kind: 'entry' as const, label: 'Entry' }];

/** At 23:00 in the customer's zone, an offer on the channel their workspace's policy picks (`auto`). */
export const lateOffer = defineJourney({
  id: 'late-offer',
  version: 1,
  description: 'a late-evening offer on the channels of the policy',
  entry: { events: ['Late Offer'] },
  key: 'properties.case',
  steps,
  dynamicStepIds: true,
  async run(journey) {
    await journey.delayUntilLocalTime({ time: '23:00', fallbackTimeZone: 'America/Sao_Paulo', step: 'until-late' });
    const sent = await journey.send('offer', {
      channel: 'auto',
      body: 'A late offer',
      whatsappTemplate: { contentSid: 'HX00000000000000000000000000000002', variables: { '1': 'offer', '2': 'tonight' } },
    });
    journey.context['outcome'] = sent.status;
    journey.context['channel'] = sent.status === 'sent' ? sent.channel : null;
  },
});
