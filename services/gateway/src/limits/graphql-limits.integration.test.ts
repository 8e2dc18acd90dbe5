import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { INestApplication } from '@nestjs/common';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gatewayConfigSchema, loadConfig } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, WorkspaceStore } from '@continuum/data';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { startGateway } from '../create-gateway';
import { gatewayEnvFor, startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';
import { GraphqlLimits } from './graphql-limits';

type GqlError = { message: string; extensions?: Record<string, unknown> };
type Answer<T = Record<string, unknown>> = { status: number; headers: Headers; body: { data?: T | null; errors?: GqlError[] } };

const MiB = 1024 * 1024;

/**
 * The request limits against the real gateway, PostgreSQL and Temporal dev server: `gw` runs with
 * the defaults; `tight` is a second gateway on the same database with small limits for what the
 * defaults make slow to reach (response size, timeout, subscriptions, rate).
 */
describe('GraphQL request limits', () => {
  let gw: GatewayFixture;
  let tight: { app: INestApplication; url: string };
  let workspaces: WorkspaceStore;
  const clients: WsClient[] = [];

  beforeAll(async () => {
    gw = await startGatewayFixture();
    workspaces = new WorkspaceStore(gw.dataSource);
    tight = await startGateway(
      loadConfig('gateway', gatewayConfigSchema, gatewayEnvFor(gw, {
        GRAPHQL_MAX_RESPONSE_BYTES: '4096',
        GRAPHQL_TIMEOUT_MS: '1500',
        GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY: '2',
        GRAPHQL_RATE_LIMIT_PER_SECOND: '5',
        GRAPHQL_RATE_LIMIT_BURST: '5',
      })),
    );
    // A customer whose traits alone are larger than `tight`'s response cap.
    const identified = await gw.graphql(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, {
      input: { userId: 'big', traits: { first_name: 'Ana', notes: 'x'.repeat(8_000) } },
    });
    expect(identified.errors).toBeUndefined();
  });

  afterAll(async () => {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await tight?.app.close();
    await gw?.teardown();
  });

  async function post<T = Record<string, unknown>>(url: string, query: string, apiKey: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer<T>['body'] };
  }

  const newKey = (name: string) => workspaces.createApiKey(DEFAULT_WORKSPACE_ID, name);

  describe('the shape of an operation (defaults)', () => {
    it('refuses a query deeper than GRAPHQL_MAX_DEPTH (10) with 400 QUERY_TOO_COMPLEX naming the setting', async () => {
      const deep = `{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(8)}name${' }'.repeat(8)} } } } }`;
      const answer = await post(gw.url, deep, gw.apiKey);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          message: 'Query depth is 12, above the limit of 10 (GRAPHQL_MAX_DEPTH)',
          extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 10, actual: 12, setting: 'GRAPHQL_MAX_DEPTH' }),
        }),
      ]);
      const shallow = await post(gw.url, `{ __type(name: "Query") { fields { type { ofType { name } } } } }`, gw.apiKey);
      expect(shallow.status).toBe(200);
      expect(shallow.body.errors).toBeUndefined();
    });

    it('refuses more than GRAPHQL_MAX_ALIASES (30) aliases', async () => {
      const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `p${i}: profile(userId: "big") { userId }`).join(' ')} }`;
      const answer = await post(gw.url, aliases(31), gw.apiKey);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]).toMatchObject({
        message: 'Alias count is 31, above the limit of 30 (GRAPHQL_MAX_ALIASES)',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 30, actual: 31 },
      });
      const allowed = await post<Record<string, { userId: string }>>(gw.url, aliases(30), gw.apiKey);
      expect(allowed.body.errors).toBeUndefined();
      expect(allowed.body.data?.['p29']).toEqual({ userId: 'big' });
    });

    it('refuses more than GRAPHQL_MAX_DIRECTIVES (50) directives', async () => {
      const answer = await post(gw.url, `{ profile(userId: "big") { ${'userId @include(if: true) '.repeat(51)} } }`, gw.apiKey);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]).toMatchObject({
        message: 'Directive count is 51, above the limit of 50 (GRAPHQL_MAX_DIRECTIVES)',
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      });
    });

    it('refuses a document of more than GRAPHQL_MAX_TOKENS (2,000) tokens while parsing it', async () => {
      const answer = await post(gw.url, `{ profile(userId: "big") { ${'userId '.repeat(2_000)} } }`, gw.apiKey);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          message: 'Token count is above the limit of 2000 (GRAPHQL_MAX_TOKENS)',
          extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 2000, setting: 'GRAPHQL_MAX_TOKENS' }),
        }),
      ]);
    });

    it('does not suggest field names in validation errors', async () => {
      const answer = await post(gw.url, `{ profil(userId: "big") { userId } }`, gw.apiKey);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.message).toBe('Cannot query field "profil" on type "Query".');
    });
  });

  describe('cost (GRAPHQL_MAX_COST, default 10,000)', () => {
    const pages = (first: number) =>
      `{ profile(userId: "big") { ${Array.from({ length: 20 }, (_, i) => `t${i}: timeline(first: ${first}) { edges { cursor node { id at kind } } }`).join(' ')} } }`;

    it('multiplies what a page holds by first: 20 timelines of 100 are refused, 20 of 5 answered', async () => {
      const refused = await post(gw.url, pages(100), gw.apiKey);
      expect(refused.status).toBe(400);
      // Per timeline: 1 + 100 × (edges 1 + cursor 1 + node (1 + 3 fields)) = 601; 20 of them and the profile.
      expect(refused.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('Query cost is 12021, above the limit of 10000 (GRAPHQL_MAX_COST)'),
          extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', cost: 12021, limit: 10000 }),
        }),
      ]);
      const accepted = await post<{ profile: Record<string, { edges: unknown[] }> }>(gw.url, pages(5), gw.apiKey);
      expect(accepted.status).toBe(200);
      expect(accepted.body.errors).toBeUndefined();
      expect(Object.keys(accepted.body.data!.profile)).toHaveLength(20);
    });

    it('takes first from variables too', async () => {
      const query = `query($n: Int!) { profile(userId: "big") { ${Array.from({ length: 20 }, (_, i) => `t${i}: timeline(first: $n) { edges { cursor node { id at kind } } }`).join(' ')} } }`;
      expect((await post(gw.url, query, gw.apiKey, { n: 100 })).body.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
      expect((await post(gw.url, query, gw.apiKey, { n: 5 })).body.errors).toBeUndefined();
    });
  });

  it('replaces a response larger than GRAPHQL_MAX_RESPONSE_BYTES with RESPONSE_TOO_LARGE', async () => {
    const answer = await post(tight.url, `{ profile(userId: "big") { userId traits } }`, gw.apiKey);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([
      {
        message: expect.stringMatching(/^Response size is \d+, above the limit of 4096 \(GRAPHQL_MAX_RESPONSE_BYTES\) bytes/),
        extensions: expect.objectContaining({ code: 'RESPONSE_TOO_LARGE', limit: 4096, bytes: expect.any(Number) }),
      },
    ]);
    expect(answer.body.errors![0]!.extensions!['bytes']).toBeGreaterThan(8_000);
    // The same customer without the large traits fits.
    const small = await post(tight.url, `{ profile(userId: "big") { userId } }`, gw.apiKey);
    expect(small.body).toEqual({ data: { profile: { userId: 'big' } } });
  });

  it('answers TIMEOUT after GRAPHQL_TIMEOUT_MS while a resolver waits on PostgreSQL, without waiting for it', async () => {
    const key = await newKey('timeout');
    await post(tight.url, `{ __typename }`, key); // the key is authenticated (and cached) before profiles are locked
    const runner = gw.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // Every read of a profile now waits until this transaction ends.
      await runner.query('LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE');
      const started = performance.now();
      const answer = await post(tight.url, `{ profile(userId: "big") { userId } }`, key);
      const elapsed = performance.now() - started;
      // NestJS answers 200 whenever the body has `data` (here the profile, null: it did not resolve in time).
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ profile: null });
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          message: 'The request ran longer than 1500 ms (GRAPHQL_TIMEOUT_MS); fields not resolved by then were abandoned',
          path: ['profile'],
          extensions: expect.objectContaining({ code: 'TIMEOUT', timeoutMs: 1500 }),
        }),
      ]);
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await post(tight.url, `{ profile(userId: "big") { userId } }`, key)).body.data).toEqual({ profile: { userId: 'big' } });
  });

  describe('per API key rate (GRAPHQL_RATE_LIMIT_PER_SECOND 5, BURST 5 on the tight gateway)', () => {
    it('answers 429 RATE_LIMITED with retryAfter and Retry-After once the burst is spent; another key is unaffected', async () => {
      const [busy, quiet] = await Promise.all([newKey('busy'), newKey('quiet')]);
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(tight.url, `{ __typename }`, busy)));
      const limited = answers.filter((answer) => answer.status === 429);
      // 5 in this second and 5 from the burst pass; the rest wait.
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(10);
      expect(limited).toHaveLength(10);
      for (const answer of limited) {
        const retryAfter = Number(answer.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(answer.body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringContaining('the limit is 5 per second (GRAPHQL_RATE_LIMIT_PER_SECOND) with a burst of 5 (GRAPHQL_RATE_LIMIT_BURST)'),
            extensions: expect.objectContaining({ code: 'RATE_LIMITED', retryAfter }),
          }),
        ]);
      }
      expect(await post(tight.url, `{ __typename }`, quiet)).toMatchObject({ status: 200, body: { data: { __typename: 'Query' } } });
      // After Retry-After, the busy key is answered again.
      await new Promise((resolve) => setTimeout(resolve, Number(limited[0]!.headers.get('retry-after')) * 1000 + 100));
      expect((await post(tight.url, `{ __typename }`, busy)).status).toBe(200);
    });
  });

  describe('concurrent subscriptions per API key (GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY 2 on the tight gateway)', () => {
    function connect(apiKey: string): WsClient {
      const client = createClient({
        url: `${tight.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { 'x-api-key': apiKey },
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    }

    /** Starts a subscription; resolves `refused` with its errors if the gateway refuses it. */
    function subscribe(client: WsClient, userId: string): { refused: Promise<unknown>; end: () => void } {
      let refuse!: (errors: unknown) => void;
      const refused = new Promise<unknown>((resolve) => (refuse = resolve));
      const end = client.subscribe({ query: `subscription($userId: String!) { customerActivity(userId: $userId) { cursor } }`, variables: { userId } }, {
        next: () => undefined,
        error: (errors) => refuse(errors),
        complete: () => undefined,
      });
      return { refused, end };
    }

    async function until(condition: () => boolean, what: string): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    it('refuses a third subscription with RATE_LIMITED, frees the slot when one ends or the socket closes', async () => {
      const [key, otherKey] = await Promise.all([newKey('subscriber'), newKey('other-subscriber')]);
      const { keyId } = await tight.app.get(ApiKeyAuthenticator).authenticate(key);
      const slots = tight.app.get(GraphqlLimits).subscriptionSlots;
      const client = connect(key);
      const first = subscribe(client, 'a');
      subscribe(client, 'b');
      await until(() => slots.openFor(keyId) === 2, 'two subscriptions');

      const third = subscribe(client, 'c');
      expect(await third.refused).toEqual([
        expect.objectContaining({
          message: 'This API key already has 2 subscriptions open, the limit (GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY) is 2; end one first',
          extensions: { code: 'RATE_LIMITED', limit: 2, setting: 'GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY' },
        }),
      ]);
      // The same key on another socket counts too; another key does not.
      const secondSocket = connect(key);
      expect(await subscribe(secondSocket, 'd').refused).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) })]);
      const otherKeyClient = connect(otherKey);
      const other = subscribe(otherKeyClient, 'e');
      const { keyId: otherKeyId } = await tight.app.get(ApiKeyAuthenticator).authenticate(otherKey);
      await until(() => slots.openFor(otherKeyId) === 1, 'the other key to subscribe');

      first.end();
      await until(() => slots.openFor(keyId) === 1, 'the ended subscription to free its slot');
      const fourth = subscribe(client, 'f');
      await until(() => slots.openFor(keyId) === 2, 'a subscription in the freed slot');
      expect(await Promise.race([fourth.refused, new Promise((resolve) => setTimeout(() => resolve('accepted'), 300))])).toBe('accepted');

      await client.dispose();
      await until(() => slots.openFor(keyId) === 0, 'the closed socket to free its slots');
      other.end();
      await until(() => slots.openFor(otherKeyId) === 0, 'the other key to end');
    });
  });

  it('refuses a 2,000-alias flood of profile { timeline(first: 100) events(first: 100) } without the gateway growing', async () => {
    // The gateway runs in this process, so its RSS is ours; the flood comes from a child process so
    // that the client's own buffers are not counted. One round first: the figures then compare the
    // flood, not the first use of the server.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await floodFromChildProcess(1);
    gc();
    const before = process.memoryUsage();
    let peak = before.rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const result = await floodFromChildProcess(5).finally(() => clearInterval(sampler));
    // Dead strings of the refused documents sit in V8's large-object space until a full collection;
    // a second one after a pause lets V8 give the emptied pages back.
    gc();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    gc();
    const after = process.memoryUsage();
    const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
    console.log(
      `alias flood: ${result.kilobytes} KB query × ${result.requests} requests (20 at once) in ${result.seconds.toFixed(2)} s; ` +
        `answers ${JSON.stringify(result.statuses)} ${JSON.stringify(result.codes)} ${JSON.stringify(result.messages)}; ` +
        `gateway RSS ${mib(before.rss)} → peak ${mib(peak)} → ${mib(after.rss)} after gc (${after.rss >= before.rss ? '+' : ''}${mib(after.rss - before.rss)}); ` +
        `heap used ${mib(before.heapUsed)} → ${mib(after.heapUsed)}, heap total ${mib(before.heapTotal)} → ${mib(after.heapTotal)}, external ${mib(before.external)} → ${mib(after.external)}`,
    );
    expect(result.statuses).toEqual({ 400: 100 });
    expect(result.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(after.rss - before.rss).toBeLessThan(100 * MiB);
  });

  /** 20 concurrent requests of the 2,000-alias query per round, sent by another Node process. */
  async function floodFromChildProcess(rounds: number): Promise<{ kilobytes: number; requests: number; seconds: number; statuses: Record<string, number>; codes: unknown[]; messages: unknown[] }> {
    const script = `
      const alias = (i) => 'a' + i + ': profile(userId: "big") { timeline(first: 100) { edges { node { id at kind } } } events(first: 100) { edges { node { messageId name properties } } } }';
      const query = '{ ' + Array.from({ length: 2000 }, (_, i) => alias(i)).join(' ') + ' }';
      const body = JSON.stringify({ query });
      (async () => {
        const statuses = {}, codes = new Set(), messages = new Set();
        const started = performance.now();
        for (let round = 0; round < Number(process.env.ROUNDS); round++) {
          await Promise.all(Array.from({ length: 20 }, async () => {
            const response = await fetch(process.env.URL, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': process.env.KEY }, body });
            const answer = await response.json();
            statuses[response.status] = (statuses[response.status] || 0) + 1;
            codes.add(answer.errors?.[0]?.extensions?.code);
            messages.add(answer.errors?.[0]?.message);
          }));
        }
        const seconds = (performance.now() - started) / 1000;
        console.log(JSON.stringify({ kilobytes: Math.round(body.length / 1024), requests: 20 * Number(process.env.ROUNDS), seconds, statuses, codes: [...codes], messages: [...messages] }));
      })().catch((error) => { console.error(error); process.exit(1); });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      env: { ...process.env, URL: `${gw.url}/graphql`, KEY: gw.apiKey, ROUNDS: String(rounds) },
    });
    return JSON.parse(stdout) as never;
  }
});
