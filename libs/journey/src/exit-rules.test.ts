import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerEvent, JourneyInput, JourneyState } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import { defineJourney } from './define-journey';
import * as journeys from './test-support/semantics-journeys';
import { loyalOnly } from './test-support/semantics-journeys';

// Exit rules with conditions (`exitOn: [{ event, where }]`), on the time-skipping test server with the
// worker's real activities and PostgreSQL: a journey on one audience must not end when the customer
// leaves another one.
describe('exit rules with conditions', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ workflowsPath: join(__dirname, 'test-support/semantics-journeys.ts'), journeysModule: journeys });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  const event = (customer: string, name: string, properties: Record<string, unknown> = {}): CustomerEvent => {
    const now = new Date().toISOString();
    return { messageId: randomUUID(), workspaceId: DEFAULT_WORKSPACE_ID, userId: customer, type: 'track', event: name, properties, timestamp: now, receivedAt: now };
  };
  const run = (customer: string, events: CustomerEvent[]) =>
    kit.run(() =>
      kit.bed.env.client.workflow.execute<(input: JourneyInput) => Promise<JourneyState>>(loyalOnly.descriptor.workflowType, {
        taskQueue: kit.bed.taskQueue,
        workflowId: `journey/${loyalOnly.descriptor.id}/${customer}`,
        args: [{ journeyId: loyalOnly.descriptor.id, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, key: customer, events }],
      }),
    );

  it('publishes the rules with their conditions, and routes every exit event by name', () => {
    expect(loyalOnly.descriptor.exitOn).toEqual(['Audience Exited', 'Account Closed']);
    expect(loyalOnly.descriptor.exitRules).toEqual([{ event: 'Audience Exited', where: { 'properties.audience': 'loyal' } }, { event: 'Account Closed' }]);
    expect(loyalOnly.descriptor.listensTo).toEqual(expect.arrayContaining(['Audience Exited', 'Account Closed', 'Go']));
    // Journeys whose exits are names only publish no rules (their descriptors are as before).
    expect(journeys.longDelay.descriptor).not.toHaveProperty('exitRules');
  });

  it("goes on when the customer leaves another audience (an event like any other), and exits when they leave the journey's", async () => {
    const other = await run('xr-ana', [event('xr-ana', 'Audience Entered', { audience: 'loyal' }), event('xr-ana', 'Audience Exited', { audience: 'churn-risk' }), event('xr-ana', 'Go')]);
    expect(other).toMatchObject({ status: 'completed', eventsAccepted: 3, context: { audienceExitsSeen: 1 } });

    const own = await run('xr-bo', [event('xr-bo', 'Audience Entered', { audience: 'loyal' }), event('xr-bo', 'Audience Exited', { audience: 'loyal' }), event('xr-bo', 'Go')]);
    expect(own).toMatchObject({ status: 'exited', exitReason: 'event: Audience Exited' });
    expect(own.context).not.toHaveProperty('audienceExitsSeen');
    const entries = (await kit.bed.journal.listEntries('journey/loyal-only/xr-bo')).map((entry) => ({ type: entry.type, reason: entry.detail['reason'] }));
    expect(entries.at(-1)).toEqual({ type: 'exited', reason: 'event: Audience Exited' });

    // A rule without conditions still exits on the name alone.
    const closed = await run('xr-cy', [event('xr-cy', 'Audience Entered', { audience: 'loyal' }), event('xr-cy', 'Account Closed', { why: 'moved' })]);
    expect(closed).toMatchObject({ status: 'exited', exitReason: 'event: Account Closed' });
  });

  it('refuses an exit rule without an event name when the journey is defined', () => {
    expect(() =>
      defineJourney({ id: 'bad-exit', version: 1, description: 'x', entry: { events: ['A'] }, exitOn: [{ event: ' ' }], steps: [], dynamicStepIds: true, run: async () => undefined }),
    ).toThrow(/Journey "bad-exit": every exitOn rule needs an event name/);
  });
});
