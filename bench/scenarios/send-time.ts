import { join } from 'node:path';
import { createSendTimeActivities } from '@continuum/activities-profiles';
import type { BestSendTime, MessagingPolicy } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, EngagementStore, ProfileStore, openDataSource, type DataSource } from '@continuum/data';
import { localHourMinute, quietHoursAt } from '@continuum/domain';
import { freePort, startEmbeddedPostgres } from '@continuum/testing';
import { percentile, progress, round, type DatabaseBenchContext, type Row, type ScenarioResult } from '../lib';

/** Customers in the seeded population. */
const SIZES = { small: 10_000, medium: 50_000, large: 200_000 } as const;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** The moment every strategy may send from (a Thursday, 10:00 UTC); the window is the next day. */
const T0 = Date.parse('2026-11-05T10:00:00Z');
const WINDOW_MS = DAY;
/** How long after the send an engagement still counts. */
const HORIZON_MS = 3 * DAY;
const CONCURRENCY = 8;
const SEED = 20261205;

/** Markets: where customers live and the local hour their market leans to. */
const MARKETS = [
  { country: 'PT', timeZone: 'Europe/Lisbon', hour: 20, share: 0.2 },
  { country: 'US', timeZone: 'America/New_York', hour: 12, share: 0.25 },
  { country: 'US', timeZone: 'America/Los_Angeles', hour: 18, share: 0.15 },
  { country: 'BR', timeZone: 'America/Sao_Paulo', hour: 19, share: 0.2 },
  { country: 'JP', timeZone: 'Asia/Tokyo', hour: 8, share: 0.1 },
  { country: 'IN', timeZone: 'Asia/Kolkata', hour: 21, share: 0.1 },
] as const;

const policy: MessagingPolicy = {
  quietHours: { default: { start: '21:00', end: '08:00' }, regions: {}, mode: 'queue' },
  regionTimeZones: { PT: 'Europe/Lisbon', US: 'America/New_York', BR: 'America/Sao_Paulo', JP: 'Asia/Tokyo', IN: 'Asia/Kolkata' },
  workspaceTimeZone: 'UTC',
};

/** mulberry32: a small seeded generator, so every run simulates the same population. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Customer {
  id: string;
  country: string;
  timeZone: string;
  /** The local hour they usually look at their phone. */
  preferred: number;
  /** Chance they look at it at that hour on a given day. */
  habit: number;
}

/** How fast a message goes stale: at a look `age` after it arrived, it is engaged with at chance exp(−age / τ). */
const FRESHNESS_MS = 4 * HOUR;

/**
 * When the customer engages with a message that arrived at `sentAt`, if they do within the horizon.
 * They look at their phone once a day within their preferred local hour (when their habit holds that
 * day) and, on a third of days, once at a random hour; at each look they engage with the message at
 * a chance that falls with its age (a message hours old is buried under newer ones).
 */
function engagementAfter(customer: Customer, sentAt: number, draw: () => number): number | undefined {
  const looks: number[] = [];
  for (let day = -1; day <= Math.ceil(HORIZON_MS / DAY) + 1; day++) {
    const midnight = localMidnight(sentAt + day * DAY, customer.timeZone);
    if (draw() < customer.habit) looks.push(midnight + customer.preferred * HOUR + draw() * HOUR);
    if (draw() < 1 / 3) looks.push(midnight + draw() * DAY);
  }
  for (const at of looks.filter((look) => look >= sentAt && look <= sentAt + HORIZON_MS).sort((a, b) => a - b)) {
    if (draw() < Math.exp(-(at - sentAt) / FRESHNESS_MS)) return at;
  }
  return undefined;
}

/** The instant of local midnight of the day `instant` falls on (whole hours only: good enough for sessions). */
function localMidnight(instant: number, timeZone: string): number {
  const { hour, minute } = localHourMinute(instant, timeZone);
  return instant - (instant % 60_000) - (hour * 60 + minute) * 60_000;
}

