import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, undeclaredNextSteps, undeclaredSteps, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/trial-ending-reminder';
import { trialEndingReminder, trialEndingText, trialUsage } from './test-support/trial-ending-reminder';

const DAY = 24 * 60 * 60 * 1000;
const iso = (at: number) => new Date(at).toISOString();

// The example of docs/journeys.md ("A journey from the guide alone"), run as the guide says to test
// a journey: time-skipping Temporal, real activities, a warehouse, the emulator's SMS and email.
describe("the journey authors' guide: a trial-ending reminder", () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({
      workflowsPath: join(__dirname, 'test-support/trial-ending-reminder.ts'),
      journeysModule: journeys,
      warehouse: true,
      lookups: [trialUsage],
    });
    await kit.warehouse(`CREATE TABLE trial_usage (user_id text PRIMARY KEY, projects integer NOT NULL)`);
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('emails three days before trial_ends_at, with what the warehouse says they made', async () => {
    await kit.identify('trial-ana', { first_name: 'Ana', email: 'Ana@Example.com', phone: '+14155550901' });
    await kit.warehouse(`INSERT INTO trial_usage VALUES ('trial-ana', 3)`);
    const endsAt = Math.ceil(((await kit.now()) + 14 * DAY) / 1000) * 1000;
    await kit.run(async () => {
      const trial = await kit.enter(trialEndingReminder, 'trial-ana', 'Trial Started', { trial_ends_at: iso(endsAt) });
      expect(await trial.result()).toMatchObject({ status: 'completed', step: 'done' });
      expect(await trial.path({ steps: true })).toEqual([
        'entered@entry',
        'wait.started@wait-until-reminder-day',
        'wait.ended@wait-until-reminder-day',
        'message.sent@trial-ending-reminder',
        'completed@done',
      ]);
      const journal = await trial.journal();
      expect(journal.find((line) => line.type === 'wait.started')!.detail).toMatchObject({ kind: 'until-date', date: iso(endsAt - 3 * DAY), until: iso(endsAt - 3 * DAY) });
      const sent = journal.find((line) => line.type === 'message.sent')!;
      expect(sent.detail).toMatchObject({ channel: 'email' });
      expect(sent.at.getTime()).toBeGreaterThanOrEqual(endsAt - 3 * DAY);
      expect(sent.at.getTime()).toBeLessThan(endsAt - 3 * DAY + 60_000);
      expect(journal.at(-1)!.detail).toEqual({ channel: 'email' });
      expect(undeclaredSteps(trialEndingReminder, journal)).toEqual([]);
      await expect(kit.replay(await trial.handle.fetchHistory())).resolves.toBeUndefined();
    });
    const emails = kit.emailsTo('ana@example.com');
    expect(emails.map((email) => email.subject)).toEqual(['Your trial ends soon']);
    expect(emails[0]!.content).toEqual([{ type: 'text/plain', value: trialEndingText('Ana', endsAt, { rows: [{ projects: 3 }], truncated: false }) }]);
    expect(emails[0]!.content[0]!.value).toContain('You have made 3 projects: choose a plan to keep them.');
    expect(kit.messagesTo('+14155550901')).toEqual([]);
  });

  it('falls back to SMS for a customer without an email address, journaling why', async () => {
    await kit.identify('trial-bo', { first_name: 'Bo', phone: '+14155550902' });
    const endsAt = (await kit.now()) + 5 * DAY;
    await kit.run(async () => {
      const trial = await kit.enter(trialEndingReminder, 'trial-bo', 'Trial Started', { trial_ends_at: iso(endsAt) });
      expect(await trial.result()).toMatchObject({ status: 'completed' });
      expect(await trial.path({ kinds: ['message.sent', 'message.skipped', 'channel.fallback'] })).toEqual(['message.skipped', 'channel.fallback', 'message.sent']);
      const fallback = (await trial.journal()).find((line) => line.type === 'channel.fallback')!;
      expect(fallback.detail).toMatchObject({ from: 'email', to: 'sms', reason: 'email skipped: no email address on profile for email' });
    });
    expect(kit.messagesTo('+14155550902').map((message) => message.body)).toEqual([trialEndingText('Bo', endsAt, { rows: [], truncated: false })]);
    expect(kit.messagesTo('+14155550902')[0]!.body).toMatch(/^Hi Bo, your trial ends on \d{1,2} [A-Z][a-z]+\. Choose a plan to keep your work\.$/);
  });

  it('ends with nothing sent when the customer subscribes during the wait', async () => {
    await kit.identify('trial-cy', { first_name: 'Cy', email: 'cy@example.com' });
    await kit.run(async () => {
      const trial = await kit.enter(trialEndingReminder, 'trial-cy', 'Trial Started', { trial_ends_at: iso((await kit.now()) + 10 * DAY) });
      await kit.skip('2 days');
      await trial.send('Subscription Started');
      expect(await trial.result()).toMatchObject({ status: 'exited', exitReason: 'event: Subscription Started' });
      expect(await trial.path()).toEqual(['entered', 'wait.started', 'exited']);
    });
    expect(kit.emailsTo('cy@example.com')).toEqual([]);
  });

  it('exits saying why when trial_ends_at is not a date', async () => {
    await kit.identify('trial-di', { first_name: 'Di', email: 'di@example.com' });
    await kit.run(async () => {
      const trial = await kit.enter(trialEndingReminder, 'trial-di', 'Trial Started', { trial_ends_at: 'next month' });
      expect(await trial.result()).toMatchObject({ status: 'exited', exitReason: 'trial_ends_at is not a date: "next month"' });
      expect((await trial.journal()).at(-1)!.detail).toEqual({ reason: 'trial_ends_at is not a date: "next month"', nothingSent: true });
    });
    expect(kit.emailsTo('di@example.com')).toEqual([]);
  });

  // The kit stamps events with the test server's time: after a skip the wall clock is far behind it,
  // and a journey that counts from `event.timestamp` would otherwise find its date long past.
  it("counts the trial from the entry event's timestamp, in the test server's time, after the test has skipped a month", async () => {
    await kit.skip('30 days');
    await kit.identify('trial-eli', { first_name: 'Eli', email: 'eli@example.com' });
    await kit.run(async () => {
      const before = await kit.now();
      const trial = await kit.enter(trialEndingReminder, 'trial-eli', 'Trial Started');
      const after = await kit.now();
      expect(await trial.result()).toMatchObject({ status: 'completed' });
      const journal = await trial.journal();
      const remindAt = Date.parse(String(journal.find((line) => line.type === 'wait.started')!.detail['date']));
      // 14 days of trial from the event, less the 3 days of notice.
      expect(remindAt).toBeGreaterThanOrEqual(before + 11 * DAY);
      expect(remindAt).toBeLessThanOrEqual(after + 11 * DAY);
      const sent = journal.find((line) => line.type === 'message.sent')!;
      expect(sent.at.getTime() - journal[0]!.at.getTime()).toBeGreaterThanOrEqual(11 * DAY - 60_000);
    });
    expect(kit.emailsTo('eli@example.com')).toHaveLength(1);
  });

  it('is catalogued once per customer, its step list naming every next step', () => {
    expect(trialEndingReminder.descriptor).toMatchObject({ workflowType: 'trialEndingReminder', key: undefined, reentry: 'once', exitOn: ['Subscription Started'] });
    expect(undeclaredNextSteps(trialEndingReminder)).toEqual([]);
  });

  it('words the reminder with the day the trial ends and what they made', () => {
    const endsAt = Date.parse('2026-03-12T09:00:00Z');
    expect(trialEndingText('Ana', endsAt, { rows: [{ projects: 1 }], truncated: false })).toBe('Hi Ana, your trial ends on 12 March. You have made 1 project: choose a plan to keep them.');
    expect(trialEndingText('Bo', endsAt, undefined)).toBe('Hi Bo, your trial ends on 12 March. Choose a plan to keep your work.');
  });
});

describe("the journey authors' guide shows the trial-ending reminder as it is tested", () => {
  it('has the journey and its lookup verbatim', () => {
    const guide = readFileSync(join(__dirname, '../../../docs/journeys.md'), 'utf8');
    const code = readFileSync(join(__dirname, 'test-support/trial-ending-reminder.ts'), 'utf8');
    const journey = code.slice(code.indexOf('export const trialEndingReminder')).trimEnd();
    const lookup = code.slice(code.indexOf('export const trialUsage'), code.indexOf('});', code.indexOf('export const trialUsage')) + 3);
    expect(journey.length).toBeGreaterThan(1000);
    expect(guide).toContain(journey);
    expect(guide).toContain(lookup);
  });
});
