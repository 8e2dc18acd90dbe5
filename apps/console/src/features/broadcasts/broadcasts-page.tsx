import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, type CombinedError } from 'urql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { OutcomeNotices, type ActionOutcome } from '../../components/outcome-notices';
import { ScrollBox } from '../../components/scroll-box';
import { Time } from '../../components/time';
import { graphql } from '../../gql';
import type { BroadcastStatus, Channel, ConsoleBroadcastsQuery } from '../../gql/graphql';
import { useLiveUpdates } from '../../lib/use-live-updates';
import { useViewQuery } from '../../lib/use-view-query';

const Broadcasts = graphql(`
  query ConsoleBroadcasts {
    broadcasts(first: 50) {
      totalCount
      nodes {
        id
        name
        status
        kind
        template
        channel
        createdAt
        enrolled
        sent
        failed
        skippedTotal
        audience {
          id
          name
          size
        }
      }
    }
  }
`);

const BroadcastChoices = graphql(`
  query ConsoleBroadcastChoices {
    audiences(first: 100) {
      nodes {
        id
        name
        size
      }
    }
    templates(first: 100) {
      nodes {
        id
        name
        locale
        latest {
          id
          channel
        }
      }
    }
  }
`);

const BroadcastDetail = graphql(`
  query ConsoleBroadcast($id: ID!) {
    broadcast(id: $id) {
      id
      name
      status
      kind
      template
      channel
      createdAt
      ratePerSecond
      enrolled
      sent
      failed
      queued
      skippedTotal
      skipped {
        reason
        count
      }
      audience {
        id
        name
        size
      }
      schedule {
        cron
        timeZone
        nextRuns
        paused
      }
      runs(first: 20) {
        nodes {
          id
          number
          status
          startedAt
          endedAt
          recipients
          enrolled
          sent
          failed
          queued
          skippedTotal
        }
      }
    }
  }
`);

const BroadcastUpdates = graphql(`
  subscription ConsoleBroadcastUpdates($id: ID!, $after: String) {
    broadcastUpdates(id: $id, after: $after) {
      cursor
      kind
      run {
        id
        number
        status
        startedAt
        endedAt
        recipients
        enrolled
        sent
        failed
        queued
        skippedTotal
        broadcast {
          id
          status
          enrolled
          sent
          failed
          queued
          skippedTotal
        }
      }
    }
  }
`);

