import type { GatewayConfig } from '@continuum/config';
import type { ApiKeyPrincipal, EventStore, JournalStore, JourneyInstanceEntity, MessageStore, OperatorAuditRow, OperatorAuditStore, TransactionalStore } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { WorkflowNotFoundError } from '@temporalio/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toGlobalId } from '../node/global-id';
import { journeyInstanceGlobalId } from '../node/journey-instance-id';
import { OperatorActionsService } from './operator-actions.service';

const principal = { workspaceId: 'w1', workspaceSlug: 'default', keyId: 'k1' } as unknown as ApiKeyPrincipal;
const ID = 'journey/abandoned-cart/ana/c1';
const GLOBAL_ID = journeyInstanceGlobalId({ instanceId: ID, runId: 'r1' });

/** The service over fakes: one active instance, an audit trail in memory, and a Temporal whose describe() fails with `failure`. */
function service(failure: Error) {
  const recorded: OperatorAuditRow[] = [];
  const instance = { instanceId: ID, runId: 'r1', customerId: 'ana', journeyId: 'abandoned-cart', status: 'active' } as unknown as JourneyInstanceEntity;
  const journal = { getRuns: async () => [instance] } as unknown as JournalStore;
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
  const operators = new OperatorActionsService(journal, {} as EventStore, audit, {} as MessageStore, {} as TransactionalStore, temporal, {} as GatewayConfig);
  return { operators, recorded };
}

describe('OperatorActionsService outcomes', () => {
  it('a workflow gone from Temporal is a FAILED_PRECONDITION user error beside an audit entry that says error', async () => {
    const { operators, recorded } = service(new WorkflowNotFoundError('workflow not found', ID, undefined));
    const payload = await operators.rerunFailedStep(principal, GLOBAL_ID);
    expect(payload.userErrors).toEqual([{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: expect.stringMatching(/is not running in Temporal/) }]);
    expect(payload.auditEntry).toMatchObject({ action: 'rerunFailedStep', target: ID, outcome: 'error', message: 'workflow not found' });
    expect(recorded.map((row) => row.outcome)).toEqual(['error']);
  });

  it('an outage is audited as an error and stays a GraphQL error (thrown), never a user error', async () => {
    const outage = new Error('14 UNAVAILABLE: connection refused');
    const { operators, recorded } = service(outage);
    await expect(operators.rerunFailedStep(principal, GLOBAL_ID)).rejects.toBe(outage);
    expect(recorded).toMatchObject([{ action: 'rerunFailedStep', target: ID, runId: 'r1', outcome: 'error', message: '14 UNAVAILABLE: connection refused' }]);
  });

  it('refuses, unaudited, any instance id that is not the global id of a JourneyInstance, naming input.id', async () => {
    const { operators, recorded } = service(new Error('not reached'));
    const notAnInstance = fc.oneof(
      fc.string(),
      fc.string({ minLength: 1 }).map((local) => toGlobalId('Profile', local)),
      // A JourneyInstance id without a run part.
      fc.stringMatching(/^[a-z/]{1,20}$/).map((local) => toGlobalId('JourneyInstance', local)),
    );
    await fc.assert(
      fc.asyncProperty(notAnInstance, async (id) => {
        for (const payload of [await operators.rerunFailedStep(principal, id), await operators.endInstance(principal, id, 'why', false)]) {
          expect(payload).toEqual({ auditEntry: null, userErrors: [{ code: 'INVALID', field: ['input', 'id'], message: expect.any(String) }] });
        }
      }),
    );
    expect(recorded).toEqual([]);
  });

  it('refuses a message id that is not the global id of a Message or TransactionalMessage, naming input.id', async () => {
    const { operators } = service(new Error('not reached'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.uuid().map((uuid) => toGlobalId('Broadcast', uuid))), async (id) => {
        expect((await operators.retryFailedSend(principal, id)).userErrors).toEqual([{ code: 'INVALID', field: ['input', 'id'], message: expect.any(String) }]);
      }),
    );
  });
});
