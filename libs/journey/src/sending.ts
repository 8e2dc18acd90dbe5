import { workflowInfo } from '@temporalio/workflow';
import type { JourneyInput, MessageChannel, MessagingPolicy, SendOutcome, SkipRule } from '@continuum/contracts';
import { channelOrder, quietHoursAt, quietHoursModeFor } from '@continuum/domain';
import { AWAITED_DELIVERIES_PATCH, deliveryWatch, messaging, QUIET_HOURS_PATCH, reads } from './activities';
import type { CarriedState } from './carried-state';
import type { JournalWriter } from './journal-writer';
import { toMs, type ContextualPayload, type DurationInput, type TextInput } from './payload';
import type { DeliveryOutcome, SendResult, SendStep } from './send-options';
import { continuumPatched } from './patches';

/** Skips that make a channel preference try its next channel. */
const FALLBACK_RULES: ReadonlySet<SkipRule | undefined> = new Set<SkipRule | undefined>(['no-address', 'no-consent', 'whatsapp-window']);
const DELIVERED = new Set(['delivered', 'read']);
const UNDELIVERED = new Set(['undelivered', 'failed']);
const DELIVERY_RANK: Record<string, number> = { queued: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3, read: 4 };
const DELIVERIES_KEPT = 50;

/** What sending needs of its journey instance. */
export interface SendingHost {
  readonly input: JourneyInput;
  readonly state: CarriedState;
  readonly journal: JournalWriter;
  customerId(): string;
  /** JourneyRun's interruptible wait (exit requests, lifetime, continue-as-new with `resumeState`). */
  waitUntil(ready: () => boolean, deadline: number | undefined, summary: string, resumeState?: () => Record<string, number>): Promise<boolean>;
}

/**
 * A journey's sends: quiet hours, the channel preference with fallback, delivery reports and their
 * journal entries. Runs inside JourneyRun's resumable steps (`send`, `waitForDelivery`).
 */
/** The step's own quiet-hours mode: its `quietHours`, `ignore` for a transactional message, else the policy's. */
function quietHoursModeOf(message: SendStep): SendStep['quietHours'] {
  return message.quietHours ?? (message.transactional ? 'ignore' : undefined);
}

/** Whether a send decides on the messaging policy: quiet hours apply to it, or its channel order is the policy's. */
export function decidesOnPolicy(message: SendStep): boolean {
  return quietHoursModeOf(message) !== 'ignore' || message.channel === 'auto';
}

export class MessageSending {
  constructor(private readonly host: SendingHost) {}

  /**
   * The body of `JourneyRun.send`'s step: the payload was built (lookups made) before the step
   * began. `policy`: the messaging policy read with the profile just before (patch
   * continuum.send-reads), used while nothing has waited since; otherwise it is read where needed.
   */
  async send(step: string, message: SendStep, payload: ContextualPayload, resume: Record<string, number> | undefined, policy?: MessagingPolicy): Promise<SendResult> {
    // A single SMS goes through `sendSms`, as before channels existed: running instances replay it.
    const legacy = message.channel === 'sms' && message.fallbackAfter === undefined && typeof message.template !== 'object';
    if (this.host.state.paused) {
      await this.host.journal.record('send.held', step, { reason: 'journey paused' });
      this.host.journal.describe(`Send ${step} held: the journey is paused`);
      await this.host.waitUntil(() => !this.host.state.paused, undefined, `held while paused (${step})`);
      policy = undefined;
    }
    const to = message.to ?? payload.profile.identities.phone;
    if (legacy && !to) {
      const reason = 'no phone number on profile';
      await this.host.journal.record('message.skipped', step, { channel: message.channel, reason });
      return { status: 'skipped', reason, rule: 'no-address', channel: 'sms' } as const;
    }
    // Quiet hours (instances that started before this rule existed replay without it).
    const quietMode = quietHoursModeOf(message);
    if (quietMode !== 'ignore' && (resume?.['quietUntil'] !== undefined || continuumPatched(QUIET_HOURS_PATCH))) {
      let until = resume?.['quietUntil'];
      if (until === undefined) {
        policy ??= await reads().getMessagingPolicy({ workspaceId: this.host.input.workspaceId });
        const quiet = quietHoursAt(Date.now(), policy, payload.profile);
        if (quiet) {
          const detail = { channel: message.channel, reason: 'quiet hours', window: `${quiet.window.start}-${quiet.window.end}`, timeZone: quiet.timeZone, zoneFrom: quiet.zoneFrom };
          if ((quietMode ?? quietHoursModeFor(policy.quietHours, payload.profile)) === 'discard') {
            const reason = `quiet hours ${detail.window} in ${quiet.timeZone}`;
            await this.host.journal.record('message.skipped', step, { ...detail, reason });
            return { status: 'skipped', reason, rule: 'quiet-hours' } as const;
          }
          until = quiet.endsAt;
          await this.host.journal.record('send.held', step, { ...detail, until: new Date(until).toISOString() });
        }
      }
      if (until !== undefined && until > Date.now()) {
        const deadline = until;
        this.host.journal.describe(`Send ${step} held: quiet hours until ${new Date(deadline).toISOString()}`);
        await this.host.waitUntil(() => false, deadline, `quiet hours until ${new Date(deadline).toISOString()} (${step})`, () => ({ quietUntil: deadline }));
        policy = undefined;
      }
    }
    if (!legacy) return this.sendOnChannels(step, message, payload, policy);
    // A template is rendered by the activity at send time; a body is rendered here, as always.
    const content =
      message.template !== undefined
        ? { template: { name: message.template as string, ...(message.locale ? { locale: message.locale } : {}), payload: { ...payload } } }
        : { body: typeof message.body === 'function' ? message.body(payload) : message.body };
    this.host.journal.flushAttributes();
    const outcome = await messaging(`send sms (${step})`).sendSms({
      workspaceId: this.host.input.workspaceId,
      customerId: this.host.customerId(),
      instanceId: workflowInfo().workflowId,
      runId: workflowInfo().firstExecutionRunId,
      journeyId: this.host.input.journeyId,
      step,
      to: to!,
      ...content,
      purpose: message.transactional ? 'transactional' : 'marketing',
    });
    await this.recordOutcome(step, 'sms', outcome, message.template !== undefined ? { template: message.template } : {});
    return outcome;
  }

