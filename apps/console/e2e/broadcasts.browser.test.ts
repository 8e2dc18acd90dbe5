import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { waitFor } from '@continuum/testing';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, type JourneyWorker } from '@continuum/worker';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../../../services/gateway/src/test-support/gateway-fixture';
import { seriousAxeViolations } from './accessibility';

const workspaceRoot = join(__dirname, '..', '..', '..');
/** CONSOLE_SCREENSHOTS=docs/console writes the screenshots of the docs from this test's real data. */
const screenshots = process.env['CONSOLE_SCREENSHOTS'] ? join(workspaceRoot, process.env['CONSOLE_SCREENSHOTS']) : null;

interface BroadcastCounts {
  id: string;
  name: string;
  status: string;
  sent: number;
  skippedTotal: number;
}

// The broadcasts and templates views against the real gateway (PostgreSQL, a Temporal dev server, a
// worker that runs the broadcasts, the Twilio emulator that delivers them): what is created through
// the API shows up live, keyboard and axe-core checks, and the 390 px layout.
describe('the console views: broadcasts and templates', { timeout: 300_000 }, () => {
  let gw: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(workspaceRoot, 'tools/console-build.mjs')], { cwd: workspaceRoot });
    gw = await startGatewayFixture();
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    worker = await createJourneyWorker(await workerConfigFor(gw, emulatorUrl));
    running = worker.run();
    // Four customers in Lisbon; three took SMS marketing, one unsubscribed (the broadcast skips him).
    for (const [n, userId] of ['lia', 'rui', 'tó', 'zé'].entries()) {
      await ok(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, {
        input: { userId, traits: { first_name: userId, city: 'Lisbon', phone: `+1415555014${n}`, timezone: 'UTC' } },
      });
      await ok(`mutation($input: SetConsentInput!) { setConsent(input: $input) { userErrors { message } } }`, {
        input: { userId, channel: 'SMS', status: userId === 'zé' ? 'UNSUBSCRIBED' : 'SUBSCRIBED', source: 'console-test' },
      });
    }
    await ok(`mutation($input: SaveAudienceInput!) { saveAudience(input: $input) { userErrors { message } } }`, {
      input: { name: 'lisbon', definition: { trait: { name: 'city', eq: { string: 'Lisbon' } } } },
    });
    await ok(`mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { userErrors { message } } }`, {
      input: { name: 'spring-sale', channel: 'SMS', body: 'Hi {{ profile.traits.first_name }}, spring sale today!' },
    });
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

  async function broadcasts(): Promise<BroadcastCounts[]> {
    return (await ok<{ broadcasts: { nodes: BroadcastCounts[] } }>(`{ broadcasts(first: 50) { nodes { id name status sent skippedTotal } } }`)).broadcasts.nodes;
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

  async function overflowsSideways(page: Page): Promise<boolean> {
    return page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');
  }

  async function shoot(page: Page, name: string): Promise<void> {
    if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  const figure = (page: Page, term: string) => page.locator(`#broadcast-figures dt:text-is("${term}") + dd`);

  it('creates a broadcast for an audience from the form, shows its progress live, and pauses and resumes it', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByRole('heading', { name: 'Broadcasts', exact: true }).waitFor();
    await page.getByText('No broadcast yet').waitFor();

    // The form, by keyboard: labelled fields; what the form can check it says before sending.
    await page.getByLabel('Name').focus();
    await page.keyboard.press('Enter');
    await page.getByText('Give the broadcast a name.', { exact: true }).waitFor();
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Name').fill('Spring in Lisbon');
    await page.getByLabel('Audience').selectOption('lisbon');
    expect(await page.getByLabel('Audience').locator('option:checked').textContent()).toBe('lisbon (4 members)');
    await page.getByLabel('Template').selectOption('spring-sale');
    // Slow enough that the pause below comes between two sends however loaded the machine: 10 s apart.
    await page.getByLabel('Messages per second').fill('0.1');

    // What only the API can check comes back as its user errors, beside the field: a cron it refuses.
    await page.getByLabel('On a schedule').check();
    await page.getByLabel('Cron (minute hour day month weekday)').fill('every morning');
    await page.getByRole('button', { name: 'Create broadcast' }).click();
    await page.getByRole('alert').filter({ hasText: 'The broadcast was not created' }).waitFor();
    expect(await page.getByLabel('Cron (minute hour day month weekday)').getAttribute('aria-invalid')).toBe('true');
    expect(await broadcasts()).toEqual([]);

    // Once, now: created, and the page of the broadcast follows its run live.
    await page.getByLabel('Once, now').check();
    await page.getByRole('button', { name: 'Create broadcast' }).click();
    await page.getByRole('heading', { name: 'Broadcast Spring in Lisbon' }).waitFor();
    const [created] = await broadcasts();
    expect(created).toMatchObject({ name: 'Spring in Lisbon' });
    expect(new URL(page.url()).pathname).toBe(`/console/broadcasts/${encodeURIComponent(created!.id)}`);
    await page.getByText('Live', { exact: true }).waitFor();
    // Paused through the API as soon as the first message is sent (read through the API, so that a page
    // slow to update on a loaded machine cannot let the run finish first), while the page is open.
    await waitFor('the first message sent', async () => ((await broadcasts())[0]?.sent ?? 0) >= 1, 90_000, 100);
    const paused = await ok<{ pauseBroadcast: { userErrors: unknown[] } }>(`mutation($input: PauseBroadcastInput!) { pauseBroadcast(input: $input) { userErrors { message } } }`, {
      input: { id: created!.id },
    });
    expect(paused.pauseBroadcast.userErrors).toEqual([]);
    // The update arrives once, by subscription, for the page; the normalised cache (one Broadcast entity
    // by its Node id) shows it in the page's figures and in the list of all broadcasts under it alike.
    const listed = page.getByRole('table', { name: 'Broadcasts' }).getByRole('row', { name: 'Spring in Lisbon', exact: true });
    await waitFor('the first message sent, shown live', async () => Number(await figure(page, 'Sent').textContent()) >= 1, 60_000, 250);
    await waitFor('paused, shown live', async () => (await figure(page, 'Status').textContent()) === 'Paused', 60_000, 250);
    await waitFor('paused in the list too', async () => (await listed.getByRole('cell').first().textContent()) === 'Paused', 30_000, 250);
    expect((await listed.getByRole('cell').allTextContents())[3]).toBe(await figure(page, 'Sent').textContent());
    expect(await page.getByRole('button', { name: 'Pause' }).isDisabled()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Resumed from the page, by keyboard: the run goes on to every member; the one without consent is skipped.
    await page.getByRole('button', { name: 'Resume' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Resumed.' }).waitFor();
    await waitFor('completed, shown live', async () => (await figure(page, 'Status').textContent()) === 'Completed', 120_000, 250);
    await waitFor('completed in the list too', async () => (await listed.getByRole('cell').allTextContents()).join('|').startsWith('Completed|lisbon|spring-sale · SMS|3|0|1'), 30_000, 250);
    const [done] = await broadcasts();
    expect(done).toMatchObject({ status: 'COMPLETED', sent: 3, skippedTotal: 1 });
    expect(await figure(page, 'Sent').textContent()).toBe('3');
    expect(await figure(page, 'Skipped').textContent()).toBe('1');
    expect(await page.getByRole('table', { name: 'Runs' }).getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual(
      expect.arrayContaining(['completed', '4', '3', '0', '1']),
    );
    // A completed broadcast cannot be paused or cancelled any more.
    expect(await page.getByRole('button', { name: 'Cancel broadcast' }).isDisabled()).toBe(true);
    await shoot(page, 'broadcast');

    // The list has it with its counts.
    await page.getByRole('link', { name: 'Broadcasts' }).first().click();
    const row = page.getByRole('table', { name: 'Broadcasts' }).getByRole('row', { name: 'Spring in Lisbon', exact: true });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['Completed', 'lisbon', 'spring-sale · SMS', '3', '0', '1']));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'broadcasts');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflowsSideways(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'broadcasts-390');
    await page.close();
    expect(cspViolations).toEqual([]);
  });

  it('shows templates per locale with their versions, previews a draft live as it is typed, and publishes it', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates', exact: true }).waitFor();
    const templates = page.getByRole('table', { name: 'Templates' });
    await templates.getByRole('row', { name: 'spring-sale', exact: true }).waitFor();

    // Published through the API while the page is open: it appears without a reload.
    await ok(`mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { userErrors { message } } }`, {
      input: { name: 'welcome', locale: 'pt-BR', channel: 'WHATSAPP', body: 'Bem-vinda, {{ profile.traits.first_name }}!' },
    });
    const welcome = templates.getByRole('row', { name: 'welcome', exact: true });
    await welcome.waitFor({ timeout: 30_000 });
    expect((await welcome.getByRole('cell').allTextContents()).slice(0, 2)).toEqual(['pt-BR v1', 'WHATSAPP']);

    // A template's versions, and the editor seeded with its latest body.
    await templates.getByRole('link', { name: 'spring-sale' }).click();
    await page.getByRole('heading', { name: 'Versions of spring-sale' }).waitFor();
    const defaultVersions = page.getByRole('list', { name: 'Versions in default' }).getByRole('listitem');
    await defaultVersions.first().waitFor();
    expect(await defaultVersions.count()).toBe(1);
    const body = page.getByLabel('Body (Liquid)');
    await waitFor('the editor seeded', async () => (await body.inputValue()).startsWith('Hi {{ profile.traits.first_name }}'), 30_000, 250);
    const preview = page.getByTestId('template-preview');
    await waitFor('the latest rendered', async () => (await preview.textContent()) === 'Hi Ana, spring sale today!', 30_000, 250);

    // A draft in Portuguese, previewed as it is typed: the next version of that locale, not stored.
    await page.getByLabel('Locale').fill('pt');
    await body.fill('');
    await body.pressSequentially('Olá {{ profile.traits.first_name | upcase }}, promoção!');
    await waitFor('the draft rendered live', async () => (await preview.textContent()) === 'Olá ANA, promoção!', 30_000, 250);
    await page.getByText('As v1 (pt, SMS)').waitFor();
    // The sample payload is the data: another name renders at once.
    await page.getByLabel('Sample payload (JSON)').fill('{ "profile": { "traits": { "first_name": "Rui" } } }');
    await waitFor('the new sample rendered', async () => (await preview.textContent()) === 'Olá RUI, promoção!', 30_000, 250);
    // A syntax error is shown where the preview was, with its position; publishing it is refused beside the field.
    await body.fill('Olá {% if profile.traits.vip %}VIP');
    await page.getByText(/^Cannot render: body: Liquid syntax error: tag \{% if profile\.traits\.vip %\} not closed/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Publish version' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not published: body: Liquid syntax error' }).waitFor();
    expect(await body.getAttribute('aria-invalid')).toBe('true');
    const stored = async () =>
      (await ok<{ templates: { nodes: Array<{ locale: string; latest: { version: number; body: string } }> } }>(`{ templates(name: "spring-sale") { nodes { locale latest { version body } } } }`)).templates.nodes;
    expect((await stored()).map((each) => each.locale)).toEqual(['default']);

    // Fixed and published by keyboard: the API has it, the page lists the new locale.
    await body.fill('Olá {{ profile.traits.first_name }}, promoção de primavera!');
    await body.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Publish version');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Published spring-sale (pt) v1.' }).waitFor();
    expect(await stored()).toEqual([
      { locale: 'default', latest: { version: 1, body: 'Hi {{ profile.traits.first_name }}, spring sale today!' } },
      { locale: 'pt', latest: { version: 1, body: 'Olá {{ profile.traits.first_name }}, promoção de primavera!' } },
    ]);
    await page.getByRole('list', { name: 'Versions in pt' }).getByRole('listitem').first().waitFor();

    // A version published elsewhere appears in the open history.
    await ok(`mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { userErrors { message } } }`, {
      input: { name: 'spring-sale', channel: 'SMS', body: 'Hi {{ profile.traits.first_name }}, last day of the spring sale!' },
    });
    await waitFor('v2 listed live', async () => (await defaultVersions.count()) === 2, 30_000, 250);
    expect(await defaultVersions.first().textContent()).toContain('last day of the spring sale');

    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'templates');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflowsSideways(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'templates-390');

    // A brand-new template: once published it is selected (its versions load, the editor starts
    // again from them) and the notice of its publication stays.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'New template' }).waitFor();
    await page.getByLabel('Name').fill('goodbye');
    await page.getByLabel('Body (Liquid)').fill('Bye {{ profile.traits.first_name }}!');
    await page.getByRole('button', { name: 'Publish version' }).click();
    await page.getByRole('heading', { name: 'Versions of goodbye' }).waitFor();
    await page.getByRole('heading', { name: 'New version of goodbye' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Published goodbye (default) v1.' }).waitFor();
    await page.close();
    expect(cspViolations).toEqual([]);
  });
});
