import fc from 'fast-check';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, SourceKeyStore, type DataSource } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

// Property-based tests of the whole input surface against the real gateway and PostgreSQL: arbitrary
// unicode (NUL, lone surrogates, astral characters, SQL-shaped strings), nesting, sizes and types.
// Invariants: never a 5xx; refused input stores nothing and names its field; accepted input is
// returned exactly as sent; the gateway is healthy afterwards.

/** Any UTF-16 code unit, so lone surrogates and NUL come up often. */
const codeUnit = fc.nat(0xffff).map((code) => String.fromCharCode(code));
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: codeUnit, maxLength: 12 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00', '😀', "'; DROP TABLE events; --", '$1', '%00', '\\u0000', ' padded '),
);
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const jsonObject = fc.dictionary(text, json, { maxKeys: 5 });
/** What a JSON request can carry at all: JSON.stringify drops nothing we generate but turns -0 into 0. */
const asSent = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const userIdLike = fc.oneof(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), text);

const RUNS = 120;

describe('hostile input: property-based, against the real gateway and PostgreSQL', () => {
  let gw: GatewayFixture;
  let dataSource: DataSource;
  let writeKey: string;
  let sequence = 0;
  const casesRun: Record<string, number> = {};

  beforeAll(async () => {
    gw = await startGatewayFixture({
      env: { TRACKING_RATE_LIMIT_PER_SECOND: '0', GRAPHQL_RATE_LIMIT_PER_SECOND: '0' },
      beforeStart: async (ds) => {
        writeKey = await new SourceKeyStore(ds).createWriteKey(DEFAULT_WORKSPACE_ID, 'fuzz source');
      },
    });
    dataSource = gw.dataSource;
  });

  afterAll(async () => {
    console.log(`[hostile-input] cases per surface: ${JSON.stringify(casesRun)}`);
    await gw?.teardown();
  });

  const nextId = (surface: string) => {
    casesRun[surface] = (casesRun[surface] ?? 0) + 1;
    return `fuzz-${surface}-${++sequence}`;
  };

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const raw = await response.text();
    return { status: response.status, body: (raw ? JSON.parse(raw) : {}) as Record<string, unknown> };
  }

  async function storedEvent(messageId: string) {
    const rows = (await dataSource.query(`SELECT user_id, name, properties, traits FROM events WHERE message_id = $1`, [messageId])) as Array<{
      user_id: string;
      name: string | null;
      properties: unknown;
      traits: unknown;
    }>;
    return rows;
  }

  const eventCount = async () => ((await dataSource.query(`SELECT count(*)::int AS n FROM events`)) as Array<{ n: number }>)[0]!.n;

  /** A refusal is a 400 naming a field; nothing new was stored. */
  function expectRefusal(response: { status: number; body: Record<string, unknown> }) {
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ success: false, code: 'BAD_USER_INPUT', field: expect.any(String), message: expect.any(String) });
  }

  it('/v1/track: any userId, event name and properties are stored exactly or refused with 400, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(userIdLike, fc.oneof(fc.constant('Fuzzed'), text), jsonObject, async (userId, event, properties) => {
        const messageId = nextId('track');
        const before = await eventCount();
        const response = await post('/v1/track', { userId, event, properties, messageId });
        expect(response.status).toBeLessThan(500);
        if (response.status === 200) {
          const [row] = await storedEvent(messageId);
          expect(row).toEqual({ user_id: userId.trim(), name: event.trim(), properties: asSent(properties), traits: null });
        } else {
          expectRefusal(response);
          expect(await eventCount()).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('/v1/identify: any traits are stored exactly or refused with 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z]{1,8}$/), jsonObject, async (userId, traits) => {
        const messageId = nextId('identify');
        const before = await eventCount();
        const response = await post('/v1/identify', { userId, traits, messageId });
        expect(response.status).toBeLessThan(500);
        if (response.status === 200) expect((await storedEvent(messageId))[0]?.traits).toEqual(asSent(traits));
        else {
          expectRefusal(response);
          expect(await eventCount()).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('/v1/batch: every message is either stored exactly or listed as refused; one bad message never costs the others', async () => {
    const message = fc.oneof(
      fc.record({ type: fc.constant('track'), userId: userIdLike, event: text, properties: jsonObject }),
      fc.record({ type: fc.constant('track'), userId: fc.constant('fuzz-batch-user'), event: fc.constant('Fine'), properties: jsonObject }),
      json,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 6 }), async (messages) => {
        const batch = messages.map((raw) => (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...raw, messageId: nextId('batch') } : raw));
        const before = await eventCount();
        const response = await post('/v1/batch', { batch });
        expect(response.status).toBeLessThan(500);
        const refused = new Set(((response.body['refused'] as Array<{ index: number }> | undefined) ?? []).map((entry) => entry.index));
        if (response.status === 400) {
          expectRefusal(response);
          expect(await eventCount()).toBe(before);
          return;
        }
        expect(response.status).toBe(200);
        for (const [index, sent] of batch.entries()) {
          const messageId = (sent as { messageId?: string } | null)?.messageId;
          if (refused.has(index)) {
            if (messageId) expect(await storedEvent(messageId)).toEqual([]);
            continue;
          }
          const [row] = await storedEvent(messageId!);
          expect(row?.properties).toEqual(asSent((sent as { properties: unknown }).properties));
        }
        expect(await eventCount()).toBe(before + batch.length - refused.size);
      }),
      { numRuns: RUNS },
    );
  });

  it('GraphQL track with variables: stored exactly (and read back through GraphQL) or BAD_USER_INPUT', async () => {
    const TRACK = `mutation($input: TrackInput!) { track(input: $input) { event { messageId } userErrors { code field } } }`;
    const EVENTS = `query($userId: String!) { profile(userId: $userId) { events(first: 5) { edges { node { messageId name properties } } } } }`;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant('Fuzzed'), text), jsonObject, async (event, properties) => {
        const messageId = nextId('graphql');
        const userId = `gql-${messageId}`;
        const before = await eventCount();
        const response = await fetch(`${gw.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': gw.apiKey },
          body: JSON.stringify({ query: TRACK, variables: { input: { userId, event, properties, messageId } } }),
        });
        expect(response.status).toBeLessThan(500);
        const result = (await response.json()) as {
          data?: { track: { userErrors: Array<{ code: string; field: string[] | null }> } };
          errors?: Array<{ extensions?: { code?: string; field?: string } }>;
        };
        if (result.errors) {
          expect(result.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: expect.any(String) });
          expect(await eventCount()).toBe(before);
          return;
        }
        // Refused by the resolver: a user error naming the input field, and nothing stored.
        if (result.data!.track.userErrors.length > 0) {
          expect(result.data!.track.userErrors[0]).toMatchObject({ code: 'INVALID', field: expect.arrayContaining(['input']) });
          expect(await eventCount()).toBe(before);
          return;
        }
        const read = await gw.graphql<{ profile: { events: { edges: Array<{ node: unknown }> } } }>(EVENTS, { userId });
        expect(read.data?.profile.events.edges).toEqual([{ node: { messageId, name: event.trim(), properties: asSent(properties) } }]);
      }),
      { numRuns: RUNS },
    );
  });

  it('GraphQL string literals: any text inside the document is stored exactly, or refused with a coded 400', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        const messageId = nextId('literal');
        const before = await eventCount();
        // JSON string escapes are GraphQL string escapes; a lone surrogate's escape is a syntax error.
        const query = `mutation { track(input: { userId: "lit-user", event: "Literal", messageId: "${messageId}", properties: { value: ${JSON.stringify(value)} } }) { duplicate userErrors { code } } }`;
        const response = await fetch(`${gw.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': gw.apiKey },
          body: JSON.stringify({ query }),
        });
        expect(response.status).toBeLessThan(500);
        const result = (await response.json()) as { data?: { track: { userErrors: unknown[] } }; errors?: Array<{ extensions?: { code?: string } }> };
        if (result.errors) {
          expect(['BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED']).toContain(result.errors[0]?.extensions?.code);
          expect(await eventCount()).toBe(before);
        } else if (result.data!.track.userErrors.length > 0) {
          expect(await eventCount()).toBe(before);
        } else {
          expect((await storedEvent(messageId))[0]?.properties).toEqual({ value });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('Twilio inbound webhook: any signed Body is stored exactly, or refused with 400 when it holds a NUL', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        const sid = `SM${String(++sequence).padStart(32, '0')}`;
        casesRun['twilio'] = (casesRun['twilio'] ?? 0) + 1;
        // Form encoding carries only well-formed text: a lone surrogate arrives as U+FFFD.
        const form = { MessageSid: sid, AccountSid: EMULATOR_ACCOUNT_SID, From: '+14155550177', To: EMULATOR_FROM_NUMBER, Body: body, NumMedia: '0' };
        const received = Object.fromEntries(new URLSearchParams(form)) as Record<string, string>;
        const response = await gw.twilioWebhook('/webhooks/twilio/inbound', form);
        expect(response.status).toBeLessThan(500);
        if (received['Body']!.includes('\u0000')) {
          expect(response.status).toBe(400);
          expect(await response.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'Body' } });
          expect(await storedEvent(`twilio:${sid}`)).toEqual([]);
        } else {
          expect(response.status).toBe(200);
          const [row] = await storedEvent(`twilio:${sid}`);
          expect((row?.properties as { body?: string }).body).toBe(received['Body']);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('REST /messages: any JSON body answers 4xx with a code, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.record({ userId: text, template: text, channel: text, idempotencyKey: text, data: json }, { requiredKeys: [] }), json),
        async (body) => {
          casesRun['messages'] = (casesRun['messages'] ?? 0) + 1;
          const response = await fetch(`${gw.url}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': gw.apiKey },
            body: JSON.stringify(body),
          });
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(await response.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('graphql-ws: a subscription whose arguments or variables cannot be stored is refused with BAD_USER_INPUT naming them', async () => {
    const client = createClient({ url: `${gw.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': gw.apiKey }, retryAttempts: 0 });
    const refusal = (payload: { query: string; variables?: Record<string, unknown> }) =>
      new Promise<unknown>((resolve) => {
        client.subscribe(payload, { next: () => undefined, error: resolve, complete: () => resolve('completed') });
      });
    try {
      expect(await refusal({ query: `subscription($userId: String!) { customerActivity(userId: $userId) { cursor } }`, variables: { userId: 'ana\u0000' } })).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/^variables\.userId: contains a NUL/), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'variables.userId' }) }),
      ]);
      expect(await refusal({ query: `subscription { customerActivity(userId: "ana\\u0000") { cursor } }` })).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'customerActivity.userId' }) }),
      ]);
    } finally {
      await client.dispose();
    }
  });

  it('is healthy afterwards: ready, and an ordinary event is accepted', async () => {
    const ready = await fetch(`${gw.url}/health/ready`);
    expect(ready.status).toBe(200);
    const response = await post('/v1/track', { userId: 'after-fuzz', event: 'Still Fine', messageId: 'after-fuzz-1' });
    expect(response).toEqual({ status: 200, body: { success: true } });
  });
});
