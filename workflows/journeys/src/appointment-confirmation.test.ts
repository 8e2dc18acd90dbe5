import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendOutcome } from '@continuum/contracts';
import { createJourneyTestKit, undeclaredSteps, type InstanceUnderTest, type JourneyTestKit } from '@continuum/testing';
import { appointmentConfirmation } from './appointment-confirmation';

const HISTORIES = join(__dirname, '..', 'histories');

/** A customer's SMS reply as the gateway routes it: correlated with the journey message it answers. */
function reply(body: string, messageId: string | undefined, instance: InstanceUnderTest) {
  return {
    channel: 'sms',
    body,
    ...(messageId ? { in_reply_to: { message_id: messageId, instance_id: instance.workflowId, journey_id: 'appointment-confirmation', step: 'ask-confirmation' } } : {}),
  };
}

describe('appointment confirmation (time-skipping, real activities, the emulator)', () => {
  let kit: JourneyTestKit;
  /** Runs after a send activity has finished and before the workflow hears of it. */
  let whileSending: ((outcome: SendOutcome) => Promise<void>) | undefined;
  beforeAll(async () => {
    kit = await createJourneyTestKit({
      afterActivity: async (name, result) => {
        if ((name === 'sendSms' || name === 'sendMessage') && whileSending) await whileSending(result as SendOutcome);
      },
    });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('takes a YES that arrives while its SMS is still being sent', async () => {
    await kit.identify('ana', { first_name: 'Ana', phone: '+14155550901' });
    await kit.run(async () => {
      const entered: { instance?: InstanceUnderTest } = {};
      let asked: string | undefined;
      // The customer answers before the workflow has heard that its SMS went out.
      whileSending = async (outcome) => {
        if (asked !== undefined || outcome.status !== 'sent') return;
        asked = outcome.messageId;
        // The send can finish before `enter` has handed back the instance.
        while (!entered.instance) await new Promise((resolve) => setTimeout(resolve, 10));
        await entered.instance!.send('Message Received', reply('YES', asked, entered.instance!));
      };
      const appointment = (entered.instance = await kit.enter(appointmentConfirmation, 'ana', 'Appointment Booked', { appointment_id: 'apt-1', starts_at: 'Monday 10:00' }));
      try {
        expect(await appointment.result()).toMatchObject({ status: 'completed' });
      } finally {
        whileSending = undefined;
      }
      await kit.recordHistory(appointment, 'appointment-confirmation-reply-during-send', HISTORIES);
      expect((await appointment.journal()).find((line) => line.type === 'wait.started')?.detail).toMatchObject({ replyTo: asked });
      expect((await appointment.journal()).find((line) => line.type === 'completed')?.detail).toMatchObject({ confirmed: true });
      expect(await appointment.path()).toEqual(['entered', 'message.sent', 'wait.started', 'wait.ended', 'message.sent', 'completed']);
      expect(undeclaredSteps(appointmentConfirmation, await appointment.journal())).toEqual([]);
      await expect(kit.replay(await appointment.handle.fetchHistory())).resolves.toBeUndefined();
    });
    expect(kit.messagesTo('+14155550901').map((message) => message.body)).toEqual([
      'Hi Ana, your appointment is on Monday 10:00. Reply YES to confirm.',
      'Thanks, your appointment on Monday 10:00 is confirmed.',
    ]);
  });

  it('does not take a YES the gateway correlated with another message; an uncorrelated one after the wait began counts', async () => {
    await kit.identify('bia', { first_name: 'Bia', phone: '+14155550902' });
    await kit.run(async () => {
      const appointment = await kit.enter(appointmentConfirmation, 'bia', 'Appointment Booked', { appointment_id: 'apt-2', starts_at: 'Tuesday 15:00' });
      await kit.skip('1 hour');
      await appointment.send('Message Received', reply('YES', '00000000-0000-4000-8000-000000000000', appointment));
      await kit.skip('1 hour');
      expect((await appointment.state()).status).toBe('active');
      // Not a YES: the filter still applies to a correlated reply.
      await appointment.send('Message Received', reply('no thanks', undefined, appointment));
      await kit.skip('1 hour');
      expect((await appointment.state()).status).toBe('active');
      await appointment.send('Message Received', reply('yes please', undefined, appointment));
      expect(await appointment.result()).toMatchObject({ status: 'completed' });
      expect((await appointment.journal()).find((line) => line.type === 'completed')?.detail).toMatchObject({ confirmed: true });
    });
    expect(kit.messagesTo('+14155550902').map((message) => message.body)).toEqual([
      'Hi Bia, your appointment is on Tuesday 15:00. Reply YES to confirm.',
      'Thanks, your appointment on Tuesday 15:00 is confirmed.',
    ]);
  });

  it('ends unconfirmed when no reply comes in time', async () => {
    await kit.identify('caio', { first_name: 'Caio', phone: '+14155550903' });
    await kit.run(async () => {
      const appointment = await kit.enter(appointmentConfirmation, 'caio', 'Appointment Booked', { appointment_id: 'apt-3', starts_at: 'Friday 09:00' });
      expect(await appointment.result()).toMatchObject({ status: 'completed' });
      const ended = (await appointment.journal()).find((line) => line.type === 'wait.ended');
      expect(ended?.detail).toEqual({ outcome: 'timeout' });
      expect((await appointment.journal()).find((line) => line.type === 'completed')?.detail).toEqual({ confirmed: false });
    });
    expect(kit.messagesTo('+14155550903')).toHaveLength(1);
  });
});