const CreateBroadcast = graphql(`
  mutation ConsoleCreateBroadcast($input: CreateBroadcastInput!) {
    createBroadcast(input: $input) {
      broadcast {
        id
        name
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const PauseBroadcast = graphql(`
  mutation ConsolePauseBroadcast($input: PauseBroadcastInput!) {
    pauseBroadcast(input: $input) {
      broadcast {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const ResumeBroadcast = graphql(`
  mutation ConsoleResumeBroadcast($input: ResumeBroadcastInput!) {
    resumeBroadcast(input: $input) {
      broadcast {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const CancelBroadcast = graphql(`
  mutation ConsoleCancelBroadcast($input: CancelBroadcastInput!) {
    cancelBroadcast(input: $input) {
      broadcast {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const statusLabel: Record<BroadcastStatus, string> = {
  RUNNING: 'Running',
  PAUSED: 'Paused',
  SCHEDULED: 'Scheduled',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};
const CHANNELS: Channel[] = ['SMS', 'WHATSAPP', 'RCS', 'EMAIL', 'IN_APP'];
const liveLabel = { live: 'Live', reconnecting: 'Reconnecting…', unavailable: 'Live updates unavailable' } as const;

type UserErrors = Array<{ field?: string[] | null; message: string }>;

/** The user errors of a mutation, by the input field they name ("" for none), for the form to show beside each field. */
function byField(userErrors: UserErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const each of userErrors) {
    const key = each.field?.[1] ?? '';
    out[key] = out[key] ? `${out[key]}; ${each.message}` : each.message;
  }
  return out;
}

/** The workspace's broadcasts, newest first, and the form that creates one for an audience. */
export function BroadcastsPage() {
  const { data, notice, refetch } = useViewQuery({ query: Broadcasts }, { loading: 'Loading the broadcasts…', cannot: 'read broadcasts' });
  if (notice) return notice;
  return (
    <section aria-labelledby="broadcasts-title">
      <h1 id="broadcasts-title">Broadcasts</h1>
      <BroadcastList data={data} />
      <CreateBroadcastForm onCreated={() => refetch({ requestPolicy: 'network-only' })} />
    </section>
  );
}

/**
 * The broadcasts as a table. Its rows are the cache's Broadcast entities: the updates a broadcast's
 * page receives change its row here too, with no query of its own.
 */
function BroadcastList({ data, current }: { data: ConsoleBroadcastsQuery | undefined; current?: string }) {
  return (
    <>
      <p className="muted">{data?.broadcasts.totalCount === 1 ? '1 broadcast' : `${data?.broadcasts.totalCount ?? 0} broadcasts`}</p>
      {data && data.broadcasts.nodes.length === 0 ? (
        <p className="muted">No broadcast yet: create one below.</p>
      ) : (
        <ScrollBox label="Broadcasts, scrollable">
          <table aria-label="Broadcasts">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Audience</th>
                <th scope="col">Sends</th>
                <th scope="col">Sent</th>
                <th scope="col">Failed</th>
                <th scope="col">Skipped</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {data?.broadcasts.nodes.map((each) => (
                <tr key={each.id} aria-label={each.name}>
                  <th scope="row">
                    <Link to={`/broadcasts/${encodeURIComponent(each.id)}`} aria-current={each.id === current ? 'page' : undefined}>
                      {each.name}
                    </Link>
                  </th>
                  <td>{statusLabel[each.status]}</td>
                  <td>{each.audience.name}</td>
                  <td>{each.kind === 'TEMPLATE' ? `${each.template ?? ''} · ${each.channel ?? ''}` : 'a journey'}</td>
                  <td>{each.sent}</td>
                  <td>{each.failed}</td>
                  <td>{each.skippedTotal}</td>
                  <td>
                    <Time value={each.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </>
  );
}

function CreateBroadcastForm({ onCreated }: { onCreated: () => void }) {
  const navigate = useNavigate();
  const { data, notice } = useViewQuery({ query: BroadcastChoices }, { loading: 'Loading audiences and templates…', cannot: 'read audiences and templates' });
  const [name, setName] = useState('');
  const [audience, setAudience] = useState('');
  const [template, setTemplate] = useState('');
  const [channel, setChannel] = useState<Channel>('SMS');
  const [rate, setRate] = useState('10');
  const [when, setWhen] = useState<'now' | 'schedule'>('now');
  const [cron, setCron] = useState('0 9 * * MON');
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<CombinedError | undefined>();
  const [state, create] = useMutation(CreateBroadcast);
  if (notice) return notice;
  const templateNames = [...new Set(data?.templates.nodes.map((each) => each.name) ?? [])];

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local['name'] = 'Give the broadcast a name.';
    if (!audience) local['audienceName'] = 'Pick an audience.';
    if (!template) local['template'] = 'Pick a template.';
    const ratePerSecond = Number(rate);
    if (!(ratePerSecond > 0)) local['ratePerSecond'] = 'Enter a rate above 0 messages per second.';
    setProblems(local);
    setFailure(undefined);
    if (Object.keys(local).length > 0) return;
    const result = await create({
      input: {
        name: name.trim(),
        audienceName: audience,
        template,
        channel,
        ratePerSecond,
        ...(when === 'schedule' ? { schedule: { cron: cron.trim(), timeZone: timeZone.trim() } } : {}),
      },
    });
    if (result.error) return setFailure(result.error);
    const payload = result.data?.createBroadcast;
    if (payload && payload.userErrors.length > 0) return setProblems(byField(payload.userErrors));
    onCreated();
    if (payload?.broadcast) void navigate(`/broadcasts/${encodeURIComponent(payload.broadcast.id)}`);
  }

  const field = (key: string) => (problems[key] ? { 'aria-invalid': true as const, 'aria-describedby': `broadcast-${key}-problem` } : {});
  const problem = (key: string) =>
    problems[key] ? (
      <span id={`broadcast-${key}-problem`} className="field-problem">
        {problems[key]}
      </span>
    ) : null;

  return (
    <form className="card settings-form" aria-labelledby="new-broadcast-title" onSubmit={(event) => void onSubmit(event)} noValidate>
      <h2 id="new-broadcast-title">New broadcast</h2>
      {failure && <OutcomeNotices outcome={{ error: failure }} cannot="create broadcasts" />}
      {problems[''] && (
        <p role="alert" className="notice notice-error">
          {problems['']}
        </p>
      )}
      {Object.keys(problems).length > 0 && !problems[''] && (
        <p role="alert" className="notice notice-error">
          The broadcast was not created: {Object.values(problems).join(' ')}
        </p>
      )}
      <div className="field">
        <label htmlFor="broadcast-name">Name</label>
        <input id="broadcast-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} {...field('name')} />
        {problem('name')}
      </div>
      <div className="field">
        <label htmlFor="broadcast-audience">Audience</label>
        <select id="broadcast-audience" value={audience} onChange={(e) => setAudience(e.target.value)} {...field('audienceName')}>
          <option value="">Choose…</option>
          {data?.audiences.nodes.map((each) => (
            <option key={each.id} value={each.name}>
              {each.name} ({each.size} {each.size === 1 ? 'member' : 'members'})
            </option>
          ))}
        </select>
        {problem('audienceName')}
      </div>
      <div className="field">
        <label htmlFor="broadcast-template">Template</label>
        <select id="broadcast-template" value={template} onChange={(e) => setTemplate(e.target.value)} {...field('template')}>
          <option value="">Choose…</option>
          {templateNames.map((each) => (
            <option key={each} value={each}>
              {each}
            </option>
          ))}
        </select>
        {problem('template')}
      </div>
      <div className="field">
        <label htmlFor="broadcast-channel">Channel</label>
        <select id="broadcast-channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)} {...field('channel')}>
          {CHANNELS.map((each) => (
            <option key={each} value={each}>
              {each}
            </option>
          ))}
        </select>
        {problem('channel')}
      </div>
      <div className="field">
        <label htmlFor="broadcast-rate">Messages per second</label>
        <input id="broadcast-rate" inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} {...field('ratePerSecond')} />
        {problem('ratePerSecond')}
      </div>
      <fieldset className="field">
        <legend>When</legend>
        <label>
          <input type="radio" name="broadcast-when" checked={when === 'now'} onChange={() => setWhen('now')} /> Once, now
        </label>
        <label>
          <input type="radio" name="broadcast-when" checked={when === 'schedule'} onChange={() => setWhen('schedule')} /> On a schedule
        </label>
      </fieldset>
      {when === 'schedule' && (
        <>
          <div className="field">
            <label htmlFor="broadcast-cron">Cron (minute hour day month weekday)</label>
            <input id="broadcast-cron" value={cron} onChange={(e) => setCron(e.target.value)} {...field('schedule')} />
            {problem('schedule')}
          </div>
          <div className="field">
            <label htmlFor="broadcast-tz">Time zone</label>
            <input id="broadcast-tz" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
          </div>
        </>
      )}
      <button type="submit" disabled={state.fetching}>
        Create broadcast
      </button>
    </form>
  );
}

type Control = 'pause' | 'resume' | 'cancel';

/** One broadcast: its counts and runs, following broadcastUpdates live (resuming after its last cursor), and pause, resume, cancel. */
export function BroadcastPage() {
  const { id = '' } = useParams();
  const { data, notice, refetch } = useViewQuery({ query: BroadcastDetail, variables: { id } }, { loading: 'Loading the broadcast…', cannot: 'read broadcasts' });
  const list = useViewQuery({ query: Broadcasts }, { loading: 'Loading the broadcasts…', cannot: 'read broadcasts' });
  const reread = () => refetch({ requestPolicy: 'network-only' });
  // Each update carries the run and its broadcast with their counts: the normalised cache puts them
  // in this page and in the list below (the list is not read again). A change of state (a run
  // started, paused, resumed, finished) makes this page read the broadcast again: a new run is not in
  // the cache's page of runs, and the broadcast's own status may settle just after its run's update.
  // What it reads lands in the same entity, so the list follows that too.
  const live = useLiveUpdates({
    query: BroadcastUpdates,
    variables: { id },
    cursorOf: (u) => u.broadcastUpdates.cursor,
    onData: (u) => {
      if (u.broadcastUpdates.kind !== 'PROGRESSED') reread();
    },
    onGap: reread,
  });
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [pauseState, pause] = useMutation(PauseBroadcast);
  const [resumeState, resume] = useMutation(ResumeBroadcast);
  const [cancelState, cancel] = useMutation(CancelBroadcast);
  const busy = pauseState.fetching || resumeState.fetching || cancelState.fetching;
  if (notice) return notice;
  const broadcast = data?.broadcast;
  if (!broadcast) return <p role="status">There is no such broadcast.</p>;
  const final = broadcast.status === 'COMPLETED' || broadcast.status === 'CANCELLED';

  async function control(action: Control) {
    const input = { input: { id: broadcast!.id } };
    const result = action === 'pause' ? await pause(input) : action === 'resume' ? await resume(input) : await cancel(input);
    const payload = result.data && ('pauseBroadcast' in result.data ? result.data.pauseBroadcast : 'resumeBroadcast' in result.data ? result.data.resumeBroadcast : result.data.cancelBroadcast);
    const userErrors = payload?.userErrors.map((each) => each.message).join('; ');
    if (result.error) setOutcome({ error: result.error });
    else if (userErrors) setOutcome({ userErrors });
    else setOutcome({ done: action === 'pause' ? 'Paused.' : action === 'resume' ? 'Resumed.' : 'Cancelled.' });
    reread();
  }

  const latest = broadcast.runs.nodes[0];
  return (
    <section aria-labelledby="broadcast-title">
      <p className="crumbs">
        <Link to="/broadcasts">Broadcasts</Link>
      </p>
      <h1 id="broadcast-title">Broadcast {broadcast.name}</h1>
      <p className="muted" aria-live="polite">
        {liveLabel[live.status]}
      </p>
      <OutcomeNotices outcome={outcome} cannot="pause, resume or cancel broadcasts" />
      <dl className="figures" id="broadcast-figures">
        <div>
          <dt>Status</dt>
          <dd>{statusLabel[broadcast.status]}</dd>
        </div>
        <div>
          <dt>Recipients</dt>
          <dd>{latest?.recipients ?? broadcast.audience.size}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>{broadcast.sent}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{broadcast.failed}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{broadcast.skippedTotal}</dd>
        </div>
        <div>
          <dt>Queued</dt>
          <dd>{broadcast.queued}</dd>
        </div>
      </dl>
      {latest?.recipients ? (
        <p>
          <label htmlFor="broadcast-progress">Progress of run {latest.number}</label>{' '}
          <progress id="broadcast-progress" max={latest.recipients} value={latest.enrolled}>
            {latest.enrolled} of {latest.recipients}
          </progress>{' '}
          {latest.enrolled} of {latest.recipients}
        </p>
      ) : null}
      <div className="action-row">
        <button type="button" disabled={busy || final || broadcast.status === 'PAUSED'} onClick={() => void control('pause')}>
          Pause
        </button>
        <button type="button" disabled={busy || broadcast.status !== 'PAUSED'} onClick={() => void control('resume')}>
          Resume
        </button>
        <button type="button" className="danger" disabled={busy || final} onClick={() => setConfirmCancel(true)}>
          Cancel broadcast
        </button>
      </div>
      <dl className="card">
        <div>
          <dt>Audience</dt>
          <dd>{broadcast.audience.name}</dd>
        </div>
        <div>
          <dt>Sends</dt>
          <dd>{broadcast.kind === 'TEMPLATE' ? `${broadcast.template ?? ''} by ${broadcast.channel ?? ''}` : 'a journey entry'}</dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{broadcast.ratePerSecond} per second</dd>
        </div>
        {broadcast.schedule && (
          <div>
            <dt>Schedule</dt>
            <dd>
              {broadcast.schedule.cron} ({broadcast.schedule.timeZone})
              {broadcast.schedule.nextRuns[0] ? (
                <>
                  , next <Time value={broadcast.schedule.nextRuns[0]} />
                </>
              ) : null}
            </dd>
          </div>
        )}
        {broadcast.skipped.map((each) => (
          <div key={each.reason}>
            <dt>Skipped: {each.reason}</dt>
            <dd>{each.count}</dd>
          </div>
        ))}
      </dl>
      <h2>Runs</h2>
      {broadcast.runs.nodes.length === 0 ? (
        <p className="muted">No run yet.</p>
      ) : (
        <ScrollBox label="Runs, scrollable">
          <table aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Recipients</th>
                <th scope="col">Sent</th>
                <th scope="col">Failed</th>
                <th scope="col">Skipped</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {broadcast.runs.nodes.map((run) => (
                <tr key={run.id}>
                  <th scope="row">#{run.number}</th>
                  <td>{run.status.toLowerCase()}</td>
                  <td>{run.recipients ?? '—'}</td>
                  <td>{run.sent}</td>
                  <td>{run.failed}</td>
                  <td>{run.skippedTotal}</td>
                  <td>
                    <Time value={run.startedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {confirmCancel && (
        <ConfirmDialog
          title={`Cancel the broadcast ${broadcast.name}?`}
          confirmLabel="Cancel broadcast"
          busy={busy}
          onCancel={() => setConfirmCancel(false)}
          onConfirm={() => {
            setConfirmCancel(false);
            void control('cancel');
          }}
        >
          <p>Members not reached yet get nothing, and no run starts again. This cannot be undone.</p>
        </ConfirmDialog>
      )}
      <section aria-labelledby="all-broadcasts-title">
        <h2 id="all-broadcasts-title">All broadcasts</h2>
        {list.notice ?? <BroadcastList data={list.data} current={broadcast.id} />}
      </section>
    </section>
  );
}
