import { describe, expect, it } from 'vitest';
import { findFailurePoint } from './failure-point';

type Events = Parameters<typeof findFailurePoint>[1];
type Pending = Parameters<typeof findFailurePoint>[2];

// Histories reduced to the events the search looks at; ids as the API gives them (int64 as numbers here).
const event = (eventId: number, attributes: Record<string, unknown>) => ({ eventId, ...attributes });
const completed = (eventId: number) => event(eventId, { workflowTaskCompletedEventAttributes: {} });
const history = (...events: Array<Record<string, unknown>>) => events as unknown as Events;
const id = (search: ReturnType<typeof findFailurePoint>) => ('found' in search ? Number(search.found.resetTo) : search.nothing);

describe('findFailurePoint', () => {
  it('resets a failing workflow task to the last completed task before it', () => {
    const events = history(completed(4), completed(10), event(15, { workflowTaskFailedEventAttributes: { failure: { message: 'nondeterminism' } } }));
    const search = findFailurePoint('RUNNING', events, []);
    expect(search).toMatchObject({ found: { what: 'a workflow task is failing: nondeterminism' } });
    expect(id(search)).toBe(10);
  });

  it('does not treat a workflow task failure followed by a completed task as stuck', () => {
    const events = history(completed(4), event(8, { workflowTaskFailedEventAttributes: {} }), completed(12));
    expect(findFailurePoint('RUNNING', events, [])).toEqual({ nothing: 'nothing failed: no failing workflow task or activity' });
  });

  it('resets a retried activity to the task that scheduled it', () => {
    const events = history(completed(4), completed(9), event(10, { activityTaskScheduledEventAttributes: { activityId: '3', workflowTaskCompletedEventId: 9 } }));
    const pending = [{ activityId: '3', activityType: { name: 'sendSms' }, attempt: 4, lastFailure: { message: 'ECONNREFUSED' } }] as unknown as Pending;
    const search = findFailurePoint('RUNNING', events, pending);
    expect(search).toMatchObject({ found: { what: 'activity sendSms is failing (attempt 4): ECONNREFUSED' } });
    expect(id(search)).toBe(9);
    // A first attempt still running is not a failure.
    expect(findFailurePoint('RUNNING', events, [{ activityId: '3', attempt: 1 }] as unknown as Pending)).toHaveProperty('nothing');
  });

  it('resets a failed run to the last completed task before the failure', () => {
    const events = history(completed(4), completed(20), event(22, { workflowExecutionFailedEventAttributes: { failure: { message: 'boom' } } }));
    const search = findFailurePoint('FAILED', events, []);
    expect(search).toMatchObject({ found: { what: 'the run failed: boom' } });
    expect(id(search)).toBe(20);
  });

  it('explains when there is nothing to reset to', () => {
    expect(id(findFailurePoint('COMPLETED', history(completed(4)), []))).toBe('the workflow is completed, not running or failed');
    expect(id(findFailurePoint('RUNNING', history(event(3, { workflowTaskFailedEventAttributes: { failure: { message: 'bad input' } } })), []))).toBe(
      'a workflow task is failing: bad input, but no workflow task completed before it to reset to',
    );
  });
});
