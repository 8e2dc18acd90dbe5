// The same journey as build B ships it: a step added before the first send (a timer where build A
// scheduled the send's activity) makes B non-deterministic for every history A wrote, so A's
// instances must never run on B. Its sends name build B.
import { defineJourney } from '@continuum/journey';

const steps = [{ id: 'entry', kind: 'entry' as const, label: 'Entry' }];

export const upgradeProbe = defineJourney({
  id: 'upgrade-probe',
  version: 2,
  description: 'settles a moment, says hello, waits for Go, says goodbye (build B)',
  entry: { events: ['Probe Started'] },
  key: 'properties.probe_id',
  listensTo: ['Go'],
  steps,
  dynamicStepIds: true,
  async run(journey) {
    await journey.delay('1 second', { step: 'settle' });
    await journey.send('hello', { channel: 'sms', body: `v2 hello ${journey.key}` });
    const go = await journey.waitFor('Go', { timeout: '1 day', step: 'wait-for-go' });
    if (go.outcome === 'timeout') return journey.exit('no Go within a day');
    await journey.send('goodbye', { channel: 'sms', body: `v2 goodbye ${journey.key}` });
    return journey.complete();
  },
});
