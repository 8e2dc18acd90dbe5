import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, type CombinedError } from 'urql';
import { InstanceTable } from '../../components/instance-table';
import { ProblemNotice } from '../../components/problem-notice';
import { ScrollBox } from '../../components/scroll-box';
import { graphql } from '../../gql';
import type { ConsoleJourneyQuery } from '../../gql/graphql';
import { useViewQuery } from '../../lib/use-view-query';
import { StepGraph } from './step-graph';

const JourneyView = graphql(`
  query ConsoleJourney($key: String!, $from: DateTime, $to: DateTime) {
    journey(key: $key) {
      id
      key
      description
      status
      version
      goal {
        event
        within
      }
      instances {
        active
        completed
        exited
      }
      steps(from: $from, to: $to) {
        step
        label
        kind
        active
        reached
        next {
          from
          to
          label
        }
      }
      settings {
        name
        description
        type
        value
        default
        overridden
      }
    }
    journeyStats(journeyId: $key, from: $from, to: $to) {
      entered
      active
      completed
      exited
      exitedByReason {
        reason
        count
      }
      goalConversion {
        entered
        converted
        rate
      }
      messages {
        channel
        total
        pending
        inFlight
        delivered
        undelivered
        failed
        deliveryRate
      }
    }
    journeyInstances(filter: { journeyId: $key }, first: 10) {
      totalCount
      nodes {
        id
        journeyId
        key
        userId
        status
        currentStep
        startedAt
        exitReason
      }
    }
  }
`);

const UpdateSettings = graphql(`
  mutation ConsoleUpdateJourneySettings($input: UpdateJourneySettingsInput!) {
    updateJourneySettings(input: $input) {
      journey {
        id
        settings {
          name
          description
          type
          value
          default
          overridden
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

/** How often the counts are read again: they are totals the gateway recomputes, so a missed tick misses nothing. */
const REFRESH_MS = 4_000;

const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`);

/** A YYYY-MM-DD day of the URL as the start of that day in UTC; `end` gives the next day's start (the window ends before it). */
function dayBound(day: string | null, end = false): string | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const at = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(at.getTime())) return null;
  if (end) at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString();
}

type Journey = NonNullable<ConsoleJourneyQuery['journey']>;
type Setting = Journey['settings'][number];

