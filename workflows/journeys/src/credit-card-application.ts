import { defineJourney, firstName } from '@continuum/journey';

/**
 * Credit card application abandonment, one instance per (customer, application): every step the
 * applicant completes restarts the idle timer; once the application has been left untouched long
 * enough, one SMS names the card and invites them back. Submitting the application ends its
 * instance at once, with no message; the customer's other applications carry on.
 */
export const creditCardApplication = defineJourney({
  id: 'credit-card-application',
  version: 1,
  description: 'Reminds an applicant by SMS, once, about a credit card application left unfinished (one instance per application)',
  entry: { events: ['Application Started'] },
  key: 'properties.application_id',
  exitOn: ['Application Submitted'],
  listensTo: ['Application Step Completed'],
  settings: {
    idleTimeout: {
      type: 'duration',
      default: '1 day',
      description: 'How long the application must go untouched before the reminder',
    },
    maxStepUpdates: {
      type: 'number',
      default: 50,
      min: 1,
      description: 'Progress events after which the journey stops waiting and ends without a reminder (guards against runaway clients)',
    },
  },
  steps: [
    { id: 'entry', kind: 'entry', label: 'Application Started' },
    {
      id: 'wait-for-idle-application',
      kind: 'hold-until-idle',
      label: 'Wait until the application is idle (each completed step restarts the timer)',
      next: ['application-reminder-sms', 'exit'],
    },
    { id: 'application-reminder-sms', kind: 'send', label: 'SMS naming the card applied for', next: ['done', 'exit'] },
    { id: 'done', kind: 'complete', label: 'Reminder sent' },
    { id: 'exit', kind: 'exit', label: 'Application Submitted, too many updates, or no phone number' },
  ],
  async run(journey) {
    journey.on('Application Started', (event) => {
      const cardName = event.properties['card_name'];
      if (typeof cardName === 'string' && cardName.trim() !== '') journey.context['cardName'] = cardName.trim();
    });
    journey.on('Application Step Completed', (event) => {
      journey.context['stepsCompleted'] = Number(journey.context['stepsCompleted'] ?? 0) + 1;
      if (typeof event.properties['step'] === 'string') journey.context['lastStep'] = event.properties['step'];
    });

    const idle = await journey.holdUntilIdle(journey.settings.idleTimeout, {
      resetOn: ['Application Step Completed', 'Application Started'],
      maxResets: journey.settings.maxStepUpdates,
      step: 'wait-for-idle-application',
    });
    if (idle.outcome === 'max-resets') return journey.exit(`still in progress after ${idle.resets} updates`, { nothingSent: true });

    const sent = await journey.send('application-reminder-sms', {
      channel: 'sms',
      body: ({ profile, journey: { context } }) => applicationReminder(firstName(profile.traits), context['cardName']),
    });
    if (sent.status !== 'sent') return journey.exitUnsent(sent);
    return journey.complete();
  },
});

export function applicationReminder(name: string, cardName: unknown): string {
  const card = typeof cardName === 'string' ? cardName : 'credit card';
  return `Hi ${name}, your ${card} application is waiting for you. We've saved your progress, so you can pick up where you left off and finish in a few minutes.`;
}
