import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { JourneyCatalogueStore } from '@continuum/data';
import { waitFor } from '@continuum/testing';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, journeyDescriptors, type JourneyWorker } from '@continuum/worker';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../../../services/gateway/src/test-support/gateway-fixture';
import { seriousAxeViolations } from './accessibility';

const workspaceRoot = join(__dirname, '..', '..', '..');
/** CONSOLE_SCREENSHOTS=docs/console writes the screenshots of the docs from this test's real data. */
const screenshots = process.env['CONSOLE_SCREENSHOTS'] ? join(workspaceRoot, process.env['CONSOLE_SCREENSHOTS']) : null;

interface Step {
  step: string;
  active: number;
  reached: number;
}
interface Stats {
  entered: number;
  exited: number;
  exitedByReason: Array<{ reason: string; count: number }>;
  goalConversion: { entered: number; converted: number } | null;
  messages: Array<{ channel: string; total: number }>;
}

// The journey, instance and inbox views as an operator and an agent use them, against the real gateway (PostgreSQL, a
// Temporal dev server, a journey worker, the Twilio emulator): data created through the API shows up
// live, keyboard and axe-core checks, and the 390 px layout.
describe('the console views: a journey, an instance, the agents\' inbox', { timeout: 240_000 }, () => {
  let gw: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(workspaceRoot, 'tools/console-build.mjs')], { cwd: workspaceRoot });
    gw = await startGatewayFixture({ beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'console-views-test') });
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    worker = await createJourneyWorker(await workerConfigFor(gw, emulatorUrl, { ABANDONED_CART_IDLE_TIMEOUT: '1h' }));
    running = worker.run();
    await addCustomerWithCart('ana', '+14155550131');
    await addCustomerWithCart('bruno', '+14155550132');
    await waitFor('both carts active', async () => (await steps()).some((step) => step.active === 2), 60_000);
    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    if (screenshots) mkdirSync(screenshots, { recursive: true });
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

  async function track(userId: string, cart: string): Promise<void> {
    await ok(`mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, {
      input: { userId, event: 'Cart Updated', properties: { cart_id: cart, items: [{ name: 'Teal Scarf' }] } },
    });
  }

  async function addCustomerWithCart(userId: string, phone: string): Promise<void> {
    await ok(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, {
      input: { userId, traits: { first_name: userId, email: `${userId}@example.test`, phone, timezone: 'UTC' } },
    });
    await ok(`mutation($input: SetConsentInput!) { setConsent(input: $input) { userErrors { message } } }`, {
      input: { userId, channel: 'SMS', status: 'SUBSCRIBED', source: 'console-test' },
    });
    await track(userId, `${userId}-cart`);
  }

  async function steps(): Promise<Step[]> {
    return (await ok<{ journey: { steps: Step[] } }>(`{ journey(key: "abandoned-cart") { steps { step active reached } } }`)).journey.steps;
  }

  async function stats(): Promise<Stats> {
    return (
      await ok<{ journeyStats: Stats }>(
        `{ journeyStats(journeyId: "abandoned-cart") { entered exited exitedByReason { reason count } goalConversion { entered converted } messages { channel total } } }`,
      )
    ).journeyStats;
  }

  async function instanceOf(userId: string): Promise<{ id: string; status: string; timeline: { nodes: Array<{ type: string }> } }> {
    const { journeyInstances } = await ok<{ journeyInstances: { nodes: Array<{ id: string; status: string; timeline: { nodes: Array<{ type: string }> } }> } }>(
      `query($userId: String!) { journeyInstances(filter: { userId: $userId, journeyId: "abandoned-cart" }, first: 1) { nodes { id status timeline(first: 100) { nodes { type } } } } }`,
      { userId },
    );
    return journeyInstances.nodes[0]!;
  }

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${gw.url}/console`);
    await page.getByLabel('API key').fill(gw.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Journeys' }).waitFor();
  }

  /** Whether the page scrolls sideways as a whole (it must not at 390 px: wide tables scroll in their own box). */
  async function overflowsSideways(page: Page): Promise<boolean> {
    return page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');
  }

  async function shoot(page: Page, name: string): Promise<void> {
    if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  const cellsOf = (page: Page, table: string, row: string) => page.getByRole('table', { name: table }).getByRole('row', { name: row, exact: true }).getByRole('cell');

  it('shows a journey: its step graph with live counts, exits by reason, the funnel over a date range and its settings', async () => {
    const page = await newPage();
    await signIn(page);
    await shoot(page, 'journeys');
    await page.getByRole('link', { name: 'abandoned-cart', exact: true }).click();
    await page.getByRole('heading', { name: 'Journey abandoned-cart' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/journeys/abandoned-cart');

    // The graph (laid out by dagre) and its text equivalent, with the counts the API gives.
    await page.getByRole('img', { name: /^Step graph of abandoned-cart/ }).waitFor();
    const holding = (await steps()).find((step) => step.active === 2)!;
    await expect(cellsOf(page, 'Steps', holding.step).nth(1).textContent()).resolves.toBe('2');
    expect(await page.locator('svg.step-graph text', { hasText: '2 active' }).count()).toBe(1);

    // Live: a new customer's cart raises the count at the holding step without a reload.
    await addCustomerWithCart('dora', '+14155550133');
    await waitFor('the new cart counted live', async () => (await cellsOf(page, 'Steps', holding.step).nth(1).textContent()) === '3', 60_000, 250);

    // Exits by reason, live: an instance ended through the API.
    const bruno = await instanceOf('bruno');
    await ok(`mutation($input: EndJourneyInstanceInput!) { endJourneyInstance(input: $input) { userErrors { message } } }`, {
      input: { id: bruno.id, reason: 'console test' },
    });
    await waitFor('bruno exited', async () => (await stats()).exited === 1, 60_000);
    const [exit] = (await stats()).exitedByReason;
    await waitFor('the exit shown live', async () => (await page.getByRole('table', { name: 'Exits by reason' }).getByRole('row').count()) === 2, 30_000, 250);
    expect(await page.getByRole('table', { name: 'Exits by reason' }).getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([exit!.reason, '1']);

    // The funnel: entered and goal conversion as journeyStats gives them.
    const funnel = page.getByRole('definition');
    const now = await stats();
    await waitFor('the funnel up to date', async () => (await funnel.nth(0).textContent()) === String(now.entered), 30_000, 250);
    const conversion = await funnel.nth(4).textContent();
    if (now.goalConversion) expect(conversion).toMatch(new RegExp(`^${now.goalConversion.converted} of ${now.goalConversion.entered} \\(`));
    else expect(conversion).toBe('No goal declared');

    // A date range that holds no entry: the URL keeps it; nothing entered, nothing exited.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Entered from').fill(tomorrow);
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitFor('an empty window', async () => (await funnel.nth(0).textContent()) === '0', 30_000, 250);
    expect(new URL(page.url()).searchParams.get('from')).toBe(tomorrow);
    await page.getByText('No instance of the window exited.').waitFor();
    await page.getByRole('button', { name: 'All time' }).click();
    await waitFor('all time again', async () => (await funnel.nth(0).textContent()) === String(now.entered), 30_000, 250);

    // Settings: refused in the form when not a duration, saved when one; the API has it.
    const idle = page.getByLabel('idleTimeout');
    await idle.fill('soon');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Enter a duration such as').waitFor();
    expect(await idle.getAttribute('aria-invalid')).toBe('true');
    await idle.fill('2s');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: idleTimeout' }).waitFor();
    const { journey } = await ok<{ journey: { settings: Array<{ name: string; value: { value: unknown } }> } }>(`{ journey(key: "abandoned-cart") { settings { name value } } }`);
    expect(journey.settings.find((setting) => setting.name === 'idleTimeout')?.value).toEqual({ value: '2s' });

    // Per-channel delivery, live: a cart left idle for 2 s now gets its SMS, delivered by the emulator.
    await addCustomerWithCart('eva', '+14155550134');
    await waitFor('an SMS sent to the cohort', async () => (await stats()).messages.some((m) => m.channel === 'SMS' && m.total >= 1), 90_000, 500);
    await waitFor('the SMS shown live', async () => (await page.getByRole('table', { name: 'Delivery by channel' }).getByRole('row').count()) >= 2, 30_000, 250);
    const sms = await page.getByRole('table', { name: 'Delivery by channel' }).getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(sms[0]).toBe('SMS');
    expect(Number(sms[1])).toBeGreaterThanOrEqual(1);

    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'journey');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflowsSideways(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'journey-390');
    await page.close();
  });

  it('shows an instance: its timeline live, what happened while the socket was down, and ends it after a confirmation', async () => {
    const page = await newPage();
    // The console's graphql-ws socket goes through the test, which can cut it and hold reconnects.
    let offline = false;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      if (offline) return void ws.close({ code: 1011, reason: 'test: offline' });
      ws.connectToServer();
      sockets.push(ws);
    });
    await signIn(page);
    const ana = await instanceOf('ana');
    await page.goto(`${gw.url}/console/instances/${encodeURIComponent(ana.id)}`);
    await page.getByRole('heading', { name: 'Instance ana-cart' }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' }).getByRole('listitem');
    await timeline.filter({ hasText: /^\S.* entry Entered/ }).waitFor();
    await timeline.filter({ hasText: 'Wait started: holdUntilIdle' }).waitFor();
    const resets = timeline.filter({ hasText: /Timer reset #\d+ by Cart Updated/ });

    // Live: the subscription starts "from now on" once its socket is up, which the page does not
    // show: the cart is updated until a reset arrives after it.
    await waitFor(
      'a timer reset in the timeline, live',
      async () => {
        await track('ana', 'ana-cart');
        return resets
          .first()
          .waitFor({ timeout: 2_000 })
          .then(() => true, () => false);
      },
      60_000,
      0,
    );
    await waitFor('every reset so far shown', async () => (await resets.count()) === (await instanceOf('ana')).timeline.nodes.filter((n) => n.type === 'TIMER_RESET').length, 30_000, 250);
    const before = await resets.count();

    // The socket drops and reconnects are refused for a while; meanwhile the cart changes again.
    offline = true;
    for (const socket of sockets.splice(0)) await socket.close({ code: 1011, reason: 'test: offline' });
    await page.getByText('Reconnecting…').waitFor();
    await track('ana', 'ana-cart');
    await waitFor('the reset journaled', async () => (await instanceOf('ana')).timeline.nodes.filter((n) => n.type === 'TIMER_RESET').length === before + 1, 30_000);
    expect(await resets.count()).toBe(before);
    // Back online: the page subscribes again after its last cursor and gets the reset it missed.
    offline = false;
    await waitFor('the missed reset shown after reconnecting', async () => (await resets.count()) === before + 1, 60_000, 250);
    await page.getByText('Live', { exact: true }).waitFor();
    expect(await timeline.filter({ hasText: `Timer reset #${before + 1} by Cart Updated` }).count()).toBe(1);

    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'instance');

    // Ending it: a reason is required, then a confirmation says what happens; Escape cancels.
    await page.getByRole('button', { name: 'End instance' }).click();
    await page.getByText('Say why, in 1 to 500 characters').waitFor();
    await page.getByLabel('Reason').fill('asked by phone to stop');
    await page.getByRole('button', { name: 'End instance' }).click();
    const dialog = page.getByRole('dialog', { name: 'End instance?' });
    await expect(dialog.textContent()).resolves.toContain('Reason: asked by phone to stop');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await instanceOf('ana')).status).toBe('ACTIVE');
    await page.getByRole('button', { name: 'End instance' }).click();
    await dialog.getByRole('button', { name: 'End instance' }).click();
    await timeline.filter({ hasText: /^.*Exited: / }).waitFor({ timeout: 60_000 });
    await page.getByRole('definition').filter({ hasText: /^Exited/ }).waitFor({ timeout: 30_000 });
    expect((await instanceOf('ana')).status).toBe('EXITED');

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflowsSideways(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('runs the agents\' inbox: a topic escalated through the API appears live, is claimed, replied to and resolved', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByText(/^Live · \d+ topics?$/).waitFor();

    // A VIP customer writes in the app: the conversation is escalated to a person, and the open
    // queue shows it without a reload. The subscription starts "from now on" once its socket is up,
    // which the page does not show: customers write until one's topic arrives after it.
    let n = 0;
    await waitFor(
      'an escalated topic in the queue, live',
      async () => {
        const userId = `vip-${++n}`;
        await ok(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, { input: { userId, traits: { first_name: 'Vera', vip: true, timezone: 'UTC' } } });
        await ok(`mutation($input: PostInAppMessageInput!) { postInAppMessage(input: $input) { duplicate userErrors { message } } }`, {
          input: { userId, body: 'How much is the premium plan?' },
        });
        return page
          .getByRole('row', { name: userId, exact: true })
          .waitFor({ timeout: 20_000 })
          .then(() => true, () => false);
      },
      120_000,
      0,
    );
    const vip = `vip-${n}`;
    const row = page.getByRole('row', { name: vip, exact: true });
    expect((await row.getByRole('cell').allTextContents())[1]).toBe('VIP customer');

    await row.getByRole('link', { name: vip }).click();
    await page.getByRole('heading', { name: `Conversation with ${vip}` }).waitFor();
    const messages = page.getByRole('list', { name: 'Messages' }).getByRole('listitem');
    await messages.filter({ hasText: 'How much is the premium plan?' }).waitFor();

    await page.getByLabel('Your name').fill('maria');
    await page.getByRole('button', { name: 'Claim' }).click();
    await waitFor('held by maria', async () => (await row.getByRole('cell').allTextContents())[2] === 'maria', 30_000, 250);
    const topicOf = async () =>
      (await ok<{ agentQueue: { nodes: Array<{ userId: string; status: string; assignedAgent: string | null }> } }>(`{ agentQueue(state: ALL, first: 100) { nodes { userId status assignedAgent } } }`)).agentQueue.nodes.find(
        (topic) => topic.userId === vip,
      );
    expect((await topicOf())?.assignedAgent).toBe('maria');

    await page.getByLabel('Reply').fill('Hello Vera, the premium plan is 20 a month.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await messages.filter({ hasText: 'human:maria' }).filter({ hasText: 'the premium plan is 20 a month' }).waitFor({ timeout: 30_000 });

    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'inbox');

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('dialog', { name: `Resolve the conversation with ${vip}?` }).getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('Resolved', { exact: false }).first().waitFor();
    await waitFor('resolved through the API', async () => (await topicOf()) === undefined || (await topicOf())?.status === 'RESOLVED', 30_000, 250);

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflowsSideways(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
    expect(cspViolations).toEqual([]);
  });
});
