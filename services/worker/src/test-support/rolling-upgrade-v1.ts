// A journey as build A of a rolling upgrade ships it (rolling-upgrade.integration.test.ts, tools/admin):
// each send names its build, so the Twilio emulator shows which build ran each step.
import { defineJourney } from '@continuum/journey';

const steps = [{ id: 'entry', kind: 'entry' as const, label: 'Entry' }];

export const upgradeProbe = defineJourney({
  id: 'upgrade-probe',
  version: 1,
  description: 'says hello, waits for Go, says goodbye (build A)',
  entry: { events: ['Probe Started'] },
  key: 'properties.probe_id',
  listensTo: ['Go'],
  steps,
  dynamicStepIds: true,
  async run(journey) {
    await journey.send('hello', { channel: 'sms', body: `v1 hello ${journey.key}` });
    const go = await journey.waitFor('Go', { timeout: '1 day', step: 'wait-for-go' });
    if (go.outcome === 'timeout') return journey.exit('no Go within a day');
    await journey.send('goodbye', { channel: 'sms', body: `v1 goodbye ${journey.key}` });
    return journey.complete();
  },
});
