import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { AudienceDefinitionError, AudienceStore, DEFAULT_WORKSPACE_ID } from '../index';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-06-30T12:00:00Z');

/** A deterministic population: traits, consent, identities and order history, with edges at exactly 90 days. */
interface Person {
  id: string;
  country: string | null;
  plan: string | null;
  score: number | null;
  ordersDaysAgo: number[];
  churned: boolean;
  sms: 'subscribed' | 'unsubscribed' | null;
  email: boolean;
}

function population(size: number): Person[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(values: T[]) => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: size }, (_, index) => ({
    id: `p${String(index).padStart(4, '0')}`,
    country: pick(['BR', 'BR', 'US', 'PT', null]),
    plan: pick(['free', 'pro', null]),
    score: pick([null, 10, 50, 90]),
    // 89.99 and 90.01 days: either side of a 90-day window.
    ordersDaysAgo: Array.from({ length: Math.floor(random() * 4) }, () => pick([1, 30, 89.99, 90.01, 200])),
    churned: random() < 0.2,
    sms: pick(['subscribed', 'unsubscribed', null]),
    email: random() < 0.5,
  }));
}

describe('AudienceStore (real PostgreSQL, a seeded population)', () => {
  let db: TestDatabase;
  let audiences: AudienceStore;
  const people = population(300);

  beforeAll(async () => {
    db = await createTestDatabase();
    audiences = new AudienceStore(db.dataSource);
    const q = (sql: string, params: unknown[]) => db.dataSource.query(sql, params);
    for (const person of people) {
      const traits: Record<string, unknown> = {};
      if (person.plan) traits['plan'] = person.plan;
      if (person.score !== null) traits['score'] = person.score;
      await q(`INSERT INTO profiles (workspace_id, user_id, traits, country) VALUES ($1, $2, $3, $4)`, [DEFAULT_WORKSPACE_ID, person.id, traits, person.country]);
      for (const [index, days] of person.ordersDaysAgo.entries()) {
        const at = new Date(NOW.getTime() - days * DAY);
        await q(`INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, $2, $3, 'track', 'Order Completed', '{}', $4, $4)`, [
          DEFAULT_WORKSPACE_ID,
          `${person.id}-order-${index}`,
          person.id,
          at,
        ]);
      }
      if (person.churned) {
        await q(`INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, $2, $3, 'track', 'Churned', '{}', $4, $4)`, [
          DEFAULT_WORKSPACE_ID,
          `${person.id}-churned`,
          person.id,
          new Date(NOW.getTime() - 10 * DAY),
        ]);
      }
      if (person.sms) {
        await q(`INSERT INTO consents (workspace_id, customer_id, channel, purpose, status, source, updated_at) VALUES ($1, $2, 'sms', 'marketing', $3, 'test', now())`, [
          DEFAULT_WORKSPACE_ID,
          person.id,
          person.sms,
        ]);
      }
      if (person.email) {
        await q(`INSERT INTO identities (workspace_id, customer_id, kind, value, source, first_seen_at, last_seen_at) VALUES ($1, $2, 'email', $3, 'test', now(), now())`, [
          DEFAULT_WORKSPACE_ID,
          person.id,
          `${person.id}@example.com`,
        ]);
      }
    }
  });
  afterAll(async () => {
    await db?.teardown();
  });

  const within = (person: Person, days: number) => person.ordersDaysAgo.filter((ago) => ago < days).length;
  const cases: Array<[string, unknown, (person: Person) => boolean]> = [
    [
      'the issue\'s example: country BR, at least 2 orders in 90 days, never churned',
      { all: [{ trait: 'country', eq: 'BR' }, { event: 'Order Completed', atLeast: 2, within: '90 days' }, { not: { event: 'Churned' } }] },
      (p) => p.country === 'BR' && within(p, 90) >= 2 && !p.churned,
    ],
    ['any order ever, or on the pro plan', { any: [{ event: 'Order Completed' }, { trait: 'plan', eq: 'pro' }] }, (p) => p.ordersDaysAgo.length > 0 || p.plan === 'pro'],
    ['no orders in 90 days (atMost 0)', { event: 'Order Completed', atMost: 0, within: '90 days' }, (p) => within(p, 90) === 0],
    ['exactly one order in 90 days', { event: 'Order Completed', atLeast: 1, atMost: 1, within: '90 days' }, (p) => within(p, 90) === 1],
    ['SMS marketing subscribed and an email identity', { all: [{ consent: { channel: 'sms', status: 'subscribed' } }, { identity: 'email' }] }, (p) => p.sms === 'subscribed' && p.email],
    ['SMS consent unknown', { consent: { channel: 'sms', status: 'unknown' } }, (p) => p.sms === null],
    ['country in PT or US', { trait: 'country', in: ['PT', 'US'] }, (p) => p.country === 'PT' || p.country === 'US'],
    ['plan is not free (including no plan)', { trait: 'plan', neq: 'free' }, (p) => p.plan !== 'free'],
    ['a score of at least 50', { trait: 'score', gte: 50 }, (p) => p.score !== null && p.score >= 50],
    ['no plan trait', { trait: 'plan', exists: false }, (p) => p.plan === null],
  ];

  it.each(cases)('computes %s exactly as expected', async (_, definition, expected) => {
    const want = people.filter(expected).map((person) => person.id);
    const { size, sample } = await audiences.preview(DEFAULT_WORKSPACE_ID, definition, { now: NOW, sample: 100 });
    expect(size).toBe(want.length);
    expect(sample).toEqual(want.slice(0, 100));
    expect(want.length).toBeGreaterThan(0); // every case selects someone: the population covers it
  });

  it('keeps membership: a refresh reports who entered, a later one who left as time moved the window', async () => {
    const audience = await audiences.save(DEFAULT_WORKSPACE_ID, 'recent-buyers', { event: 'Order Completed', within: '90 days' });
    const first = await audiences.evaluate(audience, { now: NOW });
    const members = people.filter((p) => within(p, 90) >= 1).map((p) => p.id);
    expect(first.filter((change) => change.change === 'entered').map((change) => change.customerId).sort()).toEqual(members);
    expect(await audiences.size(audience.id)).toBe(members.length);
    expect(await audiences.evaluate(audience, { now: NOW })).toEqual([]);
    // Two hours later the 89.99-day orders are past the window: those customers (only those) leave.
    const later = new Date(NOW.getTime() + 2 * 60 * 60 * 1000);
    const leaving = people.filter((p) => within(p, 90) >= 1 && p.ordersDaysAgo.filter((ago) => ago + 2 / 24 < 90).length === 0).map((p) => p.id);
    const second = await audiences.evaluate(audience, { now: later });
    expect(leaving.length).toBeGreaterThan(0);
    expect([...second].sort((a, b) => a.customerId.localeCompare(b.customerId))).toEqual(
      leaving.map((customerId) => ({ audienceId: audience.id, audience: 'recent-buyers', customerId, change: 'exited' })),
    );
  });

  it('evaluates one customer after their event, and reports each change once when evaluations race', async () => {
    const audience = await audiences.save(DEFAULT_WORKSPACE_ID, 'churned', { event: 'Churned' });
    const someone = people.find((p) => !p.churned)!;
    await db.dataSource.query(`INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, 'late-churn', $2, 'track', 'Churned', '{}', now(), now())`, [
      DEFAULT_WORKSPACE_ID,
      someone.id,
    ]);
    const raced = await Promise.all([1, 2, 3].map(() => audiences.evaluate(audience, { customerId: someone.id })));
    expect(raced.flat()).toEqual([{ audienceId: audience.id, audience: 'churned', customerId: someone.id, change: 'entered' }]);
    expect(await audiences.members(audience.id, { limit: 500 })).toEqual([{ customerId: someone.id, enteredAt: expect.any(Date) }]);
  });

  it('refuses a definition that is not one, saying where', async () => {
    const refused = async (definition: unknown) => {
      try {
        await audiences.save(DEFAULT_WORKSPACE_ID, 'bad', definition);
      } catch (error) {
        expect(error).toBeInstanceOf(AudienceDefinitionError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(await refused({ all: [] })).toBe('definition.all: must be a non-empty list of conditions');
    expect(await refused({ all: [{ trait: 'plan', eq: 'pro' }, { event: 'X', within: 'soon' }] })).toBe('definition.all[1].within: must be a duration such as "90 days"');
    expect(await refused({ trait: 'plan', like: 'p%' })).toBe('definition.like: is not an operator; use eq, neq, in, exists, gt, gte, lt or lte');
    expect(await refused({ consent: { channel: 'fax', status: 'subscribed' } })).toBe('definition.consent.channel: must be one of sms, whatsapp, rcs, email, in_app');
    expect(await refused({ trait: "x'); DROP TABLE profiles; --", eq: 1 })).toBe('definition.trait: must be a trait name or dotted path');
    await expect(audiences.save(DEFAULT_WORKSPACE_ID, 'Bad Name', { event: 'X' })).rejects.toThrow('name: must be 1 to 63');
  });

  it('removes an audience and its membership, and says when there was none', async () => {
    const audience = await audiences.save(DEFAULT_WORKSPACE_ID, 'to-remove', { trait: 'country', eq: 'PT' });
    expect((await audiences.evaluate(audience, { now: NOW })).length).toBeGreaterThan(0);
    expect(await audiences.remove(DEFAULT_WORKSPACE_ID, 'to-remove')).toBe(true);
    expect(await audiences.get(DEFAULT_WORKSPACE_ID, 'to-remove')).toBeNull();
    expect(await audiences.size(audience.id)).toBe(0);
    expect(await audiences.remove(DEFAULT_WORKSPACE_ID, 'to-remove')).toBe(false);
  });
});
