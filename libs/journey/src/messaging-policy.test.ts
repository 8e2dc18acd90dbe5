import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, ConsentStore, MessagingPolicyStore, WorkspaceStore } from '@continuum/data';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/policy-journeys';
import { lateOffer } from './test-support/policy-journeys';

const local = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

const BR_SENDER = '+5511999990000';

// The same journey in a Brazilian and a US workspace: the channel, the quiet hours and their mode,
// and the sender come from each workspace's messaging policy, read at the moment of sending
// (time-skipping Temporal, the worker's real activities, PostgreSQL, the Twilio emulator).
describe('messaging policy per workspace at send time', () => {
  let kit: JourneyTestKit;
  let brazil: string;
  let usa: string;
  beforeAll(async () => {
    kit = await createJourneyTestKit({
      workflowsPath: join(__dirname, 'test-support/policy-journeys.ts'),
      journeysModule: journeys,
      // The deployment's rules: no quiet hours, SMS first everywhere.
      settings: { QUIET_HOURS: { regions: {} }, QUIET_HOURS_MODE: 'queue', CHANNEL_DEFAULTS: { '*': ['sms', 'email'] } },
    });
    const workspaces = new WorkspaceStore(kit.bed.dataSource);
    brazil = (await workspaces.createWorkspace('policy-br', 'Loja Brasil')).id;
    usa = (await workspaces.createWorkspace('policy-us', 'Store US')).id;
    const policies = new MessagingPolicyStore(kit.bed.dataSource);
    const actor = CLI_ACTOR;
    await policies.save(
      brazil,
      {
        channelOrder: ['whatsapp', 'sms'],
        senders: { whatsapp: BR_SENDER, sms: BR_SENDER },
        countries: { BR: { quietHours: { start: '21:00', end: '08:00' }, quietHoursMode: 'queue', timeZone: 'America/Sao_Paulo' } },
      },
      actor,
    );
    await policies.save(usa, { channelOrder: ['sms'], quietHours: { start: '22:00', end: '07:00' }, quietHoursMode: 'discard' }, actor);
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('Brazil: held by quiet hours until 08:00 in São Paulo, then sent on WhatsApp from the workspace\'s own number', async () => {
    await kit.identify('ana', { phone: '+5511955550601', whatsapp: '+5511955550601', country: 'BR' }, { workspaceId: brazil });
    await kit.run(async () => {
      const instance = await kit.enter(lateOffer, 'ana', 'Late Offer', { case: 'br' }, { workspaceId: brazil });
      expect(await instance.result()).toMatchObject({ context: { outcome: 'sent', channel: 'whatsapp' } });
      const journal = await instance.journal();
      const held = journal.find((line) => line.type === 'send.held')!;
      expect(held.detail).toMatchObject({ reason: 'quiet hours', window: '21:00-08:00', timeZone: 'America/Sao_Paulo', zoneFrom: 'country' });
      expect(local(held.at, 'America/Sao_Paulo')).toBe('23:00');
      expect(local(journal.find((line) => line.type === 'message.sent')!.at, 'America/Sao_Paulo')).toBe('08:00');
    });
    const sent = kit.messagesTo('whatsapp:+5511955550601');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe(`whatsapp:${BR_SENDER}`);
    expect(kit.messagesTo('+5511955550601')).toHaveLength(0);
  });

  it('US: SMS first, and a send in its quiet hours is discarded, as its policy says', async () => {
    await kit.identify('bob', { phone: '+14155550602', whatsapp: '+14155550602', country: 'US', timezone: 'America/New_York' }, { workspaceId: usa });
    await kit.run(async () => {
      const instance = await kit.enter(lateOffer, 'bob', 'Late Offer', { case: 'us' }, { workspaceId: usa });
      expect(await instance.result()).toMatchObject({ context: { outcome: 'skipped' } });
      const skipped = (await instance.journal()).find((line) => line.type === 'message.skipped')!;
      expect(skipped.detail).toMatchObject({ reason: 'quiet hours 22:00-07:00 in America/New_York' });
    });
    expect(kit.messagesTo('+14155550602')).toHaveLength(0);
    expect(kit.messagesTo('whatsapp:+14155550602')).toHaveLength(0);
  });

  it('US after a policy change (a new version, read by the next send): SMS at 23:00 from the deployment\'s number', async () => {
    const policies = new MessagingPolicyStore(kit.bed.dataSource);
    const saved = await policies.save(usa, { channelOrder: ['sms'], quietHours: null }, CLI_ACTOR, { expectedVersion: 1 });
    expect(saved.version).toBe(2);
    expect(saved.changes.map((change) => change.path)).toEqual(['quietHours', 'quietHoursMode']);
    // The worker's cached copy of version 1 lives at most POLICY_CACHE_TTL_MS (its test bed does not listen for NOTIFY).
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await kit.identify('cy', { phone: '+14155550603', country: 'US', timezone: 'America/New_York' }, { workspaceId: usa });
    await kit.run(async () => {
      const instance = await kit.enter(lateOffer, 'cy', 'Late Offer', { case: 'us-2' }, { workspaceId: usa });
      expect(await instance.result()).toMatchObject({ context: { outcome: 'sent', channel: 'sms' } });
      expect(local((await instance.journal()).find((line) => line.type === 'message.sent')!.at, 'America/New_York')).toBe('23:00');
    });
    expect(kit.messagesTo('+14155550603')).toHaveLength(1);
    expect(kit.messagesTo('+14155550603')[0]!.from).not.toBe(BR_SENDER);
  });

  it("applies the workspace's consent requirement and caps in the send: double opt-in on WhatsApp, one message in two days", async () => {
    const workspace = (await new WorkspaceStore(kit.bed.dataSource).createWorkspace('policy-optin', 'Opt-in market')).id;
    await new MessagingPolicyStore(kit.bed.dataSource).save(
      workspace,
      { channelOrder: ['whatsapp', 'sms'], consent: { whatsapp: 'double_opt_in' }, frequencyCaps: [{ channel: '*', max: 1, window: '2 days' }] },
      CLI_ACTOR,
    );
    await kit.identify('dora', { phone: '+5511955550604', whatsapp: '+5511955550604' }, { workspaceId: workspace });
    await kit.identify('eve', { phone: '+5511955550605', whatsapp: '+5511955550605' }, { workspaceId: workspace });
    await new ConsentStore(kit.bed.dataSource).applyToChannel(workspace, 'eve', 'whatsapp', ['marketing'], 'subscribed', 'test', new Date(), {});
    await kit.run(async () => {
      // Dora never opted in on WhatsApp: skipped there, sent by SMS.
      const first = await kit.enter(lateOffer, 'dora', 'Late Offer', { case: 'optin-1' }, { workspaceId: workspace });
      expect(await first.result()).toMatchObject({ context: { outcome: 'sent', channel: 'sms' } });
      const skipped = (await first.journal()).find((line) => line.type === 'message.skipped')!;
      expect(skipped.detail).toMatchObject({ channel: 'whatsapp', rule: 'no-consent', reason: expect.stringMatching(/requires double opt in consent on whatsapp/) });
      // The workspace's cap: one message in two days, whatever the channel (the next 23:00 is a day later).
      const second = await kit.enter(lateOffer, 'dora', 'Late Offer', { case: 'optin-2' }, { workspaceId: workspace });
      expect(await second.result()).toMatchObject({ context: { outcome: 'skipped' } });
      const skips = (await second.journal()).filter((line) => line.type === 'message.skipped').map((line) => [line.detail['channel'], line.detail['rule']]);
      expect(skips).toEqual([
        ['whatsapp', 'no-consent'],
        ['sms', 'frequency-cap'],
      ]);
      // Eve opted in: WhatsApp.
      const third = await kit.enter(lateOffer, 'eve', 'Late Offer', { case: 'optin-3' }, { workspaceId: workspace });
      expect(await third.result()).toMatchObject({ context: { outcome: 'sent', channel: 'whatsapp' } });
    });
    expect(kit.messagesTo('+5511955550604')).toHaveLength(1);
    expect(kit.messagesTo('whatsapp:+5511955550604')).toHaveLength(0);
    expect(kit.messagesTo('whatsapp:+5511955550605')).toHaveLength(1);
  });
});
