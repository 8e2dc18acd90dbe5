import { patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { transactionalSendRequest, type MessagingActivities, type ProfileActivities, type SendOutcome, type TransactionalActivities, type TransactionalSendInput } from '@continuum/contracts';

/** Runs started before the profile read and the outcome's record became local activities replay as they ran. */
const TRANSACTIONAL_LOCAL_PATCH = 'continuum.transactional-local';
/**
 * Runs started before the whole send became one activity (`sendTransactional`) replay as they ran:
 * a profile read and the outcome's record as local activities around the send.
 */
const TRANSACTIONAL_ONE_ACTIVITY_PATCH = 'continuum.transactional-one-activity';

/**
 * One transactional message (a receipt, a one-time code) asked for through `sendMessage`: the
 * template is rendered at send time against `{ data, profile }` and sent through the outbox
 * (keyed by this workflow, so never twice) as `transactional` — marketing consent, frequency caps
 * and quiet hours do not hold it. The outcome is recorded on the request for its status queries.
 */
export async function transactionalSend(input: TransactionalSendInput): Promise<SendOutcome> {
  const sender = { instanceId: workflowInfo().workflowId, runId: workflowInfo().firstExecutionRunId };
  const summary = `transactional ${input.channel} (${input.template})`;
  if (patched(TRANSACTIONAL_ONE_ACTIVITY_PATCH)) {
    // The profile read, the send and the outcome's record in one activity: what plain Temporal code
    // would do (two actions, a start and an activity; two workflow tasks), where the local activities
    // around the send cost one action each. The activity sends through the outbox keyed by this
    // workflow, so its retry returns the first send's outcome instead of sending again.
    const send = proxyActivities<TransactionalActivities>({
      startToCloseTimeout: '1 minute',
      retry: { maximumInterval: '1 minute' },
      summary,
    });
    return send.sendTransactional({ request: input, ...sender });
  }
  // The profile read and the outcome's record are short PostgreSQL statements: as local activities
  // they run inside the workflow task, so a message costs one activity task and two workflow tasks
  // on the server instead of three and four (what a busy task queue makes each of them wait for).
  // Runs that did them as activities keep doing so where they replay them.
  const local = patched(TRANSACTIONAL_LOCAL_PATCH);
  const reads = local
    ? proxyLocalActivities<ProfileActivities>({ startToCloseTimeout: '10 seconds', retry: { maximumInterval: '30 seconds' } })
    : proxyActivities<ProfileActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '30 seconds' } });
  const messaging = proxyActivities<MessagingActivities & TransactionalActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: ['InvalidSendRequest'] },
    summary,
  });
  const outcomes = local ? proxyLocalActivities<TransactionalActivities>({ startToCloseTimeout: '10 seconds', retry: { maximumInterval: '30 seconds' } }) : messaging;
  const profile = await reads.getProfile({ workspaceId: input.workspaceId, userId: input.customerId });
  let outcome: SendOutcome;
  try {
    outcome = await messaging.sendMessage(transactionalSendRequest(input, sender, profile));
  } catch (error) {
    // A request the activity refuses for good (an explicit address that is not one): failed, with why.
    const cause = (error as { cause?: { message?: string } }).cause;
    outcome = { status: 'failed', channel: input.channel, reason: cause?.message ?? String(error) };
  }
  await outcomes.recordTransactionalOutcome({ requestId: input.requestId, outcome });
  return outcome;
}
