import { useParams } from 'react-router';
import { InstanceTable } from '../../components/instance-table';
import { ScrollBox } from '../../components/scroll-box';
import { Time } from '../../components/time';
import { graphql } from '../../gql';
import type { ConsoleCustomerQuery } from '../../gql/graphql';
import { useLiveUpdates } from '../../lib/use-live-updates';
import { useViewQuery } from '../../lib/use-view-query';

const Customer = graphql(`
  query ConsoleCustomer($userId: String!) {
    profile(userId: $userId) {
      id
      userId
      email
      phone
      country
      locale
      timezone
      createdAt
      updatedAt
      traits
      identities(first: 50) {
        nodes {
          id
          kind
          value
          source
          lastSeenAt
        }
      }
      consent {
        channel
        purpose
        status
        source
        updatedAt
      }
      journeyInstances(first: 20) {
        nodes {
          id
          journeyId
          key
          status
          currentStep
          startedAt
          exitReason
        }
      }
      timeline(first: 50) {
        nodes {
          __typename
          id
          at
          kind
          ... on ProfileEvent {
            call: type
            name
          }
          ... on TimelineEntry {
            entry: type
            step
          }
          ... on Message {
            channel
            status
            to
            step
          }
          ... on OperatorAuditEntry {
            action
            outcome
            target
          }
        }
      }
    }
  }
`);

const CustomerActivity = graphql(`
  subscription ConsoleCustomerActivity($userId: String!, $after: String) {
    customerActivity(userId: $userId, after: $after) {
      cursor
    }
  }
`);

type TimelineItem = NonNullable<ConsoleCustomerQuery['profile']>['timeline']['nodes'][number];

/** One line of the cross-channel timeline: what happened, in words. */
function describe(item: TimelineItem): string {
  switch (item.__typename) {
    case 'ProfileEvent':
      return `${item.call.toLowerCase()} ${item.name ?? ''}`.trim();
    case 'TimelineEntry':
      return `${item.step}: ${item.entry.toLowerCase().replace(/_/g, ' ')}`;
    case 'Message':
      return `${item.channel} to ${item.to} (${item.step}): ${item.status.toLowerCase()}`;
    case 'OperatorAuditEntry':
      return `${item.action.toLowerCase().replace(/_/g, ' ')} on ${item.target}: ${item.outcome.toLowerCase()}`;
  }
}

const kindLabel: Record<TimelineItem['kind'], string> = { EVENT: 'Event', JOURNEY_STEP: 'Journey step', MESSAGE: 'Message', OPERATOR_ACTION: 'Operator action' };

const liveLabel = { live: 'Live', reconnecting: 'Reconnecting…', unavailable: 'Live updates unavailable' } as const;

/** A customer: traits, identities, consent, journey instances and a timeline that follows what happens live. */
export function CustomerPage() {
  const userId = useParams()['userId'] ?? '';
  const { data, notice, refetch } = useViewQuery({ query: Customer, variables: { userId } }, { loading: `Loading ${userId}…`, cannot: 'read customers' });
  // Each new event, journey step or message of the customer refreshes the view; after a dropped
  // socket, the subscription resumes after the last one, so what happened meanwhile comes too.
  const live = useLiveUpdates({
    query: CustomerActivity,
    variables: { userId },
    cursorOf: (update) => update.customerActivity.cursor,
    onData: () => refetch({ requestPolicy: 'network-only' }),
    onGap: () => refetch({ requestPolicy: 'network-only' }),
  });

  if (notice) return notice;
  const profile = data?.profile;
  if (!profile) {
    return (
      <section>
        <h1>{userId}</h1>
        <p role="status">No customer has the user id {userId}.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="customer-title">
      <h1 id="customer-title">Customer {profile.userId}</h1>
      <p className="muted">
        {liveLabel[live.status]} · updated <Time value={profile.updatedAt} />
      </p>
      <div className="grid">
        <section aria-labelledby="traits-title" className="card">
          <h2 id="traits-title">Traits</h2>
          <dl>
            {Object.entries(profile.traits).map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="identities-title" className="card">
          <h2 id="identities-title">Identities</h2>
          <ul aria-labelledby="identities-title">
            {profile.identities.nodes.map((identity) => (
              <li key={identity.id}>
                <span className="muted">{identity.kind.toLowerCase().replace(/_/g, ' ')}</span> {identity.value}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="consent-title" className="card">
          <h2 id="consent-title">Consent</h2>
          {profile.consent.length === 0 ? (
            <p className="muted">No consent recorded.</p>
          ) : (
            <ScrollBox label="Consent, scrollable">
              <table aria-labelledby="consent-title">
                <thead>
                  <tr>
                    <th scope="col">Channel</th>
                    <th scope="col">Purpose</th>
                    <th scope="col">Status</th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {profile.consent.map((consent) => (
                    <tr key={`${consent.channel}/${consent.purpose}`}>
                      <td>{consent.channel}</td>
                      <td>{consent.purpose}</td>
                      <td>{consent.status}</td>
                      <td>{consent.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
          )}
        </section>
      </div>
      <section aria-labelledby="instances-title">
        <h2 id="instances-title">Journey instances</h2>
        <InstanceTable instances={profile.journeyInstances.nodes} label="Journey instances" />
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <ol aria-labelledby="timeline-title" className="timeline">
          {profile.timeline.nodes.map((item) => (
            <li key={item.id}>
              <Time value={item.at} /> <span className="tag">{kindLabel[item.kind]}</span> {describe(item)}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