  /** The body of `JourneyRun.waitForDelivery`'s step. */
  async waitForDelivery(sent: SendResult, options: { timeout: DurationInput; step: string }, resume: Record<string, number> | undefined): Promise<DeliveryOutcome> {
    if (sent.status !== 'sent') return { outcome: 'not-sent' } as const;
    if (sent.channel === 'in_app') return { outcome: 'delivered', status: 'delivered' } as const;
    const deadline = resume?.['deadline'] ?? Date.now() + toMs(options.timeout);
    if (!resume) await this.host.journal.record('wait.started', options.step, { kind: 'delivery', messageId: sent.messageId, timeout: String(options.timeout) });
    // Reports are signalled only for awaited messages: mark this one, and take a report that came before.
    if (!resume && continuumPatched(AWAITED_DELIVERIES_PATCH)) {
      const now = await deliveryWatch.watchDelivery({ messageId: sent.messageId });
      if (now) this.noteDelivery(sent.messageId, now.status, now.errorCode);
    }
    this.host.journal.describe(`Waiting up to ${String(options.timeout)} for the delivery of message ${sent.messageId}`);
    await this.host.waitUntil(() => this.deliveryOf(sent.messageId).outcome !== 'timeout', deadline, `delivery of ${sent.messageId} (${options.step})`, () => ({ deadline }));
    const outcome = this.deliveryOf(sent.messageId);
    await this.host.journal.record('wait.ended', options.step, { ...outcome, messageId: sent.messageId });
    return outcome;
  }