/** A send held by quiet hours goes out when they end, as journey sends do. */
function heldForQuietHours(at: number, customer: Customer): number {
  return quietHoursAt(at, policy, { timezone: customer.timeZone, country: customer.country })?.endsAt ?? at;
}

function population(size: number, draw: () => number): Customer[] {
  const customers: Customer[] = [];
  for (let n = 0; n < size; n++) {
    let pick = draw();
    const market = MARKETS.find((candidate) => (pick -= candidate.share) < 0) ?? MARKETS[0];
    // Their own hour: the market's, moved by a normal-ish spread of about three hours.
    const spread = Math.round((draw() + draw() + draw() - 1.5) * 6);
    customers.push({ id: `st-${n}`, country: market.country, timeZone: market.timeZone, preferred: (market.hour + spread + 24) % 24, habit: 0.55 + draw() * 0.35 });
  }
  return customers;
}

/** 90 days of engagement: each customer's engagement with the messages they were sent then, at random times (0–7 messages for a quarter of them, 20–40 for the rest). */
async function seed(db: DataSource, customers: Customer[], draw: () => number): Promise<{ events: number; reads: number }> {
  const profiles = { id: [] as string[], tz: [] as string[], country: [] as string[] };
  const events = { user: [] as string[], at: [] as Date[] };
  const reads = { user: [] as string[], at: [] as Date[] };
  for (const customer of customers) {
    profiles.id.push(customer.id);
    profiles.tz.push(customer.timeZone);
    profiles.country.push(customer.country);
    // Messages sent them in the last 90 days (a quarter were sent few), each engaged with or not by the behaviour below.
    const count = draw() < 0.25 ? Math.floor(draw() * 8) : 20 + Math.floor(draw() * 21);
    for (let k = 0; k < count; k++) {
      const sentAt = T0 - (1 + Math.floor(draw() * 88)) * DAY - draw() * DAY;
      const at = engagementAfter(customer, sentAt, draw);
      if (at === undefined || at >= T0) continue;
      const into = draw() < 1 / 3 ? reads : events;
      into.user.push(customer.id);
      into.at.push(new Date(at));
    }
  }
  const chunk = 20_000;
  for (let i = 0; i < profiles.id.length; i += chunk) {
    await db.query(
      `INSERT INTO profiles (workspace_id, user_id, traits, timezone, country) SELECT $1, id, '{}'::jsonb, tz, country FROM unnest($2::text[], $3::text[], $4::text[]) AS t(id, tz, country)`,
      [DEFAULT_WORKSPACE_ID, profiles.id.slice(i, i + chunk), profiles.tz.slice(i, i + chunk), profiles.country.slice(i, i + chunk)],
    );
  }
  for (let i = 0; i < events.user.length; i += chunk) {
    await db.query(
      `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at)
       SELECT $1, 'st-e-' || ($4::int + ord), u, 'track', 'Message Received', '{"channel": "sms"}'::jsonb, at, at
       FROM unnest($2::text[], $3::timestamptz[]) WITH ORDINALITY AS t(u, at, ord)`,
      [DEFAULT_WORKSPACE_ID, events.user.slice(i, i + chunk), events.at.slice(i, i + chunk), i],
    );
  }
  for (let i = 0; i < reads.user.length; i += chunk) {
    await db.query(
      `INSERT INTO messages (workspace_id, customer_id, instance_id, run_id, step, channel, to_address, body, status, created_at, updated_at, read_at)
       SELECT $1, u, 'journey/bench/' || u || '/' || ord || '-' || $4::int, 'r', 'nudge', 'sms', '+10000000000', 'hi', 'read', at - interval '1 hour', at, at
       FROM unnest($2::text[], $3::timestamptz[]) WITH ORDINALITY AS t(u, at, ord)`,
      [DEFAULT_WORKSPACE_ID, reads.user.slice(i, i + chunk), reads.at.slice(i, i + chunk), i],
    );
  }
  await db.query('VACUUM ANALYZE');
  return { events: events.user.length, reads: reads.user.length };
}

