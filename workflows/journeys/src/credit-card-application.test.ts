import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, undeclaredNextSteps, undeclaredSteps, type JourneyTestKit } from '@continuum/testing';
import { applicationReminder, creditCardApplication } from './credit-card-application';

const HISTORIES = join(__dirname, '..', 'histories');

const DAY = 24 * 60 * 60 * 1000;

describe('credit card application (time-skipping, real activities)', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit();
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('reminds about the unfinished application only, naming its card, when the other one is submitted', async () => {
    await kit.identify('ana', { first_name: 'Ana', phone: '+14155550201' });
    await kit.run(async () => {
      const platinum = await kit.enter(creditCardApplication, 'ana', 'Application Started', { application_id: 'app-1', card_name: 'Platinum Rewards' });
      const cashback = await kit.enter(creditCardApplication, 'ana', 'Application Started', { application_id: 'app-2', card_name: 'Cashback Everyday' });
      await kit.skip('2 hours');
      await platinum.send('Application Step Completed', { step: 'personal-details' });
      await cashback.send('Application Step Completed', { step: 'personal-details' });
      await kit.skip('3 hours');
      await platinum.send('Application Step Completed', { step: 'income' });
      await cashback.send('Application Submitted');

      expect(await cashback.result()).toMatchObject({ status: 'exited', exitReason: 'event: Application Submitted', step: 'exit' });
      await kit.recordHistory(cashback, 'credit-card-application-submitted', HISTORIES);
      expect(await cashback.path()).toEqual(['entered', 'wait.started', 'timer.reset', 'exited']);
      expect((await cashback.journal()).at(-1)).toMatchObject({ type: 'exited', detail: { reason: 'event: Application Submitted' } });

      expect(await platinum.result()).toMatchObject({
        status: 'completed',
        timerResets: 2,
        context: { cardName: 'Platinum Rewards', stepsCompleted: 2, lastStep: 'income' },
      });
      expect(await platinum.path({ steps: true })).toEqual([
        'entered@entry',
        'wait.started@wait-for-idle-application',
        'timer.reset@wait-for-idle-application',
        'timer.reset@wait-for-idle-application',
        'wait.ended@wait-for-idle-application',
        'message.sent@application-reminder-sms',
        'completed@done',
      ]);
      // A full idle day after the last completed step, in workflow time.
      const journal = await platinum.journal();
      const lastStep = journal.filter((line) => line.type === 'timer.reset').at(-1)!.at.getTime();
      const sentAfter = journal.find((line) => line.type === 'message.sent')!.at.getTime() - lastStep;
      expect(sentAfter).toBeGreaterThanOrEqual(DAY);
      expect(sentAfter).toBeLessThan(DAY + 60_000);
      expect(undeclaredSteps(creditCardApplication, [...journal, ...(await cashback.journal())])).toEqual([]);
      await expect(kit.replay(await platinum.handle.fetchHistory())).resolves.toBeUndefined();
    });
    expect(kit.messagesTo('+14155550201').map((message) => message.body)).toEqual([
      "Hi Ana, your Platinum Rewards application is waiting for you. We've saved your progress, so you can pick up where you left off and finish in a few minutes.",
    ]);
  });

  it('sends one reminder per unfinished application, each naming its own card', async () => {
    await kit.identify('bruno', { first_name: 'Bruno', phone: '+14155550202' });
    await kit.run(async () => {
      const travel = await kit.enter(creditCardApplication, 'bruno', 'Application Started', { application_id: 'b-1', card_name: 'Travel Miles' });
      await kit.skip('1 hour');
      const student = await kit.enter(creditCardApplication, 'bruno', 'Application Started', { application_id: 'b-2', card_name: 'Student Starter' });
      expect(await travel.result()).toMatchObject({ status: 'completed' });
      expect(await student.result()).toMatchObject({ status: 'completed' });
      expect(await travel.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'message.sent', 'completed']);
    });
    expect(kit.messagesTo('+14155550202').map((message) => message.body)).toEqual([
      applicationReminder('Bruno', 'Travel Miles'),
      applicationReminder('Bruno', 'Student Starter'),
    ]);
  });

  it('is catalogued with one instance per application, routed the events it needs', () => {
    const { descriptor } = creditCardApplication;
    expect(descriptor).toMatchObject({ workflowType: 'creditCardApplication', key: 'properties.application_id', reentry: 'always', exitOn: ['Application Submitted'] });
    expect([...descriptor.listensTo].sort()).toEqual(['Application Started', 'Application Step Completed', 'Application Submitted']);
    expect(undeclaredNextSteps(creditCardApplication)).toEqual([]);
  });
});
