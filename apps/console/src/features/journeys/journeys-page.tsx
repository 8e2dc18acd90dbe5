import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ScrollBox } from '../../components/scroll-box';
import { graphql } from '../../gql';
import type { JourneyStatus } from '../../gql/graphql';
import { useViewQuery } from '../../lib/use-view-query';
import { OutcomeNotices, type ActionOutcome } from '../../components/outcome-notices';

const Journeys = graphql(`
  query ConsoleJourneys {
    journeys {
      id
      key
      description
      status
      version
      instances {
        active
        completed
        exited
      }
    }
  }
`);

const PauseJourney = graphql(`
  mutation ConsolePauseJourney($input: PauseJourneyInput!) {
    pauseJourney(input: $input) {
      journey {
        id
        status
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const ResumeJourney = graphql(`
  mutation ConsoleResumeJourney($input: ResumeJourneyInput!) {
    resumeJourney(input: $input) {
      journey {
        id
        status
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const ArchiveJourney = graphql(`
  mutation ConsoleArchiveJourney($input: ArchiveJourneyInput!) {
    archiveJourney(input: $input) {
      journey {
        id
        status
        instances {
          active
          completed
          exited
        }
      }
      userErrors {
        code
        message
      }
    }
  }
`);

type Action = 'pause' | 'resume' | 'archive';

const actionText: Record<Action, { verb: string; effect: string }> = {
  pause: { verb: 'Pause', effect: 'It takes no new entries, and the sends of its running instances are held until it is resumed.' },
  resume: { verb: 'Resume', effect: 'It takes new entries again, and the held sends of its running instances go out.' },
  archive: { verb: 'Archive', effect: 'It takes no new entries, and every running instance exits with the reason "archived". This cannot be undone.' },
};

const statusLabel: Record<JourneyStatus, string> = { PUBLISHED: 'Published', PAUSED: 'Paused', ARCHIVED: 'Archived' };

/** The actions a journey in this status offers. */
function actionsFor(status: JourneyStatus): Action[] {
  if (status === 'PUBLISHED') return ['pause', 'archive'];
  if (status === 'PAUSED') return ['resume', 'archive'];
  return [];
}

/** Every journey of the catalogue with its status and instance counts; pause, resume and archive after a confirmation. */
export function JourneysPage() {
  const { data, notice } = useViewQuery({ query: Journeys }, { loading: 'Loading journeys…', cannot: 'list journeys' });
  const [pending, setPending] = useState<{ action: Action; id: string; key: string } | null>(null);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [pauseState, pause] = useMutation(PauseJourney);
  const [resumeState, resume] = useMutation(ResumeJourney);
  const [archiveState, archive] = useMutation(ArchiveJourney);
  const busy = pauseState.fetching || resumeState.fetching || archiveState.fetching;

  async function confirm() {
    if (!pending) return;
    const input = { input: { id: pending.id } };
    const result =
      pending.action === 'pause'
        ? await pause(input).then((r) => ({ error: r.error, payload: r.data?.pauseJourney }))
        : pending.action === 'resume'
          ? await resume(input).then((r) => ({ error: r.error, payload: r.data?.resumeJourney }))
          : await archive(input).then((r) => ({ error: r.error, payload: r.data?.archiveJourney }));
    const userErrors = result.payload?.userErrors.map((each) => each.message).join('; ');
    if (result.error) setOutcome({ error: result.error });
    else if (userErrors) setOutcome({ userErrors });
    else setOutcome({ done: `${pending.key}: ${statusLabel[result.payload?.journey?.status ?? 'PUBLISHED']}` });
    setPending(null);
  }

  return (
    <section aria-labelledby="journeys-title">
      <h1 id="journeys-title">Journeys</h1>
      {notice}
      <OutcomeNotices outcome={outcome} cannot="change a journey's status" />
      {data && (
        <ScrollBox label="Journeys, scrollable">
          <table aria-label="Journeys">
            <thead>
              <tr>
                <th scope="col">Journey</th>
                <th scope="col">Status</th>
                <th scope="col">Active</th>
                <th scope="col">Completed</th>
                <th scope="col">Exited</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.journeys.map((journey) => (
                <tr key={journey.id} aria-label={journey.key}>
                  <th scope="row">
                    <Link className="journey-key" to={`/journeys/${encodeURIComponent(journey.key)}`}>
                      {journey.key}
                    </Link> <span className="muted">v{journey.version}</span>
                    <div className="muted">{journey.description}</div>
                  </th>
                  <td>{statusLabel[journey.status]}</td>
                  <td>{journey.instances.active}</td>
                  <td>{journey.instances.completed}</td>
                  <td>{journey.instances.exited}</td>
                  <td className="actions">
                    {actionsFor(journey.status).map((action) => (
                      <button
                        key={action}
                        type="button"
                        aria-label={`${actionText[action].verb} ${journey.key}`}
                        onClick={() => {
                          setOutcome(null);
                          setPending({ action, id: journey.id, key: journey.key });
                        }}
                      >
                        {actionText[action].verb}
                      </button>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {pending && (
        <ConfirmDialog
          title={`${actionText[pending.action].verb} ${pending.key}?`}
          confirmLabel={actionText[pending.action].verb}
          busy={busy}
          onCancel={() => setPending(null)}
          onConfirm={() => void confirm()}
        >
          <p>{actionText[pending.action].effect}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
