import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Webhook as SvixVerifier } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, WebhookStore, WorkspaceStore } from '@continuum/data';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, type JourneyWorker } from '@continuum/worker';
import { parseGlobalId, toGlobalId } from '../node/global-id';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../test-support/gateway-fixture';

/**
 * Outbound webhooks end to end: the real gateway (GraphQL), a journey worker with its webhook
 * dispatcher, a Temporal dev server, PostgreSQL, and a receiver on loopback (allowed by
 * EGRESS_ALLOWED_NETWORKS=127.0.0.1/32). Signatures are checked with svix's verifier, an
 * implementation of Standard Webhooks independent of the `standardwebhooks` package that signs.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback receiver: records every request; answers each path with its scripted statuses in turn (then the last one, or 200). */
async function startReceiver(): Promise<{ url: string; received: Received[]; script: Map<string, number[]>; close(): Promise<void> }> {
  const received: Received[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const statuses = script.get(path) ?? [];
      const status = statuses.length > 1 ? statuses.shift()! : (statuses[0] ?? 200);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, script, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const USER_ERRORS = 'userErrors { code field message }';
const ENDPOINT = 'id url eventTypes enabled description';
const DELIVERY = 'id webhookId eventType status attemptCount replays lastStatusCode lastError payload attempts { replay attempt statusCode error durationMs }';
type UserErrors = Array<{ code: string; field: string[] | null; message: string }>;
type Delivery = {
  id: string;
  webhookId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  replays: number;
  lastStatusCode: number | null;
  lastError: string | null;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  attempts: Array<{ replay: number; attempt: number; statusCode: number | null; error: string | null; durationMs: number }>;
};

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('outbound webhooks', () => {
  let gateway: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  let reader: string;
  let otherAdmin: string;
  let otherWorkspaceId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    gateway = await startGatewayFixture({ env: { GRAPHQL_RATE_LIMIT_PER_SECOND: '0', EGRESS_ALLOWED_NETWORKS: '127.0.0.1/32' } });
    const workspaces = new WorkspaceStore(gateway.dataSource);
    admin = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'webhooks-admin', undefined, ['*']);
    reader = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'webhooks-reader', undefined, ['read', 'operate', 'track']);
    otherWorkspaceId = (await workspaces.createWorkspace('webhooks-other', 'Other')).id;
    otherAdmin = await workspaces.createApiKey(otherWorkspaceId, 'other-admin', undefined, ['*']);
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    const config = await workerConfigFor(gateway, emulatorUrl, {
      EGRESS_ALLOWED_NETWORKS: '127.0.0.1/32',
      WEBHOOK_MAX_ATTEMPTS: '4',
      WEBHOOK_RETRY_INITIAL_INTERVAL_MS: '300',
      WEBHOOK_RETRY_BACKOFF_COEFFICIENT: '2',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '2000',
      WEBHOOK_DISPATCH_INTERVAL_MS: '1000',
    });
    worker = await createJourneyWorker(config);
    running = worker.run();
  }, 300_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await emulator?.close();
    await gateway?.teardown();
    await receiver?.close();
  });

  async function ok<T>(query: string, variables: Record<string, unknown>, key = admin): Promise<T> {
    const result = await gateway.graphql<T>(query, variables, key);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  async function createEndpoint(path: string, eventTypes: string[], key = admin): Promise<{ id: string; secret: string }> {
    const data = await ok<{ createWebhookEndpoint: { webhookEndpoint: { id: string } | null; secret: string | null; userErrors: UserErrors } }>(
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { webhookEndpoint { ${ENDPOINT} } secret ${USER_ERRORS} } }`,
      { input: { url: `${receiver.url}${path}`, eventTypes, description: `receiver ${path}` } },
      key,
    );
    expect(data.createWebhookEndpoint.userErrors).toEqual([]);
    return { id: data.createWebhookEndpoint.webhookEndpoint!.id, secret: data.createWebhookEndpoint.secret! };
  }

  async function deliveries(endpointId: string, key = admin): Promise<Delivery[]> {
    const data = await ok<{ node: { deliveries: { nodes: Delivery[] } } | null }>(
      `query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { deliveries(first: 50) { nodes { ${DELIVERY} } } } } }`,
      { id: endpointId },
      key,
    );
    return data.node?.deliveries.nodes ?? [];
  }

  async function changeConsent(userId: string, status: 'SUBSCRIBED' | 'UNSUBSCRIBED', key = admin): Promise<void> {
    await ok(`mutation($userId: String!, $traits: JSONObject!) { identify(input: { userId: $userId, traits: $traits }) { duplicate } }`, { userId, traits: { name: userId } }, key);
    const data = await ok<{ setConsent: { userErrors: UserErrors } }>(
      `mutation($input: SetConsentInput!) { setConsent(input: $input) { ${USER_ERRORS} } }`,
      { input: { userId, channel: 'SMS', status } },
      key,
    );
    expect(data.setConsent.userErrors).toEqual([]);
  }

  const requestsTo = (path: string) => receiver.received.filter((request) => request.path === path);
  const verify = (secret: string, request: Received) =>
    new SvixVerifier(secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    }) as { type: string; data: Record<string, unknown> };

  it('refuses endpoint URLs webhooks may not reach, and bad inputs, naming the field', async () => {
    const create = (input: Record<string, unknown>) =>
      ok<{ createWebhookEndpoint: { webhookEndpoint: unknown; userErrors: UserErrors } }>(
        `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { webhookEndpoint { id } ${USER_ERRORS} } }`,
        { input },
      );
    const cases: Array<[Record<string, unknown>, string[], RegExp]> = [
      [{ url: 'https://10.0.0.5/hook', eventTypes: ['CONSENT_CHANGED'] }, ['input', 'url'], /10\.0\.0\.5 is a private address/],
      [{ url: 'http://169.254.169.254/latest/meta-data', eventTypes: ['CONSENT_CHANGED'] }, ['input', 'url'], /link-local/],
      [{ url: 'http://[::1]:8080/hook', eventTypes: ['CONSENT_CHANGED'] }, ['input', 'url'], /loopback/],
      [{ url: 'http://example.com/hook', eventTypes: ['CONSENT_CHANGED'] }, ['input', 'url'], /must be https/],
      [{ url: 'ftp://example.com/hook', eventTypes: ['CONSENT_CHANGED'] }, ['input', 'url'], /scheme must be http or https/],
      [{ url: `https://example.com/${'a'.repeat(2100)}`, eventTypes: ['CONSENT_CHANGED'] }, ['input', 'url'], /longer than 2048/],
      [{ url: 'https://example.com/hook', eventTypes: [] }, ['input', 'eventTypes'], /at least one/],
      [{ url: 'https://example.com/hook', eventTypes: ['CONSENT_CHANGED'], description: 'x'.repeat(501) }, ['input', 'description'], /at most 500/],
    ];
    for (const [input, field, message] of cases) {
      const payload = (await create(input)).createWebhookEndpoint;
      expect(payload.webhookEndpoint).toBeNull();
      expect(payload.userErrors).toEqual([{ code: 'INVALID', field, message: expect.stringMatching(message) }]);
    }
    const forbidden = await gateway.graphql(`query { webhookEndpoints { nodes { id } } }`, {}, reader);
    expect(forbidden.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'admin' });
  });

  it('delivers a subscribed event signed as Standard Webhooks describes, verified by an independent verifier', async () => {
    const endpoint = await createEndpoint('/verified', ['CONSENT_CHANGED']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await changeConsent('wh-alice', 'UNSUBSCRIBED');
    const [delivery] = await eventually(() => deliveries(endpoint.id), (list) => list[0]?.status === 'DELIVERED');
    const [request] = requestsTo('/verified');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe(delivery!.webhookId);
    expect(delivery!.webhookId).toMatch(/^msg_[0-9a-f]{32}$/);
    const verified = verify(endpoint.secret, request!);
    expect(verified).toMatchObject({ type: 'consent.changed', data: { customerId: 'wh-alice', channel: 'sms', purpose: 'marketing', status: 'unsubscribed' } });
    // A tampered body or another endpoint's secret fails verification.
    expect(() => verify(endpoint.secret, { ...request!, body: request!.body.replace('unsubscribed', 'subscribed') })).toThrow();
    const other = await createEndpoint('/other-secret', ['JOURNEY_EXITED']);
    expect(other.secret).not.toBe(endpoint.secret);
    expect(() => verify(other.secret, request!)).toThrow();
    expect(delivery).toMatchObject({ eventType: 'CONSENT_CHANGED', attemptCount: 1, replays: 0, lastStatusCode: 200, lastError: null });
    expect(delivery!.attempts).toMatchObject([{ replay: 0, attempt: 1, statusCode: 200, error: null }]);
  });

  it('updates, disables, rotates the secret of and deletes an endpoint', async () => {
    const endpoint = await createEndpoint('/managed', ['CONSENT_CHANGED']);
    const update = (input: Record<string, unknown>) =>
      ok<{ updateWebhookEndpoint: { webhookEndpoint: { url: string; eventTypes: string[]; enabled: boolean; description: string } | null; userErrors: UserErrors } }>(
        `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { webhookEndpoint { ${ENDPOINT} } ${USER_ERRORS} } }`,
        { input },
      );
    expect((await update({ id: endpoint.id, url: 'https://192.168.1.1/x' })).updateWebhookEndpoint.userErrors).toMatchObject([{ code: 'INVALID', field: ['input', 'url'] }]);
    const changed = (await update({ id: endpoint.id, eventTypes: ['CONSENT_CHANGED', 'MESSAGE_FAILED', 'CONSENT_CHANGED'], enabled: false })).updateWebhookEndpoint;
    expect(changed).toMatchObject({ webhookEndpoint: { eventTypes: ['MESSAGE_FAILED', 'CONSENT_CHANGED'], enabled: false, description: 'receiver /managed' }, userErrors: [] });
    // Disabled: nothing is queued for it.
    await changeConsent('wh-gina', 'UNSUBSCRIBED');
    expect(await deliveries(endpoint.id)).toEqual([]);
    await update({ id: endpoint.id, enabled: true });
    const rotated = await ok<{ rotateWebhookEndpointSecret: { secret: string | null; userErrors: UserErrors } }>(
      `mutation($input: RotateWebhookEndpointSecretInput!) { rotateWebhookEndpointSecret(input: $input) { secret ${USER_ERRORS} } }`,
      // No overlap: the old secret signs no more.
      { input: { id: endpoint.id, previousSecretValidForHours: 0 } },
    );
    const secret = rotated.rotateWebhookEndpointSecret.secret!;
    expect(secret).not.toBe(endpoint.secret);
    expect((await ok<{ webhookEndpointSecret: string }>(`query($id: ID!) { webhookEndpointSecret(id: $id) }`, { id: endpoint.id })).webhookEndpointSecret).toBe(secret);
    await changeConsent('wh-gina', 'SUBSCRIBED');
    await eventually(() => deliveries(endpoint.id), (list) => list[0]?.status === 'DELIVERED');
    const [request] = requestsTo('/managed');
    expect(verify(secret, request!).data).toMatchObject({ customerId: 'wh-gina', status: 'subscribed' });
    expect(() => verify(endpoint.secret, request!)).toThrow();
    const remove = () =>
      ok<{ deleteWebhookEndpoint: { webhookEndpoint: { url: string } | null; userErrors: UserErrors } }>(
        `mutation($input: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) { webhookEndpoint { url } ${USER_ERRORS} } }`,
        { input: { id: endpoint.id } },
      );
    expect((await remove()).deleteWebhookEndpoint).toEqual({ webhookEndpoint: { url: `${receiver.url}/managed` }, userErrors: [] });
    expect((await remove()).deleteWebhookEndpoint.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'id'] }]);
    const audit: Array<{ action: string }> = await gateway.dataSource.query(`SELECT action FROM admin_audit WHERE target = $1 ORDER BY id`, [`webhook-endpoint:${parseGlobalId(endpoint.id)!.localId}`]);
    // The refused change was not made, hence is not in the audit.
    expect(audit.map((row) => row.action)).toEqual(['createWebhookEndpoint', 'updateWebhookEndpoint', 'updateWebhookEndpoint', 'rotateWebhookEndpointSecret', 'deleteWebhookEndpoint']);
  });

  const HEALTH = 'enabled previousSecretExpiresAt failingSince disabledReason disabledAt';
  type Health = { enabled: boolean; previousSecretExpiresAt: string | null; failingSince: string | null; disabledReason: string | null; disabledAt: string | null };
  const health = async (id: string) => (await ok<{ node: Health }>(`query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { ${HEALTH} } } }`, { id })).node;

  it('signs with the rotated secret beside the new one while the overlap lasts, so a receiver moves over without losing a delivery', async () => {
    const endpoint = await createEndpoint('/rotating', ['CONSENT_CHANGED']);
    const rotate = (input: Record<string, unknown>) =>
      ok<{ rotateWebhookEndpointSecret: { webhookEndpoint: Health | null; secret: string | null; userErrors: UserErrors } }>(
        `mutation($input: RotateWebhookEndpointSecretInput!) { rotateWebhookEndpointSecret(input: $input) { webhookEndpoint { ${HEALTH} } secret ${USER_ERRORS} } }`,
        { input },
      );
    for (const hours of [-1, 169]) {
      const refused = (await rotate({ id: endpoint.id, previousSecretValidForHours: hours })).rotateWebhookEndpointSecret;
      expect(refused).toEqual({ webhookEndpoint: null, secret: null, userErrors: [expect.objectContaining({ field: ['input', 'previousSecretValidForHours'] })] });
    }
    // Any whole number of hours the GraphQL Int takes: outside 0–168 an INVALID user error naming the
    // field, never a GraphQL error (another endpoint, so that the one above keeps its first secret).
    const other = await createEndpoint('/rotating-any', ['CONSENT_CHANGED']);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), async (hours) => {
        const result = await gateway.graphql<{ rotateWebhookEndpointSecret: { userErrors: UserErrors } }>(
          `mutation($input: RotateWebhookEndpointSecretInput!) { rotateWebhookEndpointSecret(input: $input) { ${USER_ERRORS} } }`,
          { input: { id: other.id, previousSecretValidForHours: hours } },
          admin,
        );
        expect(result.errors).toBeUndefined();
        const errors = result.data!.rotateWebhookEndpointSecret.userErrors;
        if (hours >= 0 && hours <= 168) expect(errors).toEqual([]);
        else expect(errors).toEqual([{ code: 'INVALID', field: ['input', 'previousSecretValidForHours'], message: `previousSecretValidForHours: must be a whole number of hours from 0 to 168, got ${hours}` }]);
      }),
      { numRuns: 40 },
    );
    // Refused before anything changed: the secret is the one made with the endpoint.
    expect((await ok<{ webhookEndpointSecret: string }>(`query($id: ID!) { webhookEndpointSecret(id: $id) }`, { id: endpoint.id })).webhookEndpointSecret).toBe(endpoint.secret);

    const rotated = (await rotate({ id: endpoint.id })).rotateWebhookEndpointSecret;
    expect(rotated.userErrors).toEqual([]);
    const overlapMs = new Date(rotated.webhookEndpoint!.previousSecretExpiresAt!).getTime() - Date.now();
    expect(overlapMs).toBeGreaterThan(23.9 * 3_600_000);
    expect(overlapMs).toBeLessThanOrEqual(24 * 3_600_000);
    await changeConsent('wh-rita', 'UNSUBSCRIBED');
    await eventually(() => deliveries(endpoint.id), (list) => list[0]?.status === 'DELIVERED');
    const [request] = requestsTo('/rotating');
    // Two signatures: a receiver holding either secret verifies the same event.
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(rotated.secret!, request!).data).toMatchObject({ customerId: 'wh-rita' });
    expect(verify(endpoint.secret, request!)).toEqual(verify(rotated.secret!, request!));
    const audit: Array<{ input: Record<string, unknown> }> = await gateway.dataSource.query(
      `SELECT input FROM admin_audit WHERE target = $1 AND action = 'rotateWebhookEndpointSecret'`,
      [`webhook-endpoint:${parseGlobalId(endpoint.id)!.localId}`],
    );
    expect(audit.map((row) => row.input)).toEqual([{ previousSecretValidForHours: 24 }]);
  });

  it('disables by itself an endpoint whose every attempt has failed for longer than allowed, says why, and starts afresh when enabled again', async () => {
    receiver.script.set('/down', [503]);
    const endpoint = await createEndpoint('/down', ['CONSENT_CHANGED']);
    const ops = await createEndpoint('/ops', ['ENDPOINT_DISABLED']);
    await changeConsent('wh-dora', 'UNSUBSCRIBED');
    await eventually(() => deliveries(endpoint.id), (list) => (list[0]?.attemptCount ?? 0) >= 1);
    const failing = await health(endpoint.id);
    expect(failing).toMatchObject({ enabled: true, disabledReason: null });
    expect(Date.now() - new Date(failing.failingSince!).getTime()).toBeLessThan(60_000);
    // As if it had been failing for six days (the worker allows five, WEBHOOK_DISABLE_AFTER_MS' default).
    await gateway.dataSource.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = $1`, [parseGlobalId(endpoint.id)!.localId]);
    const disabled = await eventually(() => health(endpoint.id), (h) => !h.enabled);
    expect(disabled.disabledReason).toMatch(/^every attempt has failed since \d{4}-\d\d-\d\dT[\d:]+Z, the last: .*answered 503$/);
    expect(disabled.disabledAt).not.toBeNull();
    // The workspace's endpoint subscribed to ENDPOINT_DISABLED is told, signed like every event.
    await eventually(async () => requestsTo('/ops'), (list) => list.length === 1);
    expect(verify(ops.secret, requestsTo('/ops')[0]!)).toMatchObject({
      type: 'endpoint.disabled',
      data: { endpointId: parseGlobalId(endpoint.id)!.localId, description: 'receiver /down', reason: disabled.disabledReason },
    });
    // Nothing more is sent to it: the retries left are skipped, and new events queue nothing.
    const sent = requestsTo('/down').length;
    await changeConsent('wh-dora', 'SUBSCRIBED');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(requestsTo('/down')).toHaveLength(sent);
    expect(await deliveries(endpoint.id)).toHaveLength(1);

    // Fixed and enabled again: no reason left, the failure streak starts afresh, events flow.
    receiver.script.set('/down', [200]);
    const enabled = await ok<{ updateWebhookEndpoint: { webhookEndpoint: Health } }>(
      `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { webhookEndpoint { ${HEALTH} } } }`,
      { input: { id: endpoint.id, enabled: true } },
    );
    expect(enabled.updateWebhookEndpoint.webhookEndpoint).toEqual({ enabled: true, previousSecretExpiresAt: null, failingSince: null, disabledReason: null, disabledAt: null });
    await changeConsent('wh-dora', 'UNSUBSCRIBED');
    await eventually(() => deliveries(endpoint.id), (list) => list.length === 2 && list[0]!.status === 'DELIVERED');
  });

  it('retries after the receiver fails, with backoff, logging each attempt, under one webhook-id', async () => {
    receiver.script.set('/flaky', [500, 503, 200]);
    const endpoint = await createEndpoint('/flaky', ['CONSENT_CHANGED']);
    await changeConsent('wh-bob', 'SUBSCRIBED');
    const [delivery] = await eventually(() => deliveries(endpoint.id), (list) => list[0]?.status === 'DELIVERED');
    expect(delivery!.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(delivery!.attempts[0]!.error).toMatch(/answered 500/);
    const requests = requestsTo('/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery!.webhookId]));
    // Every attempt is signed afresh (its own timestamp) and verifies.
    for (const request of requests) expect(verify(endpoint.secret, request).data).toMatchObject({ customerId: 'wh-bob' });
  });

  it('replays a delivery with the same webhook-id; marks one failed when its attempts run out, and replays the failed ones', async () => {
    const endpoint = await createEndpoint('/replayed', ['CONSENT_CHANGED']);
    await changeConsent('wh-carol', 'UNSUBSCRIBED');
    const [delivered] = await eventually(() => deliveries(endpoint.id), (list) => list[0]?.status === 'DELIVERED');
    const replay = await ok<{ replayWebhookDelivery: { webhookDelivery: { webhookId: string; replays: number; status: string } | null; userErrors: UserErrors } }>(
      `mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { webhookDelivery { webhookId replays status } ${USER_ERRORS} } }`,
      { input: { id: delivered!.id } },
    );
    expect(replay.replayWebhookDelivery).toEqual({ webhookDelivery: { webhookId: delivered!.webhookId, replays: 1, status: 'PENDING' }, userErrors: [] });
    const [replayed] = await eventually(() => deliveries(endpoint.id), (list) => list[0]?.status === 'DELIVERED' && list[0].attemptCount === 2);
    expect(replayed!.attempts.map((a) => [a.replay, a.attempt, a.statusCode])).toEqual([
      [0, 1, 200],
      [1, 1, 200],
    ]);
    const requests = requestsTo('/replayed');
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([delivered!.webhookId, delivered!.webhookId]);
    expect(verify(endpoint.secret, requests[1]!)).toEqual(verify(endpoint.secret, requests[0]!));

    // Replayed while still being retried: the new run takes over, the earlier run's later attempts are skipped.
    receiver.script.set('/retrying', [500]);
    const retrying = await createEndpoint('/retrying', ['CONSENT_CHANGED']);
    await changeConsent('wh-carl', 'SUBSCRIBED');
    const [pending] = await eventually(() => deliveries(retrying.id), (list) => (list[0]?.attemptCount ?? 0) >= 1);
    expect(pending!.status).toBe('PENDING');
    receiver.script.set('/retrying', [200]);
    await ok(`mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { ${USER_ERRORS} } }`, { input: { id: pending!.id } });
    await eventually(() => deliveries(retrying.id), (list) => list[0]?.status === 'DELIVERED');
    // Past the earlier run's whole backoff (0.3 + 0.6 + 1.2 s): still delivered, with no failed attempt of the earlier run after the replay's.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const [settled] = await deliveries(retrying.id);
    expect(settled!.status).toBe('DELIVERED');
    const replayIndex = settled!.attempts.findIndex((a) => a.replay === 1);
    expect(settled!.attempts.slice(replayIndex).filter((a) => a.replay === 0 && a.statusCode === 500)).toEqual([]);

    // A receiver that keeps failing: 4 attempts (WEBHOOK_MAX_ATTEMPTS), then failed; fixed, the failed ones are replayed.
    receiver.script.set('/down', [500]);
    const down = await createEndpoint('/down', ['CONSENT_CHANGED']);
    const since = new Date(Date.now() - 1000).toISOString();
    await changeConsent('wh-dave', 'SUBSCRIBED');
    const [failed] = await eventually(() => deliveries(down.id), (list) => list[0]?.status === 'FAILED');
    expect(failed!.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500]);
    receiver.script.set('/down', [200]);
    const replayAll = await ok<{ replayFailedWebhookDeliveries: { replayed: number; userErrors: UserErrors } }>(
      `mutation($input: ReplayFailedWebhookDeliveriesInput!) { replayFailedWebhookDeliveries(input: $input) { replayed ${USER_ERRORS} } }`,
      { input: { endpointId: down.id, since } },
    );
    expect(replayAll.replayFailedWebhookDeliveries).toEqual({ replayed: 1, userErrors: [] });
    const [recovered] = await eventually(() => deliveries(down.id), (list) => list[0]?.status === 'DELIVERED');
    expect(recovered!.webhookId).toBe(failed!.webhookId);
    expect(recovered!.attempts.at(-1)).toMatchObject({ replay: 1, attempt: 1, statusCode: 200 });
  });

  it('refuses, at delivery, an endpoint address the egress policy does not allow (final, logged)', async () => {
    // Stored behind the API's back (as a URL whose host later resolved to a private address would be): the worker still refuses it.
    const store = new WebhookStore(gateway.dataSource, undefined);
    const endpoint = await store.createEndpoint(DEFAULT_WORKSPACE_ID, { url: 'http://10.1.2.3/hook', eventTypes: ['consent.changed'], description: '', enabled: true });
    await changeConsent('wh-erin', 'UNSUBSCRIBED');
    const [refused] = await eventually(() => deliveries(toGlobalId('WebhookEndpoint', endpoint.id)), (list) => list[0]?.status === 'FAILED');
    expect(refused!.attempts).toHaveLength(1);
    expect(refused!.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/10\.1\.2\.3 is a private address/) });
    await store.deleteEndpoint(DEFAULT_WORKSPACE_ID, endpoint.id);
  });

  it('sends each endpoint only the event types it subscribed to, and only its own workspace\'s events', async () => {
    const journeys = await createEndpoint('/journeys', ['JOURNEY_ENTERED']);
    const consent = await createEndpoint('/consent-only', ['CONSENT_CHANGED']);
    const foreign = await createEndpoint('/foreign', ['CONSENT_CHANGED', 'JOURNEY_ENTERED'], otherAdmin);
    await changeConsent('wh-frank', 'SUBSCRIBED');
    await ok(`mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, { input: { userId: 'wh-frank', event: 'Cart Updated', properties: { cart_id: 'c-1' } } });
    const [entered] = await eventually(() => deliveries(journeys.id), (list) => list[0]?.status === 'DELIVERED');
    expect(verify(journeys.secret, requestsTo('/journeys')[0]!)).toMatchObject({ type: 'journey.entered', data: { journeyId: 'abandoned-cart', customerId: 'wh-frank' } });
    await eventually(() => deliveries(consent.id), (list) => list[0]?.status === 'DELIVERED');
    // The other workspace's event reaches its endpoint only.
    await changeConsent('wh-foreign', 'UNSUBSCRIBED', otherAdmin);
    const [foreignDelivery] = await eventually(() => deliveries(foreign.id, otherAdmin), (list) => list[0]?.status === 'DELIVERED');
    expect(foreignDelivery!.payload.data).toMatchObject({ customerId: 'wh-foreign' });
    expect((await deliveries(journeys.id)).map((d) => d.eventType)).toEqual(['JOURNEY_ENTERED']);
    expect((await deliveries(consent.id)).map((d) => (d.payload.data as { customerId: string }).customerId)).toEqual(['wh-frank']);
    expect((await deliveries(foreign.id, otherAdmin)).map((d) => (d.payload.data as { customerId: string }).customerId)).toEqual(['wh-foreign']);
    expect(requestsTo('/foreign').map((r) => verify(foreign.secret, r).data['customerId'])).toEqual(['wh-foreign']);
    // Another workspace's admin sees neither the endpoints nor the deliveries, and cannot replay them.
    expect(await deliveries(journeys.id, otherAdmin)).toEqual([]);
    const replay = await ok<{ replayWebhookDelivery: { userErrors: UserErrors } }>(
      `mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { ${USER_ERRORS} } }`,
      { input: { id: entered!.id } },
      otherAdmin,
    );
    expect(replay.replayWebhookDelivery.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'id'] }]);
    const listed = await ok<{ webhookEndpoints: { nodes: Array<{ id: string }> } }>(`query { webhookEndpoints(first: 100) { nodes { id } } }`, {}, otherAdmin);
    expect(listed.webhookEndpoints.nodes.map((n) => n.id)).toEqual([foreign.id]);
  });
});
