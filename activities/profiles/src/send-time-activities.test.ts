import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagingPolicy, SendTimeActivities } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, EngagementStore, MessageStore, ProfileStore } from '@continuum/data';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { createSendTimeActivities } from './send-time-activities';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-05T09:00:00Z');
const REGIONS = { BR: 'America/Sao_Paulo', JP: 'Asia/Tokyo' };
const policy = (quiet?: { start: string; end: string }): MessagingPolicy => ({
  quietHours: { ...(quiet ? { default: quiet } : {}), regions: {}, mode: 'queue' },
  regionTimeZones: REGIONS,
  workspaceTimeZone: 'UTC',
});
const local = (at: number, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(at);

// The best-send-time activity over engagement seeded in a real PostgreSQL (migrated schema, its indexes).
describe('bestSendTime', () => {
  let db: TestDatabase;
  let profiles: ProfileStore;
  let activities: SendTimeActivities;

  const identify = (userId: string, fields: { timezone?: string; country?: string }) => profiles.mergeTraits(DEFAULT_WORKSPACE_ID, userId, {}, fields);
  /** A message on `channel` the customer read at `readAt`. */
  const read = (customerId: string, channel: string, readAt: number) =>
    db.dataSource.query(
      `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status, created_at, updated_at, read_at)
       VALUES ($1, $2, $3, 'r', 's', $4, '+14155550100', 'hi', 'read', $5, $6, $6)`,
      [DEFAULT_WORKSPACE_ID, customerId, `journey/t/${randomUUID()}`, channel, new Date(readAt - 10 * 60 * 1000), new Date(readAt)],
    );
  /** A reply (`Message Received`) or a click on `channel` at `at`. */
  const engage = (customerId: string, channel: string, at: number, name = 'Message Received') =>
    db.dataSource.query(
      `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, $2, $3, 'track', $4, $5, $6, $6)`,
      [DEFAULT_WORKSPACE_ID, randomUUID(), customerId, name, JSON.stringify({ channel }), new Date(at)],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    profiles = new ProfileStore(db.dataSource);
    activities = createSendTimeActivities({ engagements: new EngagementStore(db.dataSource), profiles, policy: policy() });
  });
  afterAll(async () => {
    await db?.teardown();
  });

  it("picks the customer's own best hour in their zone, across a daylight-saving change, from reads, replies and clicks of that channel", async () => {
    await identify('st-ana', { timezone: 'Europe/Lisbon' });
    // 19:xx in Lisbon: 18:xx UTC before 25 October (summer time), 19:xx UTC after.
    for (const at of ['2026-10-20T18:05:00Z', '2026-10-22T18:40:00Z', '2026-10-24T18:15:00Z']) await read('st-ana', 'sms', Date.parse(at));
    await engage('st-ana', 'sms', Date.parse('2026-10-28T19:10:00Z'));
    await engage('st-ana', 'sms', Date.parse('2026-11-01T19:30:00Z'), 'Message Clicked');
    await engage('st-ana', 'sms', Date.parse('2026-11-02T19:20:00Z'));
    // Other channels and other event names say nothing about SMS; a reply after `now` is not history yet.
    for (let day = 1; day <= 8; day++) await read('st-ana', 'email', NOW - day * DAY - 2 * HOUR);
    await engage('st-ana', 'sms', NOW - 2 * DAY, 'Order Completed');
    await engage('st-ana', 'sms', NOW + HOUR);

    const chosen = await activities.bestSendTime({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'st-ana', channel: 'sms', now: NOW, withinMs: DAY });
    expect(chosen).toMatchObject({ source: 'personal', hour: 19, bestHour: 19, timeZone: 'Europe/Lisbon', zoneFrom: 'profile', evidence: 6, quietHours: 'clear' });
    expect(new Date(chosen.at).toISOString()).toBe('2026-11-05T19:00:00.000Z');
    expect(chosen.reason).toBe('best hour 19:00 in Europe/Lisbon from their own 6 engagements');
    // Email's own history points two hours earlier than `now`'s 09:00, 07:00 Lisbon.
    const email = await activities.bestSendTime({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'st-ana', channel: 'email', now: NOW, withinMs: DAY });
    expect(email).toMatchObject({ source: 'personal', bestHour: 7, evidence: 8 });
    expect(local(email.at, 'Europe/Lisbon')).toBe('06/11/2026, 07:00');
  });

  it("falls back to the market (the customer's country, else the workspace) below the evidence threshold, then to the default hour", async () => {
    // Sixty customers in Brazil reply on WhatsApp around noon, São Paulo time (UTC−3).
    for (let n = 0; n < 60; n++) {
      await identify(`st-br-${n}`, { country: 'BR' });
      await engage(`st-br-${n}`, 'whatsapp', NOW - (1 + (n % 20)) * DAY + (15 - 9) * HOUR + (n % 50) * 60_000);
    }
    await identify('st-bia', { country: 'BR' });
    // Four of her own at midnight: too few (the threshold is five); they count in her market.
    for (let day = 1; day <= 4; day++) await engage('st-bia', 'whatsapp', NOW - day * DAY - 6 * HOUR);
    const market = await activities.bestSendTime({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'st-bia', channel: 'whatsapp', now: NOW, withinMs: DAY });
    expect(market).toMatchObject({ source: 'market', market: 'BR', bestHour: 12, hour: 12, timeZone: 'America/Sao_Paulo', zoneFrom: 'country', evidence: 64 });
    expect(new Date(market.at).toISOString()).toBe('2026-11-05T15:00:00.000Z');

    // A customer of a country without enough engagement: the workspace's (Brazilians at their noon, read in their zone).
    await identify('st-kai', { country: 'JP' });
    const workspace = await activities.bestSendTime({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'st-kai', channel: 'whatsapp', now: NOW, withinMs: DAY });
    expect(workspace).toMatchObject({ source: 'market', market: 'workspace', bestHour: 12, timeZone: 'Asia/Tokyo' });
    expect(local(workspace.at, 'Asia/Tokyo')).toBe('06/11/2026, 12:00');

    // Nobody engaged on RCS: the default hour, 10:00 in the customer's zone.
    const fallback = await activities.bestSendTime({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'st-kai', channel: 'rcs', now: NOW, withinMs: DAY });
    expect(fallback).toMatchObject({ source: 'default', bestHour: 10, hour: 10, evidence: 0 });
    expect(local(fallback.at, 'Asia/Tokyo')).toBe('06/11/2026, 10:00');
    expect(fallback.reason).toBe('best hour 10:00 in Asia/Tokyo from the default (0 engagements of their own, too few)');
  });

  it('moves a best hour that falls in quiet hours to the best hour outside them, and within a short window', async () => {
    const quiet = createSendTimeActivities({ engagements: new EngagementStore(db.dataSource), profiles, policy: policy({ start: '21:00', end: '08:00' }) });
    await identify('st-owl', { timezone: 'America/Sao_Paulo' });
    // Mostly 23:00 local (UTC−3), some 17:00.
    for (let day = 1; day <= 6; day++) await read('st-owl', 'sms', Date.parse('2026-11-05T02:10:00Z') - day * DAY);
    for (let day = 1; day <= 3; day++) await read('st-owl', 'sms', Date.parse('2026-11-04T20:10:00Z') - day * DAY);
    const chosen = await quiet.bestSendTime({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'st-owl', channel: 'sms', now: NOW, withinMs: DAY });
    expect(chosen).toMatchObject({ source: 'personal', bestHour: 23, hour: 17, quietHours: 'avoided' });
    expect(local(chosen.at, 'America/Sao_Paulo')).toBe('05/11/2026, 17:00');
    // Four hours from 06:00 local: all quiet until 08:00, which is within the window.
    const early = await quiet.bestSendTime({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'st-owl', channel: 'sms', now: NOW, withinMs: 4 * HOUR });
    expect(local(early.at, 'America/Sao_Paulo')).toBe('05/11/2026, 08:00');
    expect(early.at - NOW).toBeLessThanOrEqual(4 * HOUR);
  });

  it('a read report is stored with its time (the status check takes read)', async () => {
    const messages = new MessageStore(db.dataSource);
    const { message } = await messages.claim({
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: 'st-reader',
      instanceId: 'journey/t/reader',
      runId: 'r',
      step: 's',
      channel: 'whatsapp',
      to: 'whatsapp:+14155550100',
      body: 'hi',
    });
    await messages.markAccepted(message, 'SM-st-reader', 'delivered');
    const change = await messages.applyProviderStatus('SM-st-reader', 'read', null);
    expect(change).toMatchObject({ status: 'read', changed: true });
    const [row] = await db.dataSource.query(`SELECT status, read_at FROM messages WHERE provider_id = 'SM-st-reader'`);
    expect(row.status).toBe('read');
    expect(row.read_at).toBeInstanceOf(Date);
    const engagements = await new EngagementStore(db.dataSource).ofCustomer({
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: 'st-reader',
      channels: ['whatsapp'],
      since: new Date(Date.now() - DAY),
      until: new Date(Date.now() + HOUR),
      limit: 10,
    });
    expect(engagements).toHaveLength(1);
  });
});
