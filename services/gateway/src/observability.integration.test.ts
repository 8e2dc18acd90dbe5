import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore, SourceKeyStore } from '@continuum/data';
import { journeyDescriptors } from '@continuum/worker';
import { startGatewayFixture, type GatewayFixture } from './test-support/gateway-fixture';

/** The value of one sample in a Prometheus exposition (undefined when the series is absent). */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

// Health and metrics of the gateway in-process against a real PostgreSQL and Temporal dev server.
describe('gateway health and metrics', () => {
  let gw: GatewayFixture;
  let writeKey: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    gw = await startGatewayFixture({
      writeLog: (line) => logLines.push(line),
      beforeStart: async (ds) => {
        await new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'observability-test');
        writeKey = await new SourceKeyStore(ds).createWriteKey(DEFAULT_WORKSPACE_ID, 'observability-test');
      },
    });
  });

  const metrics = async () => {
    const response = await fetch(`${gw.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  };

  afterAll(async () => {
    await gw?.teardown();
  });

  it('is live and ready while PostgreSQL and Temporal answer; /health stays the readiness check', async () => {
    const live = await fetch(`${gw.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    for (const path of ['/health/ready', '/health']) {
      const ready = await fetch(`${gw.url}${path}`);
      expect(ready.status, path).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'up', temporal: 'up' } });
    }
  });

  it('counts accepted events by source, routing outcomes and latency, and HTTP requests', async () => {
    const before = await metrics();
    const value = (text: string, series: string) => sample(text, series) ?? 0;

    const tracked = await gw.graphql<{ track: { deliveredTo: string[] } }>(
      `mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`,
      { input: { userId: 'olga', event: 'Cart Updated', properties: { cart_id: 'o-1', items: ['Boots'] } } },
    );
    expect(tracked.data?.track.deliveredTo).toEqual(['journey/abandoned-cart/olga/o-1']);
    const trackOverHttp = () =>
      fetch(`${gw.url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        body: JSON.stringify({ userId: 'olga', event: 'Page Liked', messageId: 'obs-1' }),
      });
    expect((await trackOverHttp()).status).toBe(200);

    let after = '';
    // The tracking API acknowledges before routing; wait for the relay.
    for (let attempt = 0; attempt < 50; attempt++) {
      after = await metrics();
      if (value(after, 'continuum_events_routed_total{outcome="no_instance"}') > value(before, 'continuum_events_routed_total{outcome="no_instance"}')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const delta = (series: string) => value(after, series) - value(before, series);
    expect(delta('continuum_events_accepted_total{source="graphql"}')).toBe(1);
    expect(delta('continuum_events_accepted_total{source="tracking_api"}')).toBe(1);
    expect(delta('continuum_events_routed_total{outcome="delivered"}')).toBe(1);
    expect(delta('continuum_events_routed_total{outcome="no_instance"}')).toBe(1);
    expect(delta('continuum_routing_latency_seconds_count')).toBe(2);
    expect(delta('continuum_http_requests_total{method="POST",route="/graphql",status="200"}')).toBe(1);
    expect(delta('continuum_http_requests_total{method="POST",route="/v1/track",status="200"}')).toBe(1);
    expect(after).toMatch(/^continuum_routing_backlog 0$/m);
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);

    // A repeated messageId is acknowledged but not accepted again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await trackOverHttp()).status).toBe(200);
    const repeated = await metrics();
    expect(value(repeated, 'continuum_events_accepted_total{source="tracking_api"}')).toBe(value(after, 'continuum_events_accepted_total{source="tracking_api"}'));
  });

  it('logs JSON lines, one per routed event with its workflow id and customer id', async () => {
    const tracked = await gw.graphql<{ track: { deliveredTo: string[] } }>(
      `mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`,
      { input: { userId: 'pia', event: 'Cart Updated', properties: { cart_id: 'p-9', items: ['Hat'] }, messageId: 'log-1' } },
    );
    expect(tracked.data?.track.deliveredTo).toEqual(['journey/abandoned-cart/pia/p-9']);
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) expect(line).toMatchObject({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) });
    expect(lines).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/^gateway listening on http/), context: 'Gateway' }));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        context: 'EventOutbox',
        msg: 'event routed',
        workflowId: 'journey/abandoned-cart/pia/p-9',
        customerId: 'pia',
        messageId: 'log-1',
        event: 'Cart Updated',
      }),
    );
  });

  // Last: PostgreSQL stays down.
  it('is not ready, naming the database, while PostgreSQL is down, and still live', async () => {
    await gw.stopPostgres();
    const ready = await fetch(`${gw.url}/health/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body).toMatchObject({ status: 'degraded', checks: { temporal: 'up' } });
    expect(body.checks['database']).toMatch(/^down: /);
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
  });
});
