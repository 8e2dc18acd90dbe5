import { Link } from 'react-router';
import type { JourneyInstanceStatus } from '../gql/graphql';
import { ScrollBox } from './scroll-box';
import { Time } from './time';

export interface InstanceRow {
  id: string;
  journeyId: string;
  key: string;
  status: JourneyInstanceStatus;
  currentStep: string;
  startedAt: string;
  exitReason?: string | null;
}

const statusLabel: Record<JourneyInstanceStatus, string> = { ACTIVE: 'Active', COMPLETED: 'Completed', EXITED: 'Exited' };

/** A customer's journey instances: where each stands (status and current step). */
export function InstanceTable({ instances, label }: { instances: InstanceRow[]; label: string }) {
  if (instances.length === 0) return <p className="muted">No journey instances.</p>;
  return (
    <ScrollBox label={`${label}, scrollable`}>
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Journey</th>
            <th scope="col">Key</th>
            <th scope="col">Status</th>
            <th scope="col">Current step</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {instances.map((instance) => (
            <tr key={instance.id}>
              <td>{instance.journeyId}</td>
              <td>
                <Link to={`/instances/${encodeURIComponent(instance.id)}`}>{instance.key}</Link>
              </td>
              <td>
                {statusLabel[instance.status]}
                {instance.exitReason ? <span className="muted"> ({instance.exitReason})</span> : null}
              </td>
              <td>{instance.currentStep}</td>
              <td>
                <Time value={instance.startedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
