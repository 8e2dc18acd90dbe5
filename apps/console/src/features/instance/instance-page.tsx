import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation } from 'urql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Time } from '../../components/time';
import { graphql } from '../../gql';
import type { JournalEntryKind } from '../../gql/graphql';
import { useLiveUpdates } from '../../lib/use-live-updates';
import { useViewQuery } from '../../lib/use-view-query';
import { OutcomeNotices, type ActionOutcome } from '../../components/outcome-notices';

const InstanceView = graphql(`
  query ConsoleInstance($id: ID!) {
    journeyInstance(id: $id) {
      id
      journeyId
      journeyVersion
      key
      userId
      status
      currentStep
      startedAt
      endedAt
      exitReason
      live {
        step
        timerResets
        eventsAccepted
      }
      timeline(first: 100) {
        totalCount
        nodes {
          id
          seq
          at
          type
          step
          detail
        }
      }
    }
  }
`);

const InstanceUpdates = graphql(`
  subscription ConsoleInstanceUpdates($id: ID!, $after: String) {
    journeyInstanceUpdates(id: $id, after: $after) {
      cursor
      entry {
        id
        seq
        at
        type
        step
        detail
      }
    }
  }
`);

const EndInstance = graphql(`
  mutation ConsoleEndInstance($input: EndJourneyInstanceInput!) {
    endJourneyInstance(input: $input) {
      auditEntry {
        id
        outcome
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const DeliverEvent = graphql(`
  mutation ConsoleDeliverEvent($input: DeliverEventToInstanceInput!) {
    deliverEventToInstance(input: $input) {
      auditEntry {
        id
        outcome
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const RerunStep = graphql(`
  mutation ConsoleRerunFailedStep($input: RerunFailedStepInput!) {
    rerunFailedStep(input: $input) {
      auditEntry {
        id
        outcome
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

interface Entry {
  id: string;
  seq: number;
  at: string;
  type: JournalEntryKind;
  step: string;
  detail: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** One journal entry in words: waits and how they ended, timer resets, branches and why, messages and their delivery. */
export function describeEntry({ type, detail: d }: Entry): string {
  switch (type) {
    case 'ENTERED':
      return `Entered${d['event'] ? ` on ${text(d['event'])}` : ''}`;
    case 'WAIT_STARTED':
      return `Wait started: ${text(d['kind'] ?? 'wait')}${d['duration'] ? ` for ${text(d['duration'])}` : ''}${d['event'] ? ` for ${text(d['event'])}` : ''}${d['until'] ? ` until ${new Date(text(d['until'])).toLocaleString()}` : ''}`;
    case 'WAIT_ENDED':
      return `Wait ended: ${text(d['outcome'] ?? 'ended')}${d['event'] ? ` (${text(d['event'])})` : ''}${d['resets'] !== undefined ? ` after ${text(d['resets'])} timer resets` : ''}`;
    case 'TIMER_RESET':
      return `Timer reset${d['resets'] !== undefined ? ` #${text(d['resets'])}` : ''}${d['event'] ? ` by ${text(d['event'])}` : ''}`;
    case 'BRANCH_TAKEN':
      return `Branch taken: ${text(d['outcome'])}${d['reason'] ? ` because ${text(d['reason'])}` : ''}`;
    case 'EVENT_RECEIVED':
      return `Event received${d['event'] ? `: ${text(d['event'])}` : ''}`;
    case 'MESSAGE_SENT':
      return `Message sent${d['channel'] ? ` by ${text(d['channel'])}` : ''}${d['template'] ? ` (${text(d['template'])})` : ''}`;
    case 'MESSAGE_STATUS':
      return `Message ${text(d['status'] ?? 'status changed')}${d['errorCode'] ? ` (error ${text(d['errorCode'])})` : ''}`;
    case 'MESSAGE_SKIPPED':
      return `Message not sent: ${text(d['reason'])}`;
    case 'MESSAGE_FAILED':
      return `Message failed: ${text(d['reason'] ?? d['errorCode'])}`;
    case 'CHANNEL_FALLBACK':
      return `Fell back from ${text(d['from'])} to ${text(d['to'])}: ${text(d['reason'])}`;
    case 'SEND_HELD':
      return `Send held: ${text(d['reason'] ?? 'quiet hours')}${d['until'] ? ` until ${new Date(text(d['until'])).toLocaleString()}` : ''}`;
    case 'EXPERIMENT_ASSIGNED':
      return `Experiment: ${d['control'] ? 'control group' : `variant ${text(d['variant'])}`}`;
    case 'EXITED':
      return `Exited: ${text(d['reason'] ?? 'unknown reason')}`;
    case 'COMPLETED':
      return 'Completed';
    default:
      return `${type.toLowerCase().replace(/_/g, ' ')}${Object.keys(d).length ? `: ${JSON.stringify(d)}` : ''}`;
  }
}

type Action = 'end' | 'terminate' | 'deliver' | 'rerun';
const actionText: Record<Action, { verb: string; effect: string }> = {
  end: { verb: 'End instance', effect: 'The instance is asked to exit now: it journals its exit, and sends nothing more.' },
  terminate: { verb: 'Terminate instance', effect: 'The workflow is terminated without running its code (for an instance that cannot run). Nothing more is journaled by it.' },
  deliver: { verb: 'Deliver event', effect: 'The event is stored for the customer and signalled to this instance only; it may reset a wait or end one.' },
  rerun: { verb: 'Re-run failed step', effect: 'The workflow is reset to just before the step that failed, which runs again.' },
};

const liveLabel = { live: 'Live', reconnecting: 'Reconnecting…', unavailable: 'Live updates unavailable' } as const;
const statusLabel = { ACTIVE: 'Active', COMPLETED: 'Completed', EXITED: 'Exited' } as const;

/** A journey instance: where it stands, its journal as a live timeline, and the operator actions (each confirmed). */
export function InstancePage() {
  const id = useParams()['id'] ?? '';
  const { data, notice, refetch } = useViewQuery({ query: InstanceView, variables: { id } }, { loading: 'Loading the instance…', cannot: 'read journey instances' });
  // Entries that came live, by their Node id: merged with the page read, so none shows twice.
  const [liveEntries, setLiveEntries] = useState<Map<string, Entry>>(() => new Map());
  const reread = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const live = useLiveUpdates({
    query: InstanceUpdates,
    variables: { id },
    cursorOf: (update) => update.journeyInstanceUpdates.cursor,
    onData: (update) => {
      const entry = update.journeyInstanceUpdates.entry;
      setLiveEntries((before) => new Map(before).set(entry.id, entry));
      reread();
    },
    onGap: reread,
  });

  const [pending, setPending] = useState<Action | null>(null);
  const [reason, setReason] = useState('');
  const [eventName, setEventName] = useState('');
  const [problem, setProblem] = useState<{ field: 'reason' | 'event'; message: string } | null>(null);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [endState, end] = useMutation(EndInstance);
  const [deliverState, deliver] = useMutation(DeliverEvent);
  const [rerunState, rerun] = useMutation(RerunStep);
  const busy = endState.fetching || deliverState.fetching || rerunState.fetching;

  const instance = data?.journeyInstance;
  const entries = useMemo(() => {
    const byId = new Map<string, Entry>();
    for (const entry of instance?.timeline.nodes ?? []) byId.set(entry.id, entry);
    for (const entry of liveEntries.values()) byId.set(entry.id, entry);
    return [...byId.values()].sort((a, b) => a.seq - b.seq);
  }, [instance, liveEntries]);

  if (notice) return notice;
  if (!instance) {
    return (
      <section>
        <h1>Journey instance</h1>
        <p role="status">Your workspace has no such journey instance.</p>
      </section>
    );
  }

  function ask(action: Action) {
    setOutcome(null);
    if ((action === 'end' || action === 'terminate') && (reason.trim().length === 0 || reason.length > 500)) {
      return setProblem({ field: 'reason', message: 'Say why, in 1 to 500 characters (kept in the audit trail).' });
    }
    if (action === 'deliver' && eventName.trim().length === 0) return setProblem({ field: 'event', message: 'Name the event, e.g. Cart Updated.' });
    setProblem(null);
    setPending(action);
  }

  async function confirm() {
    if (!pending || !instance) return;
    const result =
      pending === 'end' || pending === 'terminate'
        ? await end({ input: { id: instance.id, reason: reason.trim(), terminate: pending === 'terminate' } }).then((r) => ({ error: r.error, payload: r.data?.endJourneyInstance }))
        : pending === 'deliver'
          ? await deliver({ input: { id: instance.id, event: { event: eventName.trim() } } }).then((r) => ({ error: r.error, payload: r.data?.deliverEventToInstance }))
          : await rerun({ input: { id: instance.id } }).then((r) => ({ error: r.error, payload: r.data?.rerunFailedStep }));
    const userErrors = result.payload?.userErrors.map((each) => each.message).join('; ');
    if (result.error) setOutcome({ error: result.error });
    else if (userErrors) setOutcome({ userErrors });
    else setOutcome({ done: `${actionText[pending].verb}: done.` });
    setPending(null);
    reread();
  }

  const active = instance.status === 'ACTIVE';
  return (
    <section aria-labelledby="instance-title">
      <p className="crumbs">
        <Link to="/journeys">Journeys</Link> / <Link to={`/journeys/${encodeURIComponent(instance.journeyId)}`}>{instance.journeyId}</Link> /
      </p>
      <h1 id="instance-title">Instance {instance.key}</h1>
      <p className="muted" aria-live="polite">
        {liveLabel[live.status]}
      </p>
      <dl className="figures" aria-label="Instance">
        <div>
          <dt>Status</dt>
          <dd>
            {statusLabel[instance.status]}
            {instance.exitReason ? ` (${instance.exitReason})` : ''}
          </dd>
        </div>
        <div>
          <dt>Current step</dt>
          <dd>{instance.live?.step ?? instance.currentStep}</dd>
        </div>
        <div>
          <dt>Customer</dt>
          <dd>
            <Link to={`/customers/${encodeURIComponent(instance.userId)}`}>{instance.userId}</Link>
          </dd>
        </div>
        <div>
          <dt>Timer resets</dt>
          <dd>{instance.live?.timerResets ?? entries.filter((entry) => entry.type === 'TIMER_RESET').length}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <Time value={instance.startedAt} />
          </dd>
        </div>
      </dl>

      <section aria-labelledby="actions-title" className="card">
        <h2 id="actions-title">Operator actions</h2>
        <OutcomeNotices outcome={outcome} cannot="act on journey instances" />
        {!active && <p className="muted">The instance has ended: only a failed step can be re-run.</p>}
        <div className="action-row">
          <label htmlFor="end-reason">Reason</label>
          <input
            id="end-reason"
            value={reason}
            maxLength={500}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={problem?.field === 'reason' ? true : undefined}
            aria-describedby={problem?.field === 'reason' ? 'end-reason-problem' : undefined}
            disabled={!active}
          />
          <button type="button" className="danger" onClick={() => ask('end')} disabled={!active}>
            End instance
          </button>
          <button type="button" className="danger" onClick={() => ask('terminate')} disabled={!active}>
            Terminate instance
          </button>
          {problem?.field === 'reason' && (
            <span id="end-reason-problem" className="field-problem">
              {problem.message}
            </span>
          )}
        </div>
        <div className="action-row">
          <label htmlFor="deliver-event">Event</label>
          <input
            id="deliver-event"
            value={eventName}
            placeholder="Cart Updated"
            onChange={(event) => setEventName(event.target.value)}
            aria-invalid={problem?.field === 'event' ? true : undefined}
            aria-describedby={problem?.field === 'event' ? 'deliver-event-problem' : undefined}
            disabled={!active}
          />
          <button type="button" onClick={() => ask('deliver')} disabled={!active}>
            Deliver event
          </button>
          <button type="button" onClick={() => ask('rerun')}>
            Re-run failed step
          </button>
          {problem?.field === 'event' && (
            <span id="deliver-event-problem" className="field-problem">
              {problem.message}
            </span>
          )}
        </div>
      </section>

      <section aria-labelledby="journal-title">
        <h2 id="journal-title">Timeline</h2>
        <ol aria-labelledby="journal-title" className="timeline">
          {entries.map((entry) => (
            <li key={entry.id}>
              <Time value={entry.at} /> <span className="tag">{entry.step}</span> {describeEntry(entry)}
            </li>
          ))}
        </ol>
      </section>

      {pending && (
        <ConfirmDialog
          title={`${actionText[pending].verb}?`}
          confirmLabel={actionText[pending].verb}
          busy={busy}
          onCancel={() => setPending(null)}
          onConfirm={() => void confirm()}
        >
          <p>{actionText[pending].effect}</p>
          {(pending === 'end' || pending === 'terminate') && <p>Reason: {reason.trim()}</p>}
          {pending === 'deliver' && <p>Event: {eventName.trim()}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}
