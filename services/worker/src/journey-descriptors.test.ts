import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineJourney } from '@continuum/journey';
import * as journeys from '@continuum/journeys';
import { journeyDescriptors } from './journey-descriptors';

describe('journeyDescriptors (checked at worker start)', () => {
  it('accepts every journey the worker registers', () => {
    expect(journeyDescriptors().length).toBeGreaterThan(0);
  });

  it('publishes the catalogue of workflows/journeys as before their steps lists used defaults', () => {
    // Recorded before the steps lists were shortened: a change to a journey's graph must be deliberate (update the file).
    const recorded = JSON.parse(readFileSync(join(__dirname, 'test-support/journey-catalogue.json'), 'utf8')) as unknown;
    const published = journeyDescriptors({ ...journeys }).sort((a, b) => a.id.localeCompare(b.id));
    expect(JSON.parse(JSON.stringify(published))).toEqual(recorded);
  });

  it('refuses a journey whose run uses a step its steps list lacks, naming journey and step', () => {
    const stepTypo = defineJourney({
      id: 'step-typo',
      version: 1,
      description: 'a typo in a step id',
      entry: { events: ['Typo'] },
      steps: [{ id: 'welcome-sms', kind: 'send' }],
      async run(journey) {
        // @ts-expect-error -- the typo the compile-time check also refuses
        await journey.send('welcome-smss', { channel: 'sms', body: 'Welcome' });
      },
    });
    expect(() => journeyDescriptors({ stepTypo })).toThrow('Journey "step-typo" uses step "welcome-smss", which its steps list does not declare');
  });
});
