/**
 * The price per journey: `npm run cost` runs each scenario with Continuum's workflows and as plain
 * Temporal code written by hand (the floor) on the time-skipping test server, counts Temporal Cloud
 * actions, history events and tasks from the histories, prints the table and writes
 * reports/cost-per-journey.{md,json}. Counts, not timings: the result does not depend on the machine.
 *
 *   npm run cost                          every scenario
 *   npm run cost -- abandoned-cart        the scenarios named
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJourneyTestKit } from '@continuum/testing';
import { priceTable } from './price-table';
import { measureScenarios, SCENARIOS } from './test-support/scenarios';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const name of only) {
    if (!SCENARIOS.some((scenario) => scenario.id === name)) throw new Error(`unknown scenario "${name}"; scenarios: ${SCENARIOS.map((scenario) => scenario.id).join(', ')}`);
  }
  const kit = await createJourneyTestKit();
  try {
    const rows = await measureScenarios(kit, only.length > 0 ? only : undefined);
    const table = priceTable(rows);
    const dir = join(__dirname, '..', '..', 'reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cost-per-journey.md'), `# Price per journey\n\n${table}\n`);
    writeFileSync(join(dir, 'cost-per-journey.json'), `${JSON.stringify(rows, null, 2)}\n`);
    console.log(table);
    console.log(`\nreport: ${join(dir, 'cost-per-journey.md')}`);
  } finally {
    await kit.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
