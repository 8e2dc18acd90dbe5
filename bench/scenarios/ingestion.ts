import { insertRate, signalWithStartRate } from '../baselines';
import { closedLoop, graphql, round, ROUTING_PARALLELISM, TRACK, trackingPost, waitUntilRouted } from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';

const SIZES = {
  small: { batchEvents: 1_000, batchSize: 100, singleEvents: 300, baselineEvents: 1_000, concurrency: 8, customers: 200 },
  medium: { batchEvents: 5_000, batchSize: 100, singleEvents: 1_500, baselineEvents: 5_000, concurrency: 8, customers: 1_000 },
  large: { batchEvents: 20_000, batchSize: 100, singleEvents: 5_000, baselineEvents: 20_000, concurrency: 8, customers: 2_000 },
} as const;

interface PathFigures {
  path: string;
  events: number;
  acceptedPerSecond: number;
  routedPerSecond: number;
}

/** Events/s accepted (stored) and routed (routed_at set) through /v1/batch, /v1/track and GraphQL track. */
export async function ingestion(ctx: BenchContext): Promise<ScenarioResult> {
  const s = SIZES[ctx.size];
  const event = (label: string, i: number) => ({
    userId: `ing-${ctx.runId}-${i % s.customers}`,
    event: 'Cart Updated',
    properties: { cart_id: `cart-${label}`, items: [{ name: 'Shoes', quantity: 1 + (i % 3) }] },
    messageId: `${ctx.runId}-${label}-${i}`,
  });

  /** Sends through one path, then waits for the routing backlog to drain. */
  const measure = async (path: string, events: number, requests: number, send: (i: number) => Promise<void>, senders = path === '/v1/batch' ? 4 : s.concurrency): Promise<PathFigures> => {
    await waitUntilRouted(ctx.db, 'drain earlier backlog');
    const began = performance.now();
    const ackSeconds = await closedLoop(requests, senders, send, path);
    await waitUntilRouted(ctx.db, `${path}: routing`);
    const routedSeconds = (performance.now() - began) / 1000;
    return { path, events, acceptedPerSecond: events / ackSeconds, routedPerSecond: events / routedSeconds };
  };

  // Baselines first, while no journey instance is running yet.
  const sws = await signalWithStartRate(ctx, s.baselineEvents, ROUTING_PARALLELISM, s.customers);
  const inserts = await insertRate(ctx, s.baselineEvents, s.concurrency);

  const paths: PathFigures[] = [];
  const batches = Math.ceil(s.batchEvents / s.batchSize);
  paths.push(
    await measure('/v1/batch', batches * s.batchSize, batches, (b) =>
      trackingPost(ctx.stack, '/v1/batch', {
        batch: Array.from({ length: s.batchSize }, (_, j) => ({ type: 'track', ...event('batch', b * s.batchSize + j) })),
      }),
    ),
  );
  paths.push(await measure('/v1/track', s.singleEvents, s.singleEvents, (i) => trackingPost(ctx.stack, '/v1/track', event('track', i))));
  paths.push(
    await measure('GraphQL track', s.singleEvents, s.singleEvents, async (i) => {
      await graphql(ctx.stack, TRACK, { input: event('gql', i) });
    }),
  );
  // The same two paths with as many senders as the relay routes customers at once: /v1/track's routing
  // runs that many in parallel whatever its senders, a GraphQL track (which answers once routed) only as
  // many as its callers wait for — these rows tell a throughput limit from a latency one.
  const wide = { v1: `/v1/track, ${ROUTING_PARALLELISM} senders`, gql: `GraphQL track, ${ROUTING_PARALLELISM} senders` };
  paths.push(await measure(wide.v1, s.singleEvents, s.singleEvents, (i) => trackingPost(ctx.stack, '/v1/track', event('track-wide', i)), ROUTING_PARALLELISM));
  paths.push(
    await measure(wide.gql, s.singleEvents, s.singleEvents, async (i) => {
      await graphql(ctx.stack, TRACK, { input: event('gql-wide', i) });
    }, ROUTING_PARALLELISM),
  );

  const rows: Row[] = [
    { what: `baseline: raw signalWithStart (bare client, ${ROUTING_PARALLELISM} in flight)`, value: round(sws), unit: 'events/s' },
    { what: `baseline: raw single-row INSERT (scratch table, ${s.concurrency} in flight)`, value: round(inserts), unit: 'events/s' },
  ];
  for (const p of paths) {
    rows.push({ what: `${p.path}: accepted (stored)`, value: round(p.acceptedPerSecond), unit: 'events/s', ratio: round(p.acceptedPerSecond / inserts, 3), baseline: 'INSERT' });
    rows.push({ what: `${p.path}: accepted and routed`, value: round(p.routedPerSecond), unit: 'events/s', ratio: round(p.routedPerSecond / sws, 3), baseline: 'signalWithStart' });
  }
  const v1 = paths.find((p) => p.path === '/v1/track')!;
  const gql = paths.find((p) => p.path === 'GraphQL track')!;
  rows.push({
    what: 'goal: GraphQL track accepted and routed against /v1/track accepted and routed',
    value: round(gql.routedPerSecond),
    unit: 'events/s',
    ratio: round(gql.routedPerSecond / v1.routedPerSecond, 3),
    baseline: '/v1/track routed (goal ≥ 0.8)',
  });
  const v1Wide = paths.find((p) => p.path === wide.v1)!;
  const gqlWide = paths.find((p) => p.path === wide.gql)!;
  rows.push({
    what: `GraphQL track against /v1/track, both with ${ROUTING_PARALLELISM} senders (accepted and routed)`,
    value: round(gqlWide.routedPerSecond),
    unit: 'events/s',
    ratio: round(gqlWide.routedPerSecond / v1Wide.routedPerSecond, 3),
    baseline: `/v1/track routed, ${ROUTING_PARALLELISM} senders`,
  });
  return {
    scenario: 'ingestion',
    title: 'Ingestion: events/s accepted and routed, against raw Temporal and PostgreSQL',
    settings: { ...s, batchSenders: 4, wideSenders: ROUTING_PARALLELISM, worker: 'running (Cart Updated enters abandoned-cart)' },
    rows,
    notes: [
      'Accepted = every request answered 200 (stored in PostgreSQL); routed = no event left with routed_at IS NULL, timed from the first request.',
      `Accepted rates are compared with raw INSERTs (as many in flight as senders), routed rates with raw signalWithStart (${ROUTING_PARALLELISM} in flight, as the relay routes ${ROUTING_PARALLELISM} customers at a time); baselines run first, before any journey instance exists.`,
      'GraphQL track answers after it has delivered the event, so its accepted and routed rates coincide.',
      `The goal row compares both paths with ${s.concurrency} senders; the last row with ${ROUTING_PARALLELISM}, as many as the relay routes at once: a GraphQL track waits for its own routing, so with few senders its rate is bound by that wait, not by the gateway's capacity.`,
    ],
    chart: {
      title: 'Ingestion (events/s)',
      unit: 'events/s',
      bars: [
        { label: 'signalWithStart', value: round(sws), group: 'baseline' },
        { label: 'INSERT', value: round(inserts), group: 'baseline' },
        ...paths.flatMap((p) => [
          { label: `${p.path} accepted`, value: round(p.acceptedPerSecond), group: 'accepted' },
          { label: `${p.path} routed`, value: round(p.routedPerSecond), group: 'routed' },
        ]),
      ],
    },
  };
}