/** A journey: its step graph with live counts, its funnel over a date range, its recent instances and its settings. */
export function JourneyPage() {
  const key = useParams()['key'] ?? '';
  const [params, setParams] = useSearchParams();
  const fromDay = params.get('from');
  const toDay = params.get('to');
  const variables = { key, from: dayBound(fromDay), to: dayBound(toDay, true) };
  const { data, error, notice, refetch } = useViewQuery({ query: JourneyView, variables }, { loading: `Loading ${key}…`, cannot: 'read journeys' });

  // Live counts: read again every few seconds while the page is open (and visible).
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refetch({ requestPolicy: 'network-only' });
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetch]);

  if (notice) return notice;
  const journey = data?.journey;
  const stats = data?.journeyStats;
  if (!journey || !stats) {
    return (
      <section>
        <h1>{key}</h1>
        <p role="status">The catalogue has no journey {key}.</p>
      </section>
    );
  }

  function applyRange(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next: Record<string, string> = {};
    for (const name of ['from', 'to']) {
      const value = form.get(name);
      if (typeof value === 'string' && value) next[name] = value;
    }
    setParams(next);
  }

  const stepOrder = journey.steps;
  return (
    <section aria-labelledby="journey-title">
      <p className="crumbs">
        <Link to="/journeys">Journeys</Link> /
      </p>
      <h1 id="journey-title">Journey {journey.key}</h1>
      <p className="muted">
        v{journey.version} · {journey.status.toLowerCase()} · {journey.description}
      </p>
      <p className="muted" aria-live="polite">
        {error ? 'Counts could not be refreshed' : 'Live'} · {journey.instances.active} active, {journey.instances.completed} completed, {journey.instances.exited} exited
      </p>

      <form className="range-form" aria-label="Date range" onSubmit={applyRange}>
        <label htmlFor="range-from">Entered from</label>
        <input id="range-from" name="from" type="date" defaultValue={fromDay ?? ''} key={`from-${fromDay}`} />
        <label htmlFor="range-to">to (inclusive, UTC)</label>
        <input id="range-to" name="to" type="date" defaultValue={toDay ?? ''} key={`to-${toDay}`} />
        <button type="submit">Apply</button>
        {(fromDay || toDay) && (
          <button type="button" onClick={() => setParams({})}>
            All time
          </button>
        )}
      </form>

      <div className="journey-layout">
        <section aria-labelledby="graph-title" className="card">
          <h2 id="graph-title">Step graph</h2>
          <StepGraph steps={journey.steps} journeyKey={journey.key} />
        </section>
        <section aria-labelledby="steps-title" className="card">
          <h2 id="steps-title">Steps</h2>
          <ScrollBox label="Steps, scrollable">
            <table aria-labelledby="steps-title">
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Active now</th>
                  <th scope="col">Reached</th>
                  <th scope="col">Next</th>
                </tr>
              </thead>
              <tbody>
                {stepOrder.map((step) => (
                  <tr key={step.step} aria-label={step.step}>
                    <th scope="row">{step.label}</th>
                    <td>{step.kind.toLowerCase().replace(/_/g, ' ')}</td>
                    <td>{step.active}</td>
                    <td>{step.reached}</td>
                    <td className="muted">{step.next.map((edge) => (edge.label ? `${edge.to} (${edge.label})` : edge.to)).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        </section>
      </div>

      <section aria-labelledby="funnel-title" className="card">
        <h2 id="funnel-title">Funnel</h2>
        <dl className="figures" aria-labelledby="funnel-title">
          <div>
            <dt>Entered</dt>
            <dd>{stats.entered}</dd>
          </div>
          <div>
            <dt>Active</dt>
            <dd>{stats.active}</dd>
          </div>
          <div>
            <dt>Completed</dt>
            <dd>{stats.completed}</dd>
          </div>
          <div>
            <dt>Exited</dt>
            <dd>{stats.exited}</dd>
          </div>
          <div>
            <dt>Goal conversion</dt>
            <dd>
              {stats.goalConversion
                ? `${stats.goalConversion.converted} of ${stats.goalConversion.entered} (${percent(stats.goalConversion.rate)})`
                : 'No goal declared'}
            </dd>
          </div>
        </dl>
        {journey.goal && (
          <p className="muted">
            Goal: {journey.goal.event} within {journey.goal.within} of entering.
          </p>
        )}
        <ol className="funnel" aria-label="Steps reached">
          {stepOrder.map((step) => (
            <li key={step.step}>
              <span className="funnel-name">{step.label}</span>
              <meter min={0} max={Math.max(stats.entered, 1)} value={step.reached} aria-label={`${step.label} reached`} />
              <span className="funnel-count">{step.reached}</span>
            </li>
          ))}
        </ol>
        <div className="grid">
          <section aria-labelledby="exits-title">
            <h3 id="exits-title">Exits by reason</h3>
            {stats.exitedByReason.length === 0 ? (
              <p className="muted">No instance of the window exited.</p>
            ) : (
              <table aria-labelledby="exits-title">
                <thead>
                  <tr>
                    <th scope="col">Reason</th>
                    <th scope="col">Instances</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.exitedByReason.map((exit) => (
                    <tr key={exit.reason}>
                      <td>{exit.reason}</td>
                      <td>{exit.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="delivery-title">
            <h3 id="delivery-title">Delivery by channel</h3>
            {stats.messages.length === 0 ? (
              <p className="muted">No message was sent to this window&apos;s instances.</p>
            ) : (
              <ScrollBox label="Delivery by channel, scrollable">
                <table aria-labelledby="delivery-title">
                  <thead>
                    <tr>
                      <th scope="col">Channel</th>
                      <th scope="col">Sent</th>
                      <th scope="col">Delivered</th>
                      <th scope="col">In flight</th>
                      <th scope="col">Failed</th>
                      <th scope="col">Delivery rate</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.messages.map((channel) => (
                      <tr key={channel.channel}>
                        <td>{channel.channel}</td>
                        <td>{channel.total}</td>
                        <td>{channel.delivered}</td>
                        <td>{channel.inFlight + channel.pending}</td>
                        <td>{channel.failed + channel.undelivered}</td>
                        <td>{percent(channel.deliveryRate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollBox>
            )}
          </section>
        </div>
      </section>

      <section aria-labelledby="recent-title">
        <h2 id="recent-title">Latest instances</h2>
        <InstanceTable instances={data.journeyInstances.nodes} label="Latest instances" />
      </section>

      <SettingsForm journey={journey} />
    </section>
  );
}

/** A setting's value as the form edits it (text), and back (JSON for the API), checked by its kind. */
function draftOf(setting: Setting): string {
  const value = setting.value['value'];
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

/** The durations the gateway accepts for a DURATION setting (the catalogue's own check). */
const DURATION = /^\s*\d+(\.\d+)?\s*(ms|s|m|h|d|seconds?|minutes?|hours?|days?)\s*$/i;

function parsed(setting: Setting, text: string): { value: unknown } | { problem: string } {
  const trimmed = text.trim();
  switch (setting.type) {
    case 'BOOLEAN':
      return { value: trimmed === 'true' };
    case 'NUMBER': {
      const number = Number(trimmed);
      return trimmed === '' || !Number.isFinite(number) ? { problem: 'Enter a number.' } : { value: number };
    }
    case 'DURATION':
      return DURATION.test(trimmed) ? { value: trimmed } : { problem: 'Enter a duration such as "30 minutes", "1 hour" or "30s".' };
    case 'STRING':
      return trimmed === '' ? { problem: 'Enter a value.' } : { value: trimmed };
  }
}

/** The journey's settings for this workspace, checked in the form by kind, then by the gateway (its errors shown at the field). */
function SettingsForm({ journey }: { journey: Journey }) {
  const [drafts, setDrafts] = useState<Record<string, string>>(() => Object.fromEntries(journey.settings.map((s) => [s.name, draftOf(s)])));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<{ error?: CombinedError; done?: string; other?: string } | null>(null);
  const [state, update] = useMutation(UpdateSettings);
  if (journey.settings.length === 0) return null;

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const changed: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const setting of journey.settings) {
      const text = drafts[setting.name] ?? '';
      if (text === draftOf(setting)) continue;
      const result = parsed(setting, text);
      if ('problem' in result) found[setting.name] = result.problem;
      else changed[setting.name] = result.value;
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    if (Object.keys(changed).length === 0) {
      setOutcome({ done: 'Nothing changed.' });
      return;
    }
    const result = await update({ input: { id: journey.id, settings: changed } });
    if (result.error) return setOutcome({ error: result.error });
    const userErrors = result.data?.updateJourneySettings.userErrors ?? [];
    if (userErrors.length > 0) {
      const atField: Record<string, string> = {};
      const other: string[] = [];
      for (const userError of userErrors) {
        const name = userError.field?.[2];
        if (name && name in drafts) atField[name] = userError.message;
        else other.push(userError.message);
      }
      setProblems(atField);
      if (other.length > 0) setOutcome({ other: other.join('; ') });
      return;
    }
    const saved = result.data?.updateJourneySettings.journey?.settings ?? [];
    setDrafts(Object.fromEntries(saved.map((s) => [s.name, draftOf(s)])));
    setOutcome({ done: `Saved: ${Object.keys(changed).join(', ')}. New instances use the new values.` });
  }

  return (
    <section aria-labelledby="settings-title" className="card">
      <h2 id="settings-title">Settings</h2>
      {outcome?.error && <ProblemNotice error={outcome.error} cannot="change a journey's settings" />}
      {outcome?.other && (
        <p role="alert" className="notice notice-error">
          {outcome.other}
        </p>
      )}
      {outcome?.done && (
        <p role="status" className="notice">
          {outcome.done}
        </p>
      )}
      <form onSubmit={(event) => void save(event)} noValidate className="settings-form">
        {journey.settings.map((setting) => {
          const id = `setting-${setting.name}`;
          const problem = problems[setting.name];
          return (
            <div key={setting.name} className="field">
              <label htmlFor={id}>{setting.name}</label>
              {setting.type === 'BOOLEAN' ? (
                <select id={id} value={drafts[setting.name]} onChange={(e) => setDrafts({ ...drafts, [setting.name]: e.target.value })} aria-describedby={`${id}-help`}>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </select>
              ) : (
                <input
                  id={id}
                  inputMode={setting.type === 'NUMBER' ? 'decimal' : undefined}
                  value={drafts[setting.name] ?? ''}
                  onChange={(e) => setDrafts({ ...drafts, [setting.name]: e.target.value })}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={`${id}-help${problem ? ` ${id}-problem` : ''}`}
                />
              )}
              <span id={`${id}-help`} className="muted">
                {setting.description} (default {draftOf({ ...setting, value: setting.default })}
                {setting.overridden ? '; overridden here' : ''})
              </span>
              {problem && (
                <span id={`${id}-problem`} className="field-problem">
                  {problem}
                </span>
              )}
            </div>
          );
        })}
        <button type="submit" disabled={state.fetching}>
          Save settings
        </button>
      </form>
    </section>
  );
}