interface Outcome {
  sendAt: number;
  engagedAt: number | undefined;
}

function figures(name: string, outcomes: Outcome[]): Row[] {
  const engaged = outcomes.filter((outcome) => outcome.engagedAt !== undefined);
  const fromSend = engaged.map((outcome) => (outcome.engagedAt! - outcome.sendAt) / HOUR);
  const fromStart = engaged.map((outcome) => (outcome.engagedAt! - T0) / HOUR);
  const share = (hours: number) => round((100 * engaged.filter((outcome) => outcome.engagedAt! - outcome.sendAt <= hours * HOUR).length) / outcomes.length);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return [
    { what: `${name}: send → engagement, median`, value: round(percentile(fromSend, 50), 2), unit: 'h' },
    { what: `${name}: send → engagement, mean`, value: round(mean(fromSend), 2), unit: 'h' },
    { what: `${name}: engaged within 1 h of the send`, value: share(1), unit: '%' },
    { what: `${name}: engaged within 4 h of the send`, value: share(4), unit: '%' },
    { what: `${name}: engaged within 72 h`, value: round((100 * engaged.length) / outcomes.length), unit: '%' },
    { what: `${name}: window start → engagement, median`, value: round(percentile(fromStart, 50), 2), unit: 'h' },
  ];
}

/**
 * Send-time optimisation on a seeded population: a fixed send (10:00 UTC for everyone, held by quiet
 * hours), 10:00 in each customer's own zone, and `bestSendTime` (the activity, over the seeded
 * engagement in PostgreSQL); then when each customer engages, from the same simulated behaviour.
 */
