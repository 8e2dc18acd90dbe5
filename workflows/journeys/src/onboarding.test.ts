import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, undeclaredNextSteps, undeclaredSteps, type InstanceUnderTest, type JourneyTestKit } from '@continuum/testing';
import { freeUpgradeInvite, onboarding, trialUpgradeInvite } from './onboarding';

const HISTORIES = join(__dirname, '..', 'histories');

const HOUR = 60 * 60 * 1000;
const SAO_PAULO = 'America/Sao_Paulo';
const UPGRADE_URL = 'https://example.com/upgrade';

/** "Fri 19:00" for an instant, in a time zone. */
function wallClock(at: Date | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** The first full UTC hour after `from` that reads `"<weekday> <HH>:00"` in `timeZone` (whole-hour offsets only). */
function nextWallClockHour(from: number, timeZone: string, reading: string): number {
  for (let at = Math.floor(from / HOUR) * HOUR + HOUR; at < from + 8 * 24 * HOUR; at += HOUR) {
    if (wallClock(at, timeZone) === reading) return at;
  }
  throw new Error(`no ${reading} in ${timeZone} within 8 days`);
}

async function waitingSince(instance: InstanceUnderTest): Promise<{ until: string }> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const started = (await instance.journal()).find((line) => line.type === 'wait.started');
    if (started) return started.detail as { until: string };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${instance.workflowId} never started its wait`);
}

describe('onboarding, free to paid (time-skipping, real activities)', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit();
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('invites a free user in São Paulo who signs up on Friday evening at 10:00 on Monday, São Paulo time', async () => {
    await kit.identify('ana', { first_name: 'Ana', phone: '+5511987650001', timezone: SAO_PAULO, plan: 'free' });
    const fridayEvening = nextWallClockHour(await kit.now(), SAO_PAULO, 'Fri 19:00');
    await kit.skip(fridayEvening - (await kit.now()));
    const mondayMorning = nextWallClockHour(fridayEvening, SAO_PAULO, 'Mon 10:00');
    await kit.run(async () => {
      const ana = await kit.enter(onboarding, 'ana', 'Signed Up');
      expect(await ana.result()).toMatchObject({ status: 'completed', step: 'done' });
      await kit.recordHistory(ana, 'onboarding-free-plan', HISTORIES);
      expect(await ana.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'branch.taken', 'message.sent', 'completed']);

      const journal = await ana.journal();
      const entered = journal.find((line) => line.type === 'entered')!.at;
      const wait = journal.find((line) => line.type === 'wait.started')!;
      const sent = journal.find((line) => line.type === 'message.sent')!;
      expect(wallClock(entered, SAO_PAULO)).toBe('Fri 19:00');
      expect(wait.detail).toMatchObject({ kind: 'local-time', time: '10:00', timeZone: SAO_PAULO, until: new Date(mondayMorning).toISOString() });
      expect(sent.step).toBe('free-upgrade-sms');
      expect(wallClock(sent.at, SAO_PAULO)).toBe('Mon 10:00');
      expect(sent.at.getTime()).toBeGreaterThanOrEqual(mondayMorning);
      expect(sent.at.getTime()).toBeLessThan(mondayMorning + 60_000);
      expect(journal.find((line) => line.type === 'branch.taken')).toMatchObject({
        step: 'choose-message-by-plan',
        detail: { outcome: 'free', reason: 'plan is "free"' },
      });
      expect(undeclaredSteps(onboarding, journal)).toEqual([]);
      await expect(kit.replay(await ana.handle.fetchHistory())).resolves.toBeUndefined();
    });
    expect(kit.messagesTo('+5511987650001').map((message) => message.body)).toEqual([freeUpgradeInvite('Ana', UPGRADE_URL)]);
    expect(freeUpgradeInvite('Ana', UPGRADE_URL)).toBe(
      "Hi Ana, thanks for joining us! You're on the Free plan. Upgrade any time to unlock every feature and lift the limits: https://example.com/upgrade",
    );
  });

  it('asks a trial user to choose a plan, and sends a paid customer nothing, journaling the branch', async () => {
    await kit.identify('ben', { first_name: 'Ben', phone: '+14155550212', plan: 'trial' });
    await kit.identify('cleo', { first_name: 'Cleo', phone: '+14155550213', plan: 'paid' });
    await kit.run(async () => {
      const ben = await kit.enter(onboarding, 'ben', 'Signed Up');
      const cleo = await kit.enter(onboarding, 'cleo', 'Signed Up');
      expect(await ben.result()).toMatchObject({ status: 'completed' });
      expect(await cleo.result()).toMatchObject({ status: 'exited', exitReason: 'already on a paid plan' });

      const benJournal = await ben.journal();
      expect(benJournal.find((line) => line.type === 'wait.started')!.detail).toMatchObject({ timeZone: 'UTC' });
      expect(benJournal.find((line) => line.type === 'branch.taken')!.detail).toEqual({ outcome: 'trial', reason: 'plan is "trial"' });
      expect(benJournal.find((line) => line.type === 'message.sent')!.step).toBe('trial-upgrade-sms');
      expect(wallClock(benJournal.find((line) => line.type === 'message.sent')!.at, 'UTC')).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 10:00$/);

      expect(await cleo.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'branch.taken', 'exited']);
      const cleoJournal = await cleo.journal();
      expect(cleoJournal.find((line) => line.type === 'branch.taken')!.detail).toEqual({ outcome: 'no-message', reason: 'plan is "paid"' });
      expect(cleoJournal.at(-1)!.detail).toEqual({ reason: 'already on a paid plan', nothingSent: true });
      expect(undeclaredSteps(onboarding, [...benJournal, ...cleoJournal])).toEqual([]);
    });
    expect(kit.messagesTo('+14155550212').map((message) => message.body)).toEqual([trialUpgradeInvite('Ben', UPGRADE_URL)]);
    expect(kit.messagesTo('+14155550213')).toHaveLength(0);
  });

  it('ends with no message when a subscription starts during the wait', async () => {
    await kit.identify('dani', { first_name: 'Dani', phone: '+14155550214', timezone: SAO_PAULO, plan: 'free' });
    await kit.run(async () => {
      const dani = await kit.enter(onboarding, 'dani', 'Signed Up');
      const { until } = await waitingSince(dani);
      // Half-way through the wait, whatever day the test server's clock is on.
      await kit.skip(Math.floor((Date.parse(until) - (await kit.now())) / 2));
      expect(await dani.state()).toMatchObject({ status: 'active', step: 'wait-for-weekday-morning' });
      await dani.send('Subscription Started', { plan: 'pro' });
      expect(await dani.result()).toMatchObject({ status: 'exited', exitReason: 'event: Subscription Started', step: 'exit' });
      expect(await dani.path()).toEqual(['entered', 'wait.started', 'exited']);
      expect((await dani.journal()).at(-1)!.at.getTime()).toBeLessThan(Date.parse(until));
    });
    expect(kit.messagesTo('+14155550214')).toHaveLength(0);
  });

  it('is catalogued as once per customer, routed the events it needs', () => {
    const { descriptor } = onboarding;
    expect(descriptor).toMatchObject({ workflowType: 'onboarding', key: undefined, reentry: 'once', exitOn: ['Subscription Started'] });
    expect([...descriptor.listensTo].sort()).toEqual(['Signed Up', 'Subscription Started']);
    expect(undeclaredNextSteps(onboarding)).toEqual([]);
  });
});