  /** The first channel of the step's preference that takes the message (see SendStep.channel). */
  private async sendOnChannels(step: string, message: SendStep, payload: ContextualPayload, policy?: MessagingPolicy): Promise<SendOutcome> {
    const requested = message.channel === 'auto' ? 'auto' : typeof message.channel === 'string' ? [message.channel] : [...message.channel];
    const defaults = requested === 'auto' ? ((policy ?? (await reads().getMessagingPolicy({ workspaceId: this.host.input.workspaceId }))).channelDefaults ?? {}) : {};
    const country = payload.profile.country ?? (typeof payload.profile.traits['country'] === 'string' ? payload.profile.traits['country'] : undefined);
    const order = channelOrder(requested, { country, preferredChannel: payload.profile.traits['preferred_channel'] }, defaults);
    const fallbackMs = message.fallbackAfter === undefined ? undefined : toMs(message.fallbackAfter);
    const text = (value: TextInput | undefined) => (typeof value === 'function' ? value(payload) : value);
    let last: SendOutcome = { status: 'skipped', reason: 'no channel to send on', rule: 'no-address' };
    if (order.length === 0) await this.host.journal.record('message.skipped', step, { reason: last.reason });
    for (const [attempt, channel] of order.entries()) {
      const templateName =
        typeof message.template === 'object' ? (message.template[channel] ?? (channel === 'mms' ? message.template.sms : undefined)) : message.template;
      const content =
        message.body !== undefined
          ? { body: text(message.body) }
          : templateName !== undefined
            ? { template: { name: templateName, ...(message.locale ? { locale: message.locale } : {}), payload: { ...payload } } }
            : undefined;
      const variables = message.whatsappTemplate?.variables;
      let outcome: SendOutcome;
      if (content === undefined && !(channel === 'whatsapp' && message.whatsappTemplate)) {
        outcome = { status: 'failed', channel, reason: `template error: no template named for ${channel}` };
      } else {
        this.host.journal.flushAttributes();
        outcome = await messaging(`send ${channel} (${step})`).sendMessage({
          workspaceId: this.host.input.workspaceId,
          customerId: this.host.customerId(),
          instanceId: workflowInfo().workflowId,
          runId: workflowInfo().firstExecutionRunId,
          journeyId: this.host.input.journeyId,
          // Each channel tried is its own outbox row; the first keeps the step's name.
          step: attempt === 0 ? step : `${step}~${channel}`,
          channel,
          // Its delivery report is signalled to this instance only when a fallback waits for it.
          ...(fallbackMs !== undefined && attempt < order.length - 1 && channel !== 'in_app' ? { awaitDelivery: true } : {}),
          ...(order.length === 1 && message.to ? { to: message.to } : {}),
          ...content,
          ...(message.subject !== undefined ? { subject: text(message.subject) } : {}),
          ...(message.title !== undefined ? { title: text(message.title) } : {}),
          ...(message.data ? { data: message.data } : {}),
          ...(message.mediaUrls ? { mediaUrls: message.mediaUrls } : {}),
          ...(message.whatsappTemplate
            ? { whatsappTemplate: { contentSid: message.whatsappTemplate.contentSid, variables: typeof variables === 'function' ? variables(payload) : variables } }
            : {}),
          purpose: message.transactional ? 'transactional' : 'marketing',
        });
      }
      await this.recordOutcome(step, channel, outcome, templateName !== undefined ? { template: templateName } : {});
      last = outcome;
      let fallbackReason: string;
      if (outcome.status === 'sent') {
        const isLast = attempt === order.length - 1;
        if (fallbackMs === undefined || isLast || channel === 'in_app') return outcome;
        const delivery = await this.awaitDelivery(step, outcome.messageId, fallbackMs);
        if (delivery.outcome === 'delivered') return outcome;
        fallbackReason =
          delivery.outcome === 'failed'
            ? `${channel} ${delivery.status}${delivery.errorCode ? ` (error ${delivery.errorCode})` : ''}`
            : `no delivery on ${channel} within ${String(message.fallbackAfter)}`;
      } else if (outcome.status === 'failed') {
        fallbackReason = `${channel} failed: ${outcome.reason}`;
      } else if (FALLBACK_RULES.has(outcome.rule)) {
        fallbackReason = `${channel} skipped: ${outcome.reason}`;
      } else {
        return outcome; // a cap or a rule that holds on every channel: the journey goes on
      }
      const next = order[attempt + 1];
      if (next) await this.host.journal.record('channel.fallback', step, { from: channel, to: next, reason: fallbackReason });
    }
    return last;
  }

  /** Waits up to `ms` for a delivery report of `messageId` (inside a send: no continue-as-new meanwhile). */
  private async awaitDelivery(step: string, messageId: string, ms: number): Promise<DeliveryOutcome> {
    this.host.journal.describe(`Send ${step}: waiting up to ${ms / 1000} s for delivery of ${messageId}`);
    await this.host.waitUntil(() => this.deliveryOf(messageId).outcome !== 'timeout', Date.now() + ms, `delivery of ${messageId} (${step})`);
    const outcome = this.deliveryOf(messageId);
    await this.host.journal.record('message.status', step, { messageId, ...outcome });
    return outcome;
  }

  /** Keeps the latest status of a message (statuses only move forward), for the most recent messages. */
  noteDelivery(messageId: string, status: string, errorCode: number | null): void {
    const deliveries = (this.host.state.deliveries ??= {});
    const known = deliveries[messageId];
    if (known && (DELIVERY_RANK[known.status] ?? 0) >= (DELIVERY_RANK[status] ?? 0)) return;
    delete deliveries[messageId];
    deliveries[messageId] = { status, errorCode };
    const ids = Object.keys(deliveries);
    for (const id of ids.slice(0, Math.max(ids.length - DELIVERIES_KEPT, 0))) delete deliveries[id];
  }

  private deliveryOf(messageId: string): DeliveryOutcome {
    const report = this.host.state.deliveries?.[messageId];
    if (report && DELIVERED.has(report.status)) return { outcome: 'delivered', status: report.status };
    if (report && UNDELIVERED.has(report.status)) return { outcome: 'failed', status: report.status, errorCode: report.errorCode };
    return { outcome: 'timeout' };
  }

  private async recordOutcome(step: string, channel: MessageChannel, outcome: SendOutcome, template: Record<string, unknown>): Promise<void> {
    if (outcome.status === 'sent') {
      await this.host.journal.record('message.sent', step, {
        channel,
        ...template,
        messageId: outcome.messageId,
        providerId: outcome.providerId,
      });
    } else if (outcome.status === 'skipped') {
      await this.host.journal.record('message.skipped', step, { channel, ...template, reason: outcome.reason, ...(outcome.rule ? { rule: outcome.rule } : {}) });
    } else {
      await this.host.journal.record('message.failed', step, { channel, ...template, messageId: outcome.messageId, errorCode: outcome.errorCode, reason: outcome.reason });
    }
  }
}
