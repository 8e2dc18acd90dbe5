// The trial-ending reminder of docs/journeys.md ("A journey from the guide alone"), written with the
// documented API only; bundled by author-guide.test.ts, which keeps the guide's example true.
import { defineJourney, defineLookup, toMs, type LookupResult } from '@continuum/journey';

/** What the customer made during the trial: one row `{ projects }`, or none. */
export const trialUsage = defineLookup({
  name: 'trial-usage',
  sql: 'SELECT projects FROM trial_usage WHERE user_id = :user_id',
  params: ['user_id'],
});

/** The reminder's text: the day the trial ends (UTC) and, when the warehouse knows, what they made. */
export function trialEndingText(name: string, endsAt: number, usage: LookupResult | undefined): string {
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(endsAt);
  const projects = Number(usage?.rows[0]?.['projects'] ?? 0);
  const made = projects > 0 ? ` You have made ${projects} project${projects === 1 ? '' : 's'}: choose a plan to keep them.` : ' Choose a plan to keep your work.';
  return `Hi ${name}, your trial ends on ${day}.${made}`;
}

export const trialEndingReminder = defineJourney({
  id: 'trial-ending-reminder',
  version: 1,
  description: 'Reminds a trial customer, by email or else SMS, a few days before the trial ends, with what they made during it',
  entry: { events: ['Trial Started'] },
  reentry: 'once',
  exitOn: ['Subscription Started'],
  settings: {
    trialLength: { type: 'duration', default: '14 days', description: 'Trial length, from the event, when it has no trial_ends_at' },
    remindBefore: { type: 'duration', default: '3 days', description: 'How long before the end of the trial to remind' },
  },
  steps: [
    { id: 'entry', kind: 'entry', label: 'Trial Started', next: ['wait-until-reminder-day', 'exit'] },
    { id: 'wait-until-reminder-day', kind: 'delay', label: 'Until a few days before the trial ends', next: ['trial-ending-reminder'] },
    { id: 'trial-ending-reminder', kind: 'send', label: 'Email (else SMS) with what they made', next: ['done', 'exit'] },
    { id: 'done', kind: 'complete', label: 'Reminder sent' },
    { id: 'exit', kind: 'exit', label: 'Subscribed, no usable date, or no channel reached them' },
  ],
  async run(journey) {
    // The entry event, read once: `decide` records it, so after continue-as-new it is still this event.
    const entry = await journey.decide(() => journey.events[0]!);
    const given = entry.properties['trial_ends_at'];
    // The event's own time, not when it reached us: a late event still gets its full trial.
    const endsAt = given === undefined ? Date.parse(entry.timestamp) + toMs(journey.settings.trialLength) : Date.parse(String(given));
    if (Number.isNaN(endsAt)) return journey.exit(`trial_ends_at is not a date: ${JSON.stringify(given)}`, { nothingSent: true });

    await journey.delayUntil(endsAt - toMs(journey.settings.remindBefore), { step: 'wait-until-reminder-day' });
    const sent = await journey.send('trial-ending-reminder', {
      channel: ['email', 'sms'],
      subject: 'Your trial ends soon',
      lookups: { usage: [trialUsage, { user_id: journey.customerId }] },
      body: ({ profile, lookups }) => trialEndingText(String(profile.traits['first_name'] ?? 'there'), endsAt, lookups['usage']),
    });
    if (sent.status !== 'sent') return journey.exit(sent.status === 'skipped' ? sent.reason : `send failed: ${sent.reason}`, { nothingSent: true });
    return journey.complete({ channel: sent.channel });
  },
});
