import { defineJourney, firstName } from '@continuum/journey';

const DEFAULT_SEND_TIME = '10:00';
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Free to paid, once per customer: after sign-up, wait until the next weekday morning in the
 * customer's time zone, then send the message that fits their plan at that moment (free: upgrade
 * invitation; trial: choose a plan before the trial ends; anything else: nothing). Starting a
 * subscription ends the journey at any point, including during the wait.
 */
export const onboarding = defineJourney({
  id: 'onboarding',
  version: 1,
  description: "Free to paid: on the next weekday morning after sign-up (customer's time zone), invites free and trial users to upgrade by SMS",
  entry: { events: ['Signed Up'] },
  reentry: 'once',
  exitOn: ['Subscription Started'],
  settings: {
    sendTime: {
      type: 'string',
      default: DEFAULT_SEND_TIME,
      description: "Local time of day (HH:MM, 24-hour) for the message, on a weekday in the customer's time zone",
    },
    upgradeUrl: {
      type: 'string',
      default: 'https://example.com/upgrade',
      description: 'Where the messages send customers to choose a paid plan',
    },
  },
  steps: [
    { id: 'entry', kind: 'entry', label: 'Signed Up' },
    {
      id: 'wait-for-weekday-morning',
      kind: 'delay',
      label: "Wait until the send time on a weekday in the customer's time zone (UTC without one)",
      next: ['choose-message-by-plan'],
    },
    {
      id: 'choose-message-by-plan',
      kind: 'branch',
      label: 'Branch on the plan trait: free, trial or no message',
      next: ['free-upgrade-sms', 'trial-upgrade-sms', 'exit'],
      nextLabels: { 'free-upgrade-sms': 'plan = free', 'trial-upgrade-sms': 'plan = trial', exit: 'any other plan' },
    },
    { id: 'free-upgrade-sms', kind: 'send', label: 'SMS inviting a free user to upgrade', next: ['done', 'exit'] },
    { id: 'trial-upgrade-sms', kind: 'send', label: 'SMS asking a trial user to choose a plan', next: ['done', 'exit'] },
    { id: 'done', kind: 'complete', label: 'Upgrade message sent' },
    { id: 'exit', kind: 'exit', label: 'Subscription Started, no message for the plan, or no phone number' },
  ],
  async run(journey) {
    // The override is only checked for being a non-empty string; a malformed time would fail every workflow task.
    const sendTime = TIME_OF_DAY.test(journey.settings.sendTime) ? journey.settings.sendTime : DEFAULT_SEND_TIME;
    await journey.delayUntilLocalTime({
      time: sendTime,
      weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      fallbackTimeZone: 'UTC',
      step: 'wait-for-weekday-morning',
    });

    const plan = (await journey.profile())?.traits['plan'];
    const offer = plan === 'free' || plan === 'trial' ? plan : 'no-message';
    await journey.branch('choose-message-by-plan', offer, plan === undefined ? 'no plan trait' : `plan is ${JSON.stringify(plan)}`);
    if (offer === 'no-message') {
      return journey.exit(plan === 'paid' ? 'already on a paid plan' : `no upgrade message for plan ${JSON.stringify(plan ?? null)}`, { nothingSent: true });
    }

    const url = journey.settings.upgradeUrl;
    const sent =
      offer === 'free'
        ? await journey.send('free-upgrade-sms', { channel: 'sms', body: ({ profile }) => freeUpgradeInvite(firstName(profile.traits), url) })
        : await journey.send('trial-upgrade-sms', { channel: 'sms', body: ({ profile }) => trialUpgradeInvite(firstName(profile.traits), url) });
    if (sent.status !== 'sent') return journey.exitUnsent(sent);
    return journey.complete({ plan: offer });
  },
});

export function freeUpgradeInvite(name: string, url: string): string {
  return `Hi ${name}, thanks for joining us! You're on the Free plan. Upgrade any time to unlock every feature and lift the limits: ${url}`;
}

export function trialUpgradeInvite(name: string, url: string): string {
  return `Hi ${name}, how is your trial going? Choose a plan before it ends to keep everything you've set up: ${url}`;
}
