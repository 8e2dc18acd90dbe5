import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, SourceKeyStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

// TRACKING_RATE_LIMIT_PER_SECOND against the real gateway and PostgreSQL: 429 with Retry-After per
// source, other sources unaffected, nothing stored for a refused request, and the real Segment
// client delivering everything once by honouring the 429s.
describe('tracking API rate limit per source', () => {
  let gw: GatewayFixture;
  let busyKey: string;
  let quietKey: string;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      env: { TRACKING_RATE_LIMIT_PER_SECOND: '3' },
      beforeStart: async (ds) => {
        const keys = new SourceKeyStore(ds);
        busyKey = await keys.createWriteKey(DEFAULT_WORKSPACE_ID, 'busy source');
        quietKey = await keys.createWriteKey(DEFAULT_WORKSPACE_ID, 'quiet source');
      },
    });
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  const track = (key: string, messageId: string) =>
    fetch(`${gw.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'rl-user', event: 'Rate Limited', messageId }),
    });
  const stored = async (pattern: string) =>
    ((await gw.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE message_id LIKE $1`, [pattern])) as Array<{ n: number }>)[0]!.n;

  it('answers 429 with Retry-After above the limit, stores nothing refused, and leaves other sources alone', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, (_, index) => track(busyKey, `rl-busy-${index}`)));
    const limited = responses.filter((response) => response.status === 429);
    const accepted = responses.filter((response) => response.status === 200);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(6); // at most two one-second windows fit in the burst
    expect(limited.length).toBe(12 - accepted.length);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited[0]!.json()).toEqual({
      success: false,
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^Source "busy source" sent more than 3 requests in one second \(TRACKING_RATE_LIMIT_PER_SECOND\); retry in \d+ s$/),
    });
    expect(await stored('rl-busy-%')).toBe(accepted.length);
    expect((await track(quietKey, 'rl-quiet-0')).status).toBe(200);
  });

  it('lets the real Segment client deliver every event exactly once by waiting out the 429s', async () => {
    const client = new Analytics({ writeKey: busyKey, host: gw.url, flushAt: 1, flushInterval: 50, maxRetries: 10 });
    const statuses: number[] = [];
    client.on('http_response', (response) => statuses.push(response.status));
    for (let index = 0; index < 10; index += 1) client.track({ userId: 'rl-user', event: 'Segment Client', messageId: `rl-client-${index}` });
    await client.closeAndFlush({ timeout: 50_000 });
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(await stored('rl-client-%')).toBe(10);
  });
});
