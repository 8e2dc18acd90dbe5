import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ENTRY_GZIP_BUDGET_BYTES, measureConsoleBundle } from '../../tools/console-bundle';
import { graphql, IDENTIFY, percentile, round, TRACK } from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';

const SIZES = { small: { loads: 3, pings: 10 }, medium: { loads: 5, pings: 30 }, large: { loads: 10, pings: 100 } } as const;

/** The main views, each with the heading that shows once its data has arrived. */
const VIEWS: Array<{ view: string; path: string; heading: string | RegExp }> = [
  { view: 'journeys', path: '/console/journeys', heading: 'Journeys' },
  { view: 'journey', path: '/console/journeys/abandoned-cart', heading: 'Journey abandoned-cart' },
  { view: 'search', path: '/console/search', heading: 'Search customers' },
  { view: 'inbox', path: '/console/inbox', heading: 'Inbox' },
  { view: 'broadcasts', path: '/console/broadcasts', heading: 'Broadcasts' },
  { view: 'templates', path: '/console/templates', heading: 'Templates' },
];

/**
 * The console in Chromium against the stack's gateway: the built bundle's sizes (the entry against
 * its budget), how long each main view takes from navigation to its heading with data — cold (a new
 * browser context: nothing cached) and warm (the same context again) — and the live-update latency:
 * from a `track` acknowledged by the API to the event in an open customer page's timeline.
 */
export async function consoleLoad(ctx: BenchContext): Promise<ScenarioResult> {
  const { loads, pings } = SIZES[ctx.size];
  const bundle = measureConsoleBundle(join(__dirname, '..', '..', 'dist', 'console'));
  const rows: Row[] = [
    { what: `entry script ${bundle.entry.file}`, value: round(bundle.entry.bytes / 1024), unit: 'kB' },
    { what: 'entry script, gzipped', value: round(bundle.entry.gzipBytes / 1024), unit: 'kB', ratio: round(bundle.entry.gzipBytes / ENTRY_GZIP_BUDGET_BYTES, 2), baseline: `budget ${ENTRY_GZIP_BUDGET_BYTES / 1024} kB` },
    ...bundle.chunks.map((chunk) => ({ what: `chunk ${chunk.file}, gzipped`, value: round(chunk.gzipBytes / 1024), unit: 'kB' })),
    { what: 'every asset, gzipped', value: round(bundle.total.gzipBytes / 1024), unit: 'kB' },
  ];
  const bars: Array<{ label: string; value: number; group?: string }> = [];
  const browser: Browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const { view, path, heading } of VIEWS) {
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < loads; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addInitScript(`sessionStorage.setItem('continuum.console.apiKey', ${JSON.stringify(ctx.stack.devApiKey)})`);
        const page = await context.newPage();
        for (const sink of [cold, warm]) {
          const began = performance.now();
          await page.goto(`${ctx.stack.gatewayUrl}${path}`);
          await page.getByRole('heading', { name: heading, exact: true }).waitFor({ timeout: 60_000 });
          sink.push(performance.now() - began);
        }
        await context.close();
      }
      rows.push({ what: `${view}: first load to heading, cold, p50`, value: round(percentile(cold, 50)), unit: 'ms' });
      rows.push({ what: `${view}: load to heading, warm cache, p50`, value: round(percentile(warm, 50)), unit: 'ms' });
      bars.push({ label: view, value: round(percentile(cold, 50)), group: 'cold' }, { label: view, value: round(percentile(warm, 50)), group: 'warm' });
    }

    // Live updates: a customer page open, events tracked one at a time, each timed until it shows.
    const userId = `console-bench-${ctx.runId}`;
    await graphql(ctx.stack, IDENTIFY, { input: { userId, traits: { first_name: 'Bench' } } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(`sessionStorage.setItem('continuum.console.apiKey', ${JSON.stringify(ctx.stack.devApiKey)})`);
    const page = await context.newPage();
    await page.goto(`${ctx.stack.gatewayUrl}/console/customers/${encodeURIComponent(userId)}`);
    await page.getByRole('heading', { name: `Customer ${userId}` }).waitFor({ timeout: 60_000 });
    // The subscription starts "from now on" once its socket is up, which the page does not show: a first event until it arrives.
    for (let warmUp = 0; ; warmUp++) {
      await graphql(ctx.stack, TRACK, { input: { userId, event: `Bench Warm ${warmUp}`, properties: {} } });
      const shown = await page
        .getByText(`Bench Warm ${warmUp}`)
        .first()
        .waitFor({ timeout: 3_000 })
        .then(() => true, () => false);
      if (shown) break;
      if (warmUp > 20) throw new Error('the customer page never showed a tracked event live');
    }
    const latencies: number[] = [];
    for (let i = 0; i < pings; i++) {
      const name = `Bench Ping ${i}`;
      await graphql(ctx.stack, TRACK, { input: { userId, event: name, properties: {} } });
      const acknowledged = performance.now();
      await page.getByText(name).first().waitFor({ timeout: 30_000 });
      latencies.push(performance.now() - acknowledged);
    }
    await context.close();
    for (const p of [50, 95] as const) rows.push({ what: `live update, track acknowledged → shown in the customer page, p${p}`, value: round(percentile(latencies, p)), unit: 'ms' });
  } finally {
    await browser.close();
  }
  return {
    scenario: 'console',
    title: 'Console: bundle sizes, first load of the main views, live-update latency (Chromium)',
    settings: { loadsPerView: loads, pings, browser: 'Chromium (playwright-core, /usr/bin/chromium)', viewport: '1280x900' },
    rows,
    notes: [
      'Sizes are of dist/console as built (gzip level 9); the entry is what index.html loads before any view; its budget is checked by apps/console/bundle-budget.test.ts.',
      'Load: from page.goto to the view heading with its data (GraphQL answered), in a new browser context (cold) then again in the same one (warm: assets cached).',
      'Live: from the API acknowledging track to the event in the timeline of the customer page, which follows customerActivity over graphql-ws.',
    ],
    chart: { title: 'Console views: load to heading (p50)', unit: 'ms', bars },
  };
}
