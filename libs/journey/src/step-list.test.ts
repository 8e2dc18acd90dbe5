import { describe, expect, it } from 'vitest';
import { defineJourney } from './define-journey';
import { literalStepIds, stepGraph } from './step-list';

describe('step list', () => {
  it('fills in entry, done and exit steps, labels and next steps for a short list', () => {
    const graph = stepGraph([{ id: 'wait-a-day', kind: 'delay' }, { id: 'reminder-sms', kind: 'send', label: 'The reminder' }], {
      entry: { events: ['Signed Up', 'Invited'] },
      exitOn: ['Unsubscribed'],
    });
    expect(graph).toEqual([
      { id: 'entry', kind: 'entry', label: 'Signed Up or Invited', next: ['wait-a-day'] },
      { id: 'wait-a-day', kind: 'delay', label: 'Wait a day', next: ['reminder-sms'] },
      { id: 'reminder-sms', kind: 'send', label: 'The reminder', next: ['done'] },
      { id: 'done', kind: 'complete', label: 'Completed' },
      { id: 'exit', kind: 'exit', label: 'Exited: Unsubscribed' },
    ]);
  });

  it('keeps a list that declares everything exactly as written', () => {
    const steps = [
      { id: 'entry', kind: 'entry' as const, label: 'Cart Updated', next: ['hold'] },
      { id: 'hold', kind: 'hold-until-idle' as const, label: 'Idle', next: ['done', 'exit'], nextLabels: { done: 'idle timeout' } },
      { id: 'exit', kind: 'exit' as const, label: 'Bought' },
      { id: 'done', kind: 'complete' as const, label: 'Sent' },
    ];
    expect(stepGraph(steps, { entry: { events: ['Cart Updated'] }, exitOn: [] })).toEqual(steps);
  });

  it('finds the literal step ids of step-taking calls, not ids built at run time', () => {
    const source = "await j.send('a-send', x); await j.branch(\"a-branch\", o, w); await j.delay('1 day', { step: 'a-delay' }); await j.send(`reply-${n}`, x);";
    expect(literalStepIds(source).sort()).toEqual(['a-branch', 'a-delay', 'a-send']);
  });

  it('reports a step id that run uses and the list lacks, and refuses it when type-checking', () => {
    const typo = defineJourney({
      id: 'typo-journey',
      version: 1,
      description: 'uses an undeclared step',
      entry: { events: ['Typo'] },
      steps: [{ id: 'greeting', kind: 'send' }],
      async run(journey) {
        // @ts-expect-error -- 'greetin' is not a declared step id: the compile-time check refuses it
        await journey.send('greetin', { channel: 'sms', body: 'Hi' });
        await journey.send('greeting', { channel: 'sms', body: 'Hi' });
      },
    });
    expect(typo.stepCheck).toEqual({ dynamic: false, undeclared: ['greetin'] });
    expect(typo.descriptor.steps.map((step) => step.id)).toEqual(['entry', 'greeting', 'done', 'exit']);
  });

  it('does not check journeys that build their step ids at run time', () => {
    const dynamic = defineJourney({
      id: 'dynamic-journey',
      version: 1,
      description: 'numbered steps',
      entry: { events: ['Go'] },
      steps: [{ id: 'reply', kind: 'send' }],
      dynamicStepIds: true,
      async run(journey) {
        await journey.send('reply-1', { channel: 'sms', body: 'Hi' });
      },
    });
    expect(dynamic.stepCheck).toEqual({ dynamic: true, undeclared: [] });
  });
});