export async function sendTime(ctx: DatabaseBenchContext): Promise<ScenarioResult> {
  const size = SIZES[ctx.size];
  const port = await freePort();
  const postgres = await startEmbeddedPostgres({ dataDir: join(ctx.dataDir, 'send-time-pg'), port });
  const db = await openDataSource(postgres.url, { runMigrations: true, poolSize: CONCURRENCY, applicationName: 'continuum-bench-send-time' });
  const rows: Row[] = [];
  const notes: string[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  try {
    const draw = random(SEED);
    const customers = population(size, draw);
    let began = performance.now();
    const seeded = await seed(db, customers, draw);
    rows.push({ what: 'seed (profiles, 90 days of replies and reads)', value: round((performance.now() - began) / 1000), unit: 's' });
    notes.push(`${size.toLocaleString('en-US')} customers in ${MARKETS.length} zones; ${seeded.events.toLocaleString('en-US')} replies and ${seeded.reads.toLocaleString('en-US')} reads over 90 days.`);

    const activities = createSendTimeActivities({ engagements: new EngagementStore(db), profiles: new ProfileStore(db), policy });
    const choices: BestSendTime[] = new Array(customers.length);
    const latencies: number[] = [];
    const bar = progress('bestSendTime', customers.length);
    began = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < customers.length) {
          const index = next++;
          const t = performance.now();
          choices[index] = await activities.bestSendTime({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: customers[index]!.id, channel: 'sms', now: T0, withinMs: WINDOW_MS });
          latencies.push(performance.now() - t);
          bar.tick();
        }
      }),
    );
    bar.done();
    const seconds = (performance.now() - began) / 1000;
    rows.push(
      { what: 'bestSendTime: choices per second', value: round(customers.length / seconds), unit: '/s' },
      { what: 'bestSendTime: p50', value: round(percentile(latencies, 50), 2), unit: 'ms' },
      { what: 'bestSendTime: p95', value: round(percentile(latencies, 95), 2), unit: 'ms' },
    );
    const bySource = (source: string) => choices.filter((choice) => choice.source === source).length;
    notes.push(
      `Sources: personal ${bySource('personal').toLocaleString('en-US')}, market ${bySource('market').toLocaleString('en-US')}, default ${bySource('default').toLocaleString('en-US')}; moved out of quiet hours ${choices.filter((choice) => choice.quietHours === 'avoided').length.toLocaleString('en-US')}.`,
    );
    const personalRight = customers.filter((customer, index) => choices[index]!.source === 'personal' && Math.abs(((choices[index]!.bestHour - customer.preferred + 36) % 24) - 12) <= 1).length;
    notes.push(`Personal choices within an hour of the customer's true preferred hour: ${round((100 * personalRight) / Math.max(1, bySource('personal')))} %.`);

    // Which indexes the engagement reads use at this size (the plans of the activity's own queries).
    const indexes = async (read: (store: EngagementStore) => Promise<unknown>): Promise<string> => {
      const found = new Set<string>();
      const collect = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(collect);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (key === 'Index Name' && typeof value === 'string') found.add(value);
            else if (key === 'Node Type' && value === 'Seq Scan') found.add(`Seq Scan on ${(node as Record<string, unknown>)['Relation Name']}`);
            else collect(value);
          }
        }
      };
      const explaining = { query: async (sql: string, params: unknown[]) => (collect(await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)), []) } as unknown as DataSource;
      await read(new EngagementStore(explaining));
      return [...found].join(', ');
    };
    const window = { workspaceId: DEFAULT_WORKSPACE_ID, channels: ['sms', 'mms'], until: new Date(T0) };
    notes.push(
      `Plans: a customer's engagement uses ${await indexes((store) => store.ofCustomer({ ...window, customerId: customers[0]!.id, since: new Date(T0 - 90 * DAY), limit: 500 }))}; a market's uses ${await indexes((store) => store.ofMarket({ ...window, country: 'BR', since: new Date(T0 - 30 * DAY), limit: 5_000 }))}.`,
    );

    // The same behaviour for every strategy: one generator per customer, seeded by their index.
    const simulate = (sendAt: (customer: Customer, index: number) => number): Outcome[] =>
      customers.map((customer, index) => {
        const at = sendAt(customer, index);
        return { sendAt: at, engagedAt: engagementAfter(customer, at, random(SEED + 1 + index)) };
      });
    const strategies: Array<[string, Outcome[]]> = [
      ['fixed 10:00 UTC', simulate((customer) => heldForQuietHours(T0, customer))],
      ['10:00 local', simulate((customer) => {
        const { hour, minute } = localHourMinute(T0, customer.timeZone);
        const offset = ((10 - hour + 24) % 24) * HOUR - minute * 60_000;
        return T0 + (offset < 0 ? offset + DAY : offset);
      })],
      ['best time', simulate((_customer, index) => choices[index]!.at)],
    ];
    for (const [name, outcomes] of strategies) {
      const results = figures(name, outcomes);
      rows.push(...results);
      bars.push({ label: name, value: results[0]!.value, group: name === 'best time' ? 'best' : 'baseline' });
    }
    notes.push(
      'Behaviour: each day a customer looks at their phone within their own preferred local hour (on 55–90 % of days) and, on a third of days, once at a random hour; at each look they engage with the message at a chance of exp(−age / 4 h), age being the time since it arrived (a stale message is buried), within 72 hours. The history seeded in PostgreSQL comes from the same behaviour, so the activity learns from what it will be judged on, as in production.',
      'Quiet hours 21:00–08:00 apply to every strategy (a fixed send inside them goes out when they end). "Window start → engagement" counts from 10:00 UTC for all three: whether waiting for the best hour still gets the engagement sooner overall.',
    );
  } finally {
    await db.destroy();
    await postgres.stop();
  }
  return {
    scenario: 'send-time',
    title: `Send-time optimisation: fixed send vs best time for ${size.toLocaleString('en-US')} customers`,
    settings: { customers: size, freshnessHours: FRESHNESS_MS / HOUR, windowHours: WINDOW_MS / HOUR, horizonHours: HORIZON_MS / HOUR, quietHours: '21:00-08:00', seed: SEED, concurrency: CONCURRENCY },
    rows,
    notes,
    chart: { title: 'Send → engagement, median (h)', unit: 'h', bars },
  };
}
