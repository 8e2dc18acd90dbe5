import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_SEARCH_ATTRIBUTES } from '@continuum/contracts';
import { freePort, stackEngineOptions, startStack, waitFor, type Stack, type StackOptions } from '@continuum/testing';

// The whole stack on engine mode `server` (TEMPORAL_ENGINE=server in `npm start`), whatever engine
// the rest of the run uses: the real Temporal server persisting to the embedded PostgreSQL, the Web
// UI server in front of it, and a journey driven through GraphQL from event to SMS.
const IDLE_SECONDS = 4;

interface EmulatedMessage {
  sid: string;
  to: string;
  body: string;
}

const freshPorts = async () => ({
  temporal: await freePort(),
  temporalUi: await freePort(),
  postgres: await freePort(),
  gateway: await freePort(),
  emulator: await freePort(),
});

describe('the stack on the real Temporal server (engine mode server)', { timeout: 240_000 }, () => {
  let stack: Stack;
  let options: StackOptions;
  let dataDir: string;

  const startOn = async () => {
    const ports = await freshPorts();
    options = { ...options, ...(await stackEngineOptions('server', ports.temporal, ports.temporalUi)), ports };
    stack = await startStack(options);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'continuum-engine-server-e2e-'));
    options = { dataDir, ports: await freshPorts(), serviceEnv: { ABANDONED_CART_IDLE_TIMEOUT: `${IDLE_SECONDS}s`, LOG_LEVEL: 'warn' } };
    await startOn();
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function graphql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': stack.devApiKey },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  }

  const identify = (userId: string, traits: Record<string, unknown>) =>
    graphql(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, { input: { userId, traits } });

  const track = async (userId: string, event: string, properties: Record<string, unknown>) => {
    const result = await graphql<{ track: { deliveredTo: string[] } }>(
      `mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`,
      { input: { userId, event, properties } },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.track;
  };

  const sentTo = async (phone: string): Promise<EmulatedMessage[]> => {
    const response = await fetch(`${stack.emulatorUrl}/__emulator/messages`);
    const { messages } = (await response.json()) as { messages: EmulatedMessage[] };
    return messages.filter((message) => message.to === phone);
  };

  const instance = async (workflowId: string) =>
    (
      await graphql<{ journeyInstance: { status: string; timeline: { nodes: Array<{ type: string }> } } | null }>(
        `query($id: String!) { journeyInstance(workflowId: $id) { status timeline(first: 100) { nodes { type } } } }`,
        { id: workflowId },
      )
    ).data?.journeyInstance;

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** What the server's schema tool recorded in one of its databases on the stack's PostgreSQL. */
  const schemaVersion = async (database: string) => {
    const client = new PgClient({ connectionString: stack.databaseUrl.replace(/\/[^/]+$/, `/${database}`) });
    await client.connect();
    try {
      return (await client.query<{ curr_version: string }>('SELECT curr_version FROM schema_version')).rows[0]?.curr_version;
    } finally {
      await client.end();
    }
  };

  it('keeps its state in the temporal and temporal_visibility databases, at the schema versions of server 1.29.1, with our namespace', async () => {
    expect(await schemaVersion('temporal')).toBe('1.18');
    expect(await schemaVersion('temporal_visibility')).toBe('1.9');
    const connection = await Connection.connect({ address: stack.temporal.address });
    try {
      const info = await connection.workflowService.getClusterInfo({});
      expect(info.serverVersion).toBe('1.29.1');
      expect(info.persistenceStore).toBe('postgres12');
      expect(info.visibilityStore).toBe('postgres12');
      expect(info.historyShardCount).toBe(1);
      const namespace = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(Number(namespace.config?.workflowExecutionRetentionTtl?.seconds)).toBe(24 * 3600);
      const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(attributes.customAttributes ?? {}).sort()).toEqual([...JOURNEY_SEARCH_ATTRIBUTES].sort());
    } finally {
      await connection.close();
    }
  });

  it('runs the abandoned-cart journey: one SMS with the last cart after three updates, found by its search attributes in the Web UI', async () => {
    const phone = '+14155550301';
    expect((await identify('srv-ana', { first_name: 'Ana', phone })).errors).toBeUndefined();
    expect((await track('srv-ana', 'Cart Updated', { cart_id: 'A', items: [{ name: 'Shoes' }] })).deliveredTo).toEqual(['journey/abandoned-cart/srv-ana/A']);
    await sleep(1000);
    await track('srv-ana', 'Cart Updated', { cart_id: 'A', items: [{ name: 'Shoes' }, { name: 'Socks' }] });
    await sleep(1000);
    await track('srv-ana', 'Cart Updated', { cart_id: 'A', items: [{ name: 'Boots', quantity: 2 }] });

    // While it waits, the Web UI server lists it by its search attributes, read from PostgreSQL visibility.
    const query = encodeURIComponent(`CustomerId="srv-ana" AND JourneyId="abandoned-cart" AND InstanceKey="A"`);
    let listed: Array<{ execution: { workflowId: string } }> = [];
    await waitFor('the instance in the Web UI list', async () => {
      const response = await fetch(`${stack.temporal.uiUrl}/api/v1/namespaces/default/workflows?query=${query}`);
      listed = ((await response.json()) as { executions?: typeof listed }).executions ?? [];
      return listed.length > 0;
    }, 30_000);
    expect(listed.map((execution) => execution.execution.workflowId)).toEqual(['journey/abandoned-cart/srv-ana/A']);

    await waitFor('the reminder SMS', async () => (await sentTo(phone)).length > 0, 30_000);
    await sleep(1500);
    expect((await sentTo(phone)).map((message) => message.body)).toEqual(["Hi Ana, you left 2 × Boots in your cart. Complete your order before it's gone!"]);
    await waitFor('the instance to complete', async () => (await instance('journey/abandoned-cart/srv-ana/A'))?.status === 'COMPLETED', 15_000);
    expect((await instance('journey/abandoned-cart/srv-ana/A'))!.timeline.nodes.map((entry) => entry.type)).toEqual([
      'ENTERED',
      'WAIT_STARTED',
      'TIMER_RESET',
      'TIMER_RESET',
      'WAIT_ENDED',
      'MESSAGE_SENT',
      'COMPLETED',
    ]);
  });

  it('resumes a waiting journey from PostgreSQL after the Temporal server is killed with SIGKILL, and sends exactly once', async () => {
    const phone = '+14155550302';
    await identify('srv-kill', { first_name: 'Kim', phone });
    await track('srv-kill', 'Cart Updated', { cart_id: 'K1', items: [{ name: 'Kettle' }] });
    await waitFor('the waiting instance', async () => (await instance('journey/abandoned-cart/srv-kill/K1'))?.status === 'ACTIVE', 15_000);
    const killed = new Promise((resolve) => stack.temporal.process.once('exit', resolve));
    stack.temporal.process.kill('SIGKILL');
    await killed;
    await stack.stop();
    // Longer than the idle window: the timer is due when the server comes back.
    await sleep((IDLE_SECONDS + 1) * 1000);
    // The same data directory: the same PostgreSQL, whose temporal databases are set up already.
    await startOn();
    expect(stack.temporal.historyShards).toBe(1);
    await waitFor('the SMS after the restart', async () => (await sentTo(phone)).length > 0, 60_000);
    await waitFor('the instance to complete', async () => (await instance('journey/abandoned-cart/srv-kill/K1'))?.status === 'COMPLETED', 30_000);
    await sleep(2000);
    expect((await sentTo(phone)).map((message) => message.body)).toEqual(["Hi Kim, you left Kettle in your cart. Complete your order before it's gone!"]);
    // Exactly once across both runs (each run has an emulator of its own): the journal holds one message.
    const messages = await graphql<{ profile: { messages: { nodes: Array<{ to: string }> } } }>(
      `{ profile(userId: "srv-kill") { messages(first: 10) { nodes { to } } } }`,
    );
    expect(messages.data!.profile.messages.nodes).toEqual([{ to: phone }]);
    // The journey from before is still there too.
    expect((await instance('journey/abandoned-cart/srv-ana/A'))?.status).toBe('COMPLETED');
  });
});
