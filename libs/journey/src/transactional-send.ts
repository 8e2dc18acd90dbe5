import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { MessagingActivities, ProfileActivities, SendOutcome, TransactionalActivities, TransactionalSendInput } from '@continuum/contracts';

/**
 * One transactional message (a receipt, a one-time code) asked for through `sendMessage`: the
 * template is rendered at send time against `{ data, profile }` and sent through the outbox
 * (keyed by this workflow, so never twice) as `transactional` — marketing consent, frequency caps
 * and quiet hours do not hold it. The outcome is recorded on the request for its status queries.
 */
export async function transactionalSend(input: TransactionalSendInput): Promise<SendOutcome> {
  const reads = proxyActivities<ProfileActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '30 seconds' } });
  const messaging = proxyActivities<MessagingActivities & TransactionalActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: ['InvalidSendRequest'] },
    summary: `transactional ${input.channel} (${input.template})`,
  });
  const profile = await reads.getProfile({ workspaceId: input.workspaceId, userId: input.customerId });
  const payload = {
    data: input.data,
    profile: {
      traits: profile?.traits ?? {},
      identities: { userId: input.customerId, phone: profile?.phone, email: profile?.email },
      ...(profile?.timezone ? { timezone: profile.timezone } : {}),
      ...(profile?.locale ? { locale: profile.locale } : {}),
      ...(profile?.country ? { country: profile.country } : {}),
    },
  };
  let outcome: SendOutcome;
  try {
    outcome = await messaging.sendMessage({
      workspaceId: input.workspaceId,
      customerId: input.customerId,
      instanceId: workflowInfo().workflowId,
      runId: workflowInfo().firstExecutionRunId,
      journeyId: 'transactional',
      step: 'send',
      channel: input.channel,
      template: { name: input.template, ...(input.locale ? { locale: input.locale } : {}), payload },
      purpose: 'transactional',
      ...(input.to ? { to: input.to } : {}),
      ...(input.subject ? { subject: input.subject } : {}),
      ...(input.title ? { title: input.title } : {}),
    });
  } catch (error) {
    // A request the activity refuses for good (an explicit address that is not one): failed, with why.
    const cause = (error as { cause?: { message?: string } }).cause;
    outcome = { status: 'failed', channel: input.channel, reason: cause?.message ?? String(error) };
  }
  await messaging.recordTransactionalOutcome({ requestId: input.requestId, outcome });
  return outcome;
}
