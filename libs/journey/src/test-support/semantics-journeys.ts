// Small journeys that each exercise one semantic of the library; bundled only by its tests.
import { defineJourney } from '../define-journey';

// These journeys each exercise one semantic, not a catalogue graph: their step ids are not declared.
const steps = [{ id: 'entry', kind: 'entry' as const, label: 'Entry' }];

/** Waits for a matching `Payment Received` for up to 3 days. */
export const waitForPayment = defineJourney({
  id: 'wait-for-payment',
  version: 1,
  description: 'waitFor with a filter and a timeout',
  entry: { events: ['Invoice Sent'] },
  key: 'properties.invoice_id',
  exitOn: ['Invoice Cancelled'],
  listensTo: ['Payment Received'],
  steps,
  dynamicStepIds: true,
  async run(journey) {
    const paid = await journey.waitFor('Payment Received', { timeout: '3 days', where: { 'properties.amount': { gte: 100 } }, step: 'await-payment' });
    if (paid.outcome === 'timeout') return journey.exit('not paid in 3 days');
    journey.context['paidWith'] = paid.event.properties['method'];
    return journey.complete({ amount: paid.event.properties['amount'] });
  },
});

/** Idle timer with at most 3 resets. */
export const idleWithMaxResets = defineJourney({
  id: 'idle-with-max-resets',
  version: 1,
  description: 'holdUntilIdle with maxResets',
  entry: { events: ['Ping'] },
  settings: { idle: { type: 'duration', default: '1 hour', description: 'idle time' } },
  steps,
  dynamicStepIds: true,
  async run(journey) {
    const idle = await journey.holdUntilIdle(journey.settings.idle, { resetOn: ['Ping'], maxResets: 3, step: 'hold' });
    journey.context['outcome'] = idle.outcome;
    journey.context['resets'] = idle.resets;
  },
});

/** A long delay that an exit event must interrupt. */
export const longDelay = defineJourney({
  id: 'long-delay',
  version: 1,
  description: 'exit in the middle of a delay',
  entry: { events: ['Trial Started'] },
  exitOn: ['Trial Cancelled'],
  maxLifetime: '30 days',
  steps,
  dynamicStepIds: true,
  async run(journey) {
    await journey.delay('14 days', { step: 'wait-two-weeks' });
    await journey.send('trial-ending', { channel: 'sms', body: 'Your trial ends soon' });
  },
});

