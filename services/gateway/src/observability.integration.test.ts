import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JourneyCatalogueStore } from '@continuum/data';
import { journeyDescriptors } from '@continuum/worker';
import { startGatewayFixture, type GatewayFixture } from './test-support/gateway-fixture';

// Health endpoints of the gateway in-process against a real PostgreSQL and Temporal dev server.
describe('gateway health', () => {
  let gw: GatewayFixture;

  beforeAll(async () => {
    gw = await startGatewayFixture({ beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'observability-test') });
  });

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
