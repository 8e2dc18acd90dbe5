import type { GatewayConfig } from '@continuum/config';
import type { ApiKeyPrincipal, EventStore, JournalStore, JourneyInstanceEntity, MessageStore, OperatorAuditRow, OperatorAuditStore } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { OperatorActionsService } from './operator-actions.service';

const principal = { workspaceId: 'w1', workspaceSlug: 'default', keyId: 'k1' } as unknown as ApiKeyPrincipal;
const ID = 'journey/abandoned-cart/ana/c1';

/** The service over fakes: one active instance, an audit trail in memory, and a Temporal whose describe() fails with `failure`. */
function service(failure: Error) {
  const recorded: OperatorAuditRow[] = [];
  const instance = { instanceId: ID, runId: 'r1', customerId: 'ana', journeyId: 'abandoned-cart', status: 'active' } as unknown as JourneyInstanceEntity;
  const journal = { getInstance: async () => instance } as unknown as JournalStore;
  const audit = {
    record: async (row: Omit<OperatorAuditRow, 'id' | 'actorName'>) => {
      const stored = { ...row, id: String(recorded.length + 1), actorName: 'fixture' } as OperatorAuditRow;
      recorded.push(stored);
      return stored;
    },
  } as unknown as OperatorAuditStore;
  const temporal = {
    client: {
      workflow: {
        getHandle: () => ({
          describe: async () => {
            throw failure;
          },
        }),
      },
    },
  } as unknown as TemporalClientHandle;
  const operators = new OperatorActionsService(journal, {} as EventStore, audit, {} as MessageStore, temporal, {} as GatewayConfig);
  return { operators, recorded };
}

describe('OperatorActionsService outcomes', () => {
  it('a workflow gone from Temporal is a FAILED_PRECONDITION user error beside an audit entry that says error', async () => {
    const { operators, recorded } = service(new WorkflowNotFoundError('workflow not found', ID, undefined));
    const payload = await operators.rerunFailedStep(principal, ID);
    expect(payload.userErrors).toEqual([{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: expect.stringMatching(/is not running in Temporal/) }]);
    expect(payload.auditEntry).toMatchObject({ action: 'rerunFailedStep', target: ID, outcome: 'error', message: 'workflow not found' });
    expect(recorded.map((row) => row.outcome)).toEqual(['error']);
  });

  it('an outage is audited as an error and stays a GraphQL error (thrown), never a user error', async () => {
    const outage = new Error('14 UNAVAILABLE: connection refused');
    const { operators, recorded } = service(outage);
    await expect(operators.rerunFailedStep(principal, ID)).rejects.toBe(outage);
    expect(recorded).toMatchObject([{ action: 'rerunFailedStep', target: ID, outcome: 'error', message: '14 UNAVAILABLE: connection refused' }]);
  });
});