/** Waits until 10:00 on a weekday in the customer's zone. */
export const localMorning = defineJourney({
  id: 'local-morning',
  version: 1,
  description: 'delay until a local time on weekdays',
  entry: { events: ['Signed Up'] },
  steps,
  dynamicStepIds: true,
  async run(journey) {
    await journey.delayUntilLocalTime({ time: '10:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], step: 'until-10am' });
    await journey.send('good-morning', { channel: 'sms', body: 'Good morning!' });
  },
});

/** A deterministic random split and a traits branch. */
export const splitAndBranch = defineJourney({
  id: 'split-and-branch',
  version: 1,
  description: 'random split and a branch on traits',
  entry: { events: ['Visited'] },
  steps,
  dynamicStepIds: true,
  async run(journey) {
    const variant = await journey.split('copy-test', { a: 50, b: 50 });
    const profile = await journey.profile();
    const plan = profile?.traits['plan'] === 'pro' ? 'pro' : 'free';
    const branch = await journey.branch('by-plan', plan, `plan trait is ${String(profile?.traits['plan'])}`);
    journey.context['variant'] = variant;
    journey.context['branch'] = branch;
  },
});

/** Keeps notes in its context, which is capped at 200 bytes. */
export const smallContext = defineJourney({
  id: 'small-context',
  version: 1,
  description: 'journey context capped in size',
  entry: { events: ['Note'] },
  listensTo: ['Note'],
  maxContextBytes: 200,
  steps,
  dynamicStepIds: true,
  async run(journey) {
    journey.on('Note', (event) => {
      journey.context['notes'] = [...((journey.context['notes'] as string[] | undefined) ?? []), String(event.properties['text'] ?? '')];
    });
    await journey.holdUntilIdle('1 hour', { resetOn: ['Note'], step: 'collect' });
  },
});

/** Counts events with a tiny history limit, so it must continue-as-new several times. */
export const eventCounter = defineJourney({
  id: 'event-counter',
  version: 1,
  description: 'continue-as-new carrying context',
  entry: { events: ['Tick'] },
  listensTo: ['Tick'],
  historyLimit: 150,
  settings: { idle: { type: 'duration', default: '1 hour', description: 'idle time before the summary' } },
  steps,
  dynamicStepIds: true,
  async run(journey) {
    journey.on('Tick', (event) => {
      journey.context['ticks'] = Number(journey.context['ticks'] ?? 0) + 1;
      journey.context['last'] = event.properties['n'];
    });
    const before = await journey.split('before', { only: 1 });
    await journey.holdUntilIdle(journey.settings.idle, { resetOn: ['Tick'], step: 'count' });
    await journey.send('summary', { channel: 'sms', body: `ticks=${String(journey.context['ticks'])} last=${String(journey.context['last'])} before=${before}` });
  },
});

/** Sends the stored `welcome` template (rendered at send time in the customer's locale). */
export const templatedWelcome = defineJourney({
  id: 'templated-welcome',
  version: 1,
  description: 'send with a stored template',
  entry: { events: ['Joined'] },
  steps,
  dynamicStepIds: true,
  async run(journey) {
    const sent = await journey.send('welcome-sms', { channel: 'sms', template: 'welcome' });
    journey.context['sent'] = sent.status;
  },
});

/** Waits until 23:30 in the customer's time zone, then sends: inside the usual quiet hours. */
export const lateNightSend = defineJourney({
  id: 'late-night-send',
  version: 1,
  description: 'a send that falls in quiet hours',
  entry: { events: ['Late Night'] },
  key: 'properties.case',
  steps,
  dynamicStepIds: true,
  async run(journey) {
    journey.on('Late Night', (event) => {
      journey.context['mode'] = event.properties['mode'] ?? null;
      journey.context['transactional'] = event.properties['transactional'] === true;
    });
    await journey.delayUntilLocalTime({ time: '23:30', fallbackTimeZone: 'America/Sao_Paulo', step: 'until-late' });
    const mode = journey.context['mode'] as 'queue' | 'discard' | 'ignore' | null;
    const sent = await journey.send('late-sms', {
      channel: 'sms',
      body: 'A late offer',
      transactional: journey.context['transactional'] === true,
      ...(mode ? { quietHours: mode } : {}),
    });
    journey.context['outcome'] = sent.status;
  },
});

/** A send over a channel preference, shaped by the entry event (channels, fallback, templates). */
export const channelSend = defineJourney({
  id: 'channel-send',
  version: 1,
  description: 'a send over a channel preference',
  entry: { events: ['Channel Send'] },
  key: 'properties.case',
  steps,
  dynamicStepIds: true,
  async run(journey) {
    journey.on('Channel Send', (event) => {
      journey.context['spec'] = event.properties;
    });
    await journey.delay('1 second', { step: 'settle' });
    const spec = journey.context['spec'] as {
      channels: 'auto' | Array<'sms' | 'mms' | 'whatsapp' | 'rcs' | 'email' | 'in_app'>;
      fallbackAfter?: string;
      contentSid?: string;
      mediaUrls?: string[];
      waitForDelivery?: string;
    };
    const sent = await journey.send('notify', {
      channel: spec.channels,
      body: (payload) => `Your order shipped, ${String(payload.profile.traits['first_name'] ?? 'friend')}`,
      subject: 'Your order shipped',
      title: 'Order shipped',
      ...(spec.fallbackAfter ? { fallbackAfter: spec.fallbackAfter } : {}),
      ...(spec.contentSid ? { whatsappTemplate: { contentSid: spec.contentSid, variables: (payload) => ({ '1': String(payload.profile.traits['first_name'] ?? ''), '2': 'Friday' }) } } : {}),
      ...(spec.mediaUrls ? { mediaUrls: spec.mediaUrls } : {}),
    });
    journey.context['outcome'] = sent;
    if (spec.waitForDelivery) {
      journey.context['delivery'] = await journey.waitForDelivery(sent, { timeout: spec.waitForDelivery, step: 'delivery' });
    }
  },
});

/** Sends an SMS, waits for `Go`, then (when its entry event says so) waits for that SMS's delivery. */
export const sendThenGo = defineJourney({
  id: 'send-then-go',
  version: 1,
  description: 'a send, an event, and maybe a wait for delivery',
  entry: { events: ['Send Then Go'] },
  listensTo: ['Go'],
  steps,
  dynamicStepIds: true,
  async run(journey) {
    const sent = await journey.send('notify', { channel: ['sms'], body: 'Your parcel is on its way', transactional: true });
    await journey.waitFor('Go', { timeout: '1 day', step: 'go', earlier: true });
    if (journey.events[0]?.properties['waitForDelivery'] === true) {
      journey.context['delivery'] = await journey.waitForDelivery(sent, { timeout: '1 hour', step: 'delivery' });
    }
  },
});

/** Declares its steps, then uses one its list lacks (built at run time, so only the run-time check sees it). */
export const undeclaredStep = defineJourney({
  id: 'undeclared-step',
  version: 1,
  description: 'a step id the steps list lacks fails the instance, naming it',
  entry: { events: ['Typo Made'] },
  steps: [{ id: 'greeting', kind: 'send' }],
  async run(journey) {
    const typo = ['greet', 'ing-typo'].join('') as 'greeting';
    await journey.send(typo, { channel: 'sms', body: 'Hello' });
  },
});

/** The author helpers: workflow time, whether `delayUntil` waited, and the exit after a send that did not go out. */
export const authorHelpers = defineJourney({
  id: 'author-helpers',
  version: 1,
  description: 'journey.now(), delayUntil outcomes, exitUnsent',
  entry: { events: ['Trial Started'] },
  steps: [
    { id: 'until-trial-end', kind: 'delay' },
    { id: 'until-trial-end-again', kind: 'delay' },
    { id: 'trial-ended-sms', kind: 'send' },
  ],
  async run(journey) {
    const started = journey.now();
    const endsAt = new Date(started.getTime() + Number(journey.lastEvent?.properties['trial_days']) * 24 * 3_600_000).toISOString();
    journey.context['endsAt'] = endsAt;
    const first = await journey.delayUntil(endsAt, { step: 'until-trial-end' });
    const again = await journey.delayUntil(endsAt, { step: 'until-trial-end-again' });
    journey.context['first'] = { waited: first.waited, until: first.until?.toISOString() };
    journey.context['again'] = { waited: again.waited, until: again.until?.toISOString() };
    journey.context['waitedMs'] = journey.now().getTime() - started.getTime();
    const sent = await journey.send('trial-ended-sms', { channel: 'sms', body: 'Your trial has ended' });
    if (sent.status !== 'sent') return journey.exitUnsent(sent);
    return journey.complete();
  },
});

/** Exits only when the customer leaves the `loyal` audience: another audience's `Audience Exited` is just an event. */
export const loyalOnly = defineJourney({
  id: 'loyal-only',
  version: 1,
  description: 'an exit rule with a condition',
  entry: { events: ['Audience Entered'], where: { 'properties.audience': 'loyal' } },
  exitOn: [{ event: 'Audience Exited', where: { 'properties.audience': 'loyal' } }, 'Account Closed'],
  listensTo: ['Go'],
  steps,
  dynamicStepIds: true,
  async run(journey) {
    await journey.waitFor('Go', { timeout: '1 day', step: 'go', earlier: true });
    journey.context['audienceExitsSeen'] = journey.events.filter((event) => event.event === 'Audience Exited').length;
  },
});
