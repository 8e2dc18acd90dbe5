import type { ProfileSnapshot, SendMessageInput, TransactionalSendInput } from './activities';

/**
 * What a transactional message sends, from its request and the customer's profile: the template
 * rendered against `{ data, profile }` as `transactional` (marketing consent, frequency caps and
 * quiet hours do not hold it), through the outbox keyed by the sending workflow (`instanceId`,
 * `runId`: its first run), so a retried send reaches no one twice. Pure: the workflow and the
 * activity that sends it build the same request.
 */
export function transactionalSendRequest(input: TransactionalSendInput, sender: { instanceId: string; runId: string }, profile: ProfileSnapshot | undefined): SendMessageInput {
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
  return {
    workspaceId: input.workspaceId,
    customerId: input.customerId,
    instanceId: sender.instanceId,
    runId: sender.runId,
    journeyId: 'transactional',
    step: 'send',
    channel: input.channel,
    template: { name: input.template, ...(input.locale ? { locale: input.locale } : {}), payload },
    purpose: 'transactional',
    ...(input.to ? { to: input.to } : {}),
    ...(input.subject ? { subject: input.subject } : {}),
    ...(input.title ? { title: input.title } : {}),
  };
}
