import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEventSignal, type CustomerEvent, type JourneyInput, type JourneyState } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/semantics-journeys';
import { sendThenGo } from './test-support/semantics-journeys';

const E = temporal.api.enums.v1.EventType;

// A journey started with its first events in its input (as a conversation starts a topic's agent), and
// a wait whose event is already there (continuum.ready-waits), on the time-skipping test server with
// the worker's real activities, PostgreSQL and the Twilio emulator.
describe('a journey started with its first events', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ workflowsPath: join(__dirname, 'test-support/semantics-journeys.ts'), journeysModule: journeys });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  const event = (customer: string, name: string): CustomerEvent => {
    const now = new Date().toISOString();
    return { messageId: randomUUID(), workspaceId: DEFAULT_WORKSPACE_ID, userId: customer, type: 'track', event: name, properties: {}, timestamp: now, receivedAt: now };
  };
  const input = (customer: string, events: CustomerEvent[]): JourneyInput => ({ journeyId: sendThenGo.descriptor.id, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, key: customer, events });
  const journal = async (workflowId: string) => (await kit.bed.journal.listEntries(workflowId)).map((entry) => ({ type: entry.type, step: entry.step, event: entry.detail['event'] }));

  it('receives them as it starts, with no signal, and does not block on a wait they already satisfy: one workflow task before the send, no upsert or journal write of the wait', async () => {
    await kit.identify('se-ana', { phone: '+14155550811' });
    const workflowId = `journey/${sendThenGo.descriptor.id}/se-ana`;
    const state = await kit.run(() =>
      kit.bed.env.client.workflow.execute<(input: JourneyInput) => Promise<JourneyState>>(sendThenGo.descriptor.workflowType, {
        taskQueue: kit.bed.taskQueue,
        workflowId,
        args: [input('se-ana', [event('se-ana', 'Send Then Go'), event('se-ana', 'Go')])],
      }),
    );
    expect(state).toMatchObject({ status: 'completed', eventsAccepted: 2 });
    expect(kit.messagesTo('+14155550811').map((sms) => sms.body)).toEqual(['Your parcel is on its way']);
    // Entered with the first of them; the wait for `Go` (already there) is journaled, not waited on.
    const entries = await journal(workflowId);
    expect(entries[0]).toMatchObject({ type: 'entered', event: 'Send Then Go' });
    expect(entries.map((entry) => entry.type)).toEqual(expect.arrayContaining(['message.sent', 'completed']));

    const history = (await kit.bed.env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const count = (type: number) => history.filter((each) => each.eventType === type).length;
    expect(count(E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).toBe(0);
    expect(count(E.EVENT_TYPE_TIMER_STARTED)).toBe(0);
    // The send's task, then the end's: the step's upsert before the send and the final one, nothing for the ready wait.
    expect(count(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(2);
    const steps = history.flatMap((each) => {
      const step = each.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.['JourneyStep']?.data;
      return step ? [JSON.parse(Buffer.from(step).toString()) as string] : [];
    });
    expect(steps).toEqual(['notify', 'done']);
    const patches = history.flatMap((each) => (each.markerRecordedEventAttributes?.markerName === 'core_patch' ? [Buffer.from(each.markerRecordedEventAttributes.details!['patch-data']!.payloads![0]!.data!).toString()] : []));
    expect(patches.some((patch) => patch.includes('continuum.ready-waits'))).toBe(true);
  });

  it('receives them before the signals already waiting when it starts (a signal-with-start: its signal comes after them)', async () => {
    await kit.identify('se-bo', { phone: '+14155550812' });
    const workflowId = `journey/${sendThenGo.descriptor.id}/se-bo`;
    const state = await kit.run(async () => {
      const handle = await kit.bed.env.client.workflow.signalWithStart(sendThenGo.descriptor.workflowType, {
        taskQueue: kit.bed.taskQueue,
        workflowId,
        args: [input('se-bo', [event('se-bo', 'Send Then Go')])],
        signal: customerEventSignal,
        signalArgs: [event('se-bo', 'Go')],
      });
      return (await handle.result()) as JourneyState;
    });
    // `Send Then Go` first (the entry event), then `Go`, which the wait found already there.
    expect(state).toMatchObject({ status: 'completed', eventsAccepted: 2 });
    expect((await journal(workflowId))[0]).toMatchObject({ type: 'entered', event: 'Send Then Go' });
    expect(kit.messagesTo('+14155550812')).toHaveLength(1);
  });
});
