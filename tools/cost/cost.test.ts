import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import { measureScenarios, SCENARIOS, type ScenarioCost } from './test-support/scenarios';

describe('price per journey (counts from histories)', { timeout: 300_000 }, () => {
  let kit: JourneyTestKit;
  let costs: ScenarioCost[];
  beforeAll(async () => {
    kit = await createJourneyTestKit();
    costs = await measureScenarios(kit);
  }, 600_000);
  afterAll(async () => {
    await kit?.teardown();
  });

  it('prints', () => {
    for (const cost of costs) console.log(JSON.stringify(cost));
    expect(costs).toHaveLength(SCENARIOS.length);
  });
});
