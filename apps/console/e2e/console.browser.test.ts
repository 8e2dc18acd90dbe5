import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore, WorkspaceStore } from '@continuum/data';
import { waitFor } from '@continuum/testing';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, journeyDescriptors, type JourneyWorker } from '@continuum/worker';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../../../services/gateway/src/test-support/gateway-fixture';

const workspaceRoot = join(__dirname, '..', '..', '..');
/** CONSOLE_SCREENSHOTS=docs/console writes the screenshots of the docs from this test's real data. */
const screenshots = process.env['CONSOLE_SCREENSHOTS'] ? join(workspaceRoot, process.env['CONSOLE_SCREENSHOTS']) : null;

async function shoot(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** Two customers with an abandoned cart each (the idle timeout is long: their instances stay active). */
const customers = {
  ana: { email: 'ana.moraes@example.test', phone: '+14155550123', first_name: 'Ana', cart: 'ana-cart' },
  bruno: { email: 'bruno.lima@example.test', phone: '+14155550124', first_name: 'Bruno', cart: 'bruno-cart' },
} as const;

// The console as its users see it: the gateway (real PostgreSQL, a Temporal dev server, a journey
// worker and the Twilio emulator) serves the built console at /console, and a real Chromium from the
// system's packages drives it, selecting by role and label as assistive technology would.
describe('the console in a real browser', { timeout: 180_000 }, () => {
  let gw: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;
  let browser: Browser;
  let readerKey: string;
  let agentKey: string;
  /** Content-Security-Policy violations the browser reported (the console must cause none). */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // Builds dist/console unless an up-to-date build is there (a fresh clone has none).
    await promisify(execFile)(process.execPath, [join(workspaceRoot, 'tools/console-build.mjs')], { cwd: workspaceRoot });
    gw = await startGatewayFixture({ beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'console-test') });
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    worker = await createJourneyWorker(await workerConfigFor(gw, emulatorUrl, { ABANDONED_CART_IDLE_TIMEOUT: '1h' }));
    running = worker.run();
    const workspaces = new WorkspaceStore(gw.dataSource);
    readerKey = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'console-reader', undefined, ['read']);
    agentKey = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'console-agent', undefined, ['agent']);

    for (const [userId, c] of Object.entries(customers)) {
      await ok(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, {
        input: { userId, traits: { first_name: c.first_name, email: c.email, phone: c.phone, plan: 'gold' } },
      });
      await ok(`mutation($input: SetConsentInput!) { setConsent(input: $input) { userErrors { message } } }`, {
        input: { userId, channel: 'SMS', status: 'SUBSCRIBED', source: 'console-test' },
      });
      await ok(`mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, {
        input: { userId, event: 'Cart Updated', properties: { cart_id: c.cart, items: [{ name: 'Teal Scarf' }] } },
      });
    }
    await waitFor('both carts active in the journey counts', async () => (await abandonedCart()).instances.active === 2, 60_000);

    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    worker?.shutdown();
    await running;
    await emulator?.close();
    await gw?.teardown();
  });

  async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await gw.graphql<T>(query, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  async function abandonedCart() {
    const { journey } = await ok<{ journey: { status: string; instances: { active: number } } }>(
      `{ journey(key: "abandoned-cart") { status instances { active } } }`,
    );
    return journey;
  }

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  }

  async function submitKey(page: Page, key: string): Promise<void> {
    await page.goto(`${gw.url}/console`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in and waits for the first view (the key is in the tab's session from then on). */
  async function signIn(page: Page, key: string): Promise<void> {
    await submitKey(page, key);
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
  }

  it('serves the console with content types, a strict CSP and the app for every view path', async () => {
    const index = await fetch(`${gw.url}/console/journeys`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await index.text();
    const script = /<script type="module" crossorigin src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /<link rel="stylesheet" crossorigin href="(\/console\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    expect(style, html).toBeDefined();
    const [js, css] = await Promise.all([fetch(`${gw.url}${script}`), fetch(`${gw.url}${style}`)]);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${gw.url}/console/assets/missing.js`)).status).toBe(404);
  });

  it('refuses a wrong key with a clear message, signs in with a valid one and signs out', async () => {
    const page = await newPage();
    await submitKey(page, 'ck_not-a-key-of-anyone');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The gateway did not accept this API key (Invalid API key)');

    await page.getByLabel('API key').fill(gw.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
    // Kept for the tab only (evaluated in the page: the test itself has no DOM).
    expect(await page.evaluate("sessionStorage.getItem('continuum.console.apiKey')")).toBe(gw.apiKey);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('continuum.console.apiKey')")).toBeNull();
    await page.close();
  });

  it('lists the journeys with their counts, and pauses and resumes one after a confirmation', async () => {
    const page = await newPage();
    await signIn(page, gw.apiKey);
    const row = page.getByRole('row', { name: 'abandoned-cart', exact: true });
    await row.getByRole('cell').first().waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    // Status, active, completed, exited, actions.
    expect(cells.slice(0, 4)).toEqual(['Published', '2', '0', '0']);

    await row.getByRole('button', { name: 'Pause abandoned-cart' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pause abandoned-cart?' });
    await expect(dialog.textContent()).resolves.toContain('sends of its running instances are held');
    // Cancelling changes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await abandonedCart()).status).toBe('PUBLISHED');

    await row.getByRole('button', { name: 'Pause abandoned-cart' }).click();
    await dialog.getByRole('button', { name: 'Pause' }).click();
    await row.getByRole('cell', { name: 'Paused', exact: true }).waitFor();
    expect((await abandonedCart()).status).toBe('PAUSED');

    // And back, the same way.
    await row.getByRole('button', { name: 'Resume abandoned-cart' }).click();
    await page.getByRole('dialog', { name: 'Resume abandoned-cart?' }).getByRole('button', { name: 'Resume' }).click();
    await row.getByRole('cell', { name: 'Published', exact: true }).waitFor();
    expect((await abandonedCart()).status).toBe('PUBLISHED');
    await page.close();
  });

  it('tells a key without the scope of an action or a view what it cannot do', async () => {
    const page = await newPage();
    await signIn(page, readerKey);
    const row = page.getByRole('row', { name: 'abandoned-cart', exact: true });
    await row.getByRole('button', { name: /^(Pause|Resume) abandoned-cart$/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: /^(Pause|Resume)$/ }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Your key cannot change a journey's status: it needs the operate scope\./);
    await page.close();

    const agentPage = await newPage();
    await signIn(agentPage, agentKey);
    await expect(agentPage.getByRole('alert').textContent()).resolves.toMatch(/^Your key cannot list journeys: it needs the read scope\./);
    await agentPage.close();
  });

  it('finds a customer by email and by phone with their instances, and opens them', async () => {
    const page = await newPage();
    await signIn(page, gw.apiKey);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();

    await page.getByLabel('Search by').selectOption('email');
    await page.getByLabel('Email').fill(customers.ana.email.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    const ana = page.getByRole('article', { name: 'Customer ana' });
    const instances = ana.getByRole('table', { name: 'Journey instances of ana' });
    await instances.waitFor();
    const cells = await instances.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['abandoned-cart', 'ana-cart', 'Active']);
    expect(cells[3]).not.toBe('');
    expect(await page.getByRole('article').count()).toBe(1);

    await page.getByLabel('Search by').selectOption('phone');
    await page.getByLabel('Phone').fill(customers.bruno.phone);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('article', { name: 'Customer bruno' }).waitFor();
    expect(page.url()).toContain(`by=phone&q=${encodeURIComponent(customers.bruno.phone)}`);
    await shoot(page, 'search');

    // A phone that is not one: the gateway's message, in words.
    await page.getByLabel('Phone').fill('12');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('is not a phone number in international format');

    await page.getByLabel('Phone').fill(customers.bruno.phone);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'bruno', exact: true }).click();
    await page.getByRole('heading', { name: 'Customer bruno' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/customers/bruno');
    await page.close();
  });

  it('shows a customer: traits, identities, consent, instances and timeline, also when opened by URL', async () => {
    const page = await newPage();
    await signIn(page, gw.apiKey);
    await page.goto(`${gw.url}/console/customers/ana`);
    await page.getByRole('heading', { name: 'Customer ana' }).waitFor();
    const traits = page.getByRole('region', { name: 'Traits' });
    await expect(traits.textContent()).resolves.toContain('first_nameAna');
    await expect(traits.textContent()).resolves.toContain('plangold');
    const identities = await page.getByRole('list', { name: 'Identities' }).getByRole('listitem').allTextContents();
    expect(identities).toEqual(expect.arrayContaining([`email ${customers.ana.email}`, `phone ${customers.ana.phone}`]));
    const consent = await page.getByRole('table', { name: 'Consent' }).getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(consent).toEqual(['SMS', 'marketing', 'SUBSCRIBED', 'api:console-test']);
    const instance = await page.getByRole('table', { name: 'Journey instances' }).getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(instance.slice(0, 3)).toEqual(['abandoned-cart', 'ana-cart', 'Active']);
    const timeline = await page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').allTextContents();
    expect(timeline.some((line) => line.includes('Event') && line.includes('track Cart Updated'))).toBe(true);
    expect(timeline.some((line) => line.includes('Journey step'))).toBe(true);
    // At 1280 px the page never scrolls sideways: a wide table (consent's sources) scrolls in its own box.
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1')).toBe(false);
    await shoot(page, 'customer');

    // Live: a new event of the customer appears without reloading (graphql-ws through the CSP). The
    // subscription starts "from now on" once its socket is up, which the page does not show: the
    // event is sent again until one arrives after it (each one that does refreshes the timeline).
    const wishlist = page.getByRole('list', { name: 'Timeline' }).getByText('track Wishlist Viewed');
    await waitFor(
      'a new event in the timeline, live',
      async () => {
        await ok(`mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, { input: { userId: 'ana', event: 'Wishlist Viewed', properties: {} } });
        return wishlist
          .first()
          .waitFor({ timeout: 2_000 })
          .then(() => true, () => false);
      },
      60_000,
      0,
    );

    await page.goto(`${gw.url}/console/customers/nobody`);
    await page.getByRole('status').filter({ hasText: 'No customer has the user id nobody.' }).waitFor();
    await page.close();
    expect(cspViolations).toEqual([]);
  });
});
