import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { WebSocket } from 'ws';
import { ALL_SCOPES, API_SCOPES, DEFAULT_WORKSPACE_ID, WorkspaceStore, type ApiKeyScope, type ApiScope } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

/**
 * The scope × operation matrix, generated from the running gateway's schema: every root field
 * (queries, mutations, subscriptions) is called with a key holding each single scope and with `*`,
 * and with a `*` key of another workspace (isolation). A new root field is covered without anyone
 * listing it, and fails here when its resolver declares no `@RequiresScope`.
 */

type Outcome = { errors: Array<{ message: string; extensions?: Record<string, unknown> }>; data?: Record<string, unknown> | null };
type Root = 'Query' | 'Mutation' | 'Subscription';
interface Operation {
  root: Root;
  field: string;
  declared: ApiScope | undefined;
  document: string;
  /** The return type is nullable (a lookup): another workspace must get null. */
  nullableResult: boolean;
  listResult: boolean;
}

const SEEDED_USER = 'scope-matrix-seeded';
const DUMMY_USER = 'scope-matrix-dummy';
const SCOPE_NOTE = /Requires scope: `([a-z*]+)`\.$/;

/** A literal of the right type for every required argument or input field, recursively. */
function literal(type: GraphQLInputType, name: string, ids: { userId: string; id: string }): string {
  const inner = getNullableType(type);
  if (isListType(inner)) return `[${literal(inner.ofType as GraphQLInputType, name, ids)}]`;
  if (isEnumType(inner)) return inner.getValues()[0]!.name;
  if (isInputObjectType(inner)) {
    const all = Object.values(inner.getFields());
    // A @oneOf input takes exactly one field: a leaf one, so that a recursive condition ends.
    const leaf = all.find((f) => !isInputObjectType(getNamedType(f.type))) ?? all[0]!;
    const fields = inner.isOneOf ? [leaf] : all.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, f.name, ids)}`).join(', ')} }`;
  }
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'Int':
        return '1';
      case 'Float':
        return '1';
      case 'Boolean':
        return 'false';
      case 'DateTime':
        return '"2026-01-01T00:00:00.000Z"';
      case 'JSONObject':
        return '{}';
      case 'ID':
        return JSON.stringify(ids.id);
      default:
        return JSON.stringify(/userId/i.test(name) ? ids.userId : 'scope-matrix');
    }
  }
  throw new Error(`No dummy literal for ${String(type)}`);
}

function operationOf(root: Root, field: GraphQLField<unknown, unknown>, ids: { userId: string; id: string }): Operation {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const argText = args.length ? `(${args.map((a) => `${a.name}: ${literal(a.type, a.name, ids)}`).join(', ')})` : '';
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  const keyword = root === 'Query' ? 'query' : root === 'Mutation' ? 'mutation' : 'subscription';
  const declared = SCOPE_NOTE.exec(field.description ?? '')?.[1] as ApiScope | undefined;
  return {
    root,
    field: field.name,
    declared,
    document: `${keyword} { ${field.name}${argText}${selection} }`,
    nullableResult: !isNonNullType(field.type),
    listResult: isListType(getNullableType(field.type)),
  };
}

function operationsOf(schema: GraphQLSchema, ids: { userId: string; id: string }): Operation[] {
  const roots: Array<[Root, GraphQLObjectType | null | undefined]> = [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
    ['Subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([root, type]) => Object.values(type?.getFields() ?? {}).map((field) => operationOf(root, field, ids)));
}

const forbiddenOf = (outcome: Outcome) => outcome.errors.filter((e) => e.extensions?.['code'] === 'FORBIDDEN');

describe('scopes: every root field × every scope (generated from the schema)', () => {
  let gateway: GatewayFixture;
  let schema: GraphQLSchema;
  const keys = new Map<ApiKeyScope, string>();
  let otherWorkspaceKey: string;
  let seededProfileId: string;

  beforeAll(async () => {
    gateway = await startGatewayFixture({ env: { GRAPHQL_RATE_LIMIT_PER_SECOND: '0', GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY: '1000' } });
    const workspaces = new WorkspaceStore(gateway.dataSource);
    for (const scope of [...API_SCOPES, ALL_SCOPES] as const) keys.set(scope, await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, `matrix-${scope}`, undefined, [scope]));
    otherWorkspaceKey = await workspaces.createApiKey((await workspaces.createWorkspace('scope-matrix-other', 'Other')).id, 'matrix-other');
    const introspection = await gateway.graphql<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true, oneOf: true }));
    schema = buildClientSchema(introspection.data!);
    const seeded = await gateway.graphql<{ identify: { profile: { id: string } | null } }>(
      `mutation($input: IdentifyInput!) { identify(input: $input) { profile { id } } }`,
      { input: { userId: SEEDED_USER, traits: { email: 'isolation-canary@example.test' } } },
    );
    seededProfileId = seeded.data!.identify.profile!.id;
  }, 240_000);

  afterAll(async () => {
    await gateway?.teardown();
  });

  async function run(op: Operation, key: string): Promise<Outcome> {
    if (op.root !== 'Subscription') {
      const result = await gateway.graphql(op.document, {}, key);
      return { errors: result.errors ?? [], data: result.data as Record<string, unknown> | null | undefined };
    }
    return subscribeOnce(op.document, key);
  }

  /** Starts a subscription; its first result or error, or none after a while (a started subscription that waits). */
  async function subscribeOnce(document: string, key: string): Promise<Outcome> {
    const client = createClient({ url: `${gateway.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': key }, retryAttempts: 0 });
    try {
      return await new Promise<Outcome>((resolve) => {
        const timer = setTimeout(() => resolve({ errors: [] }), 750);
        client.subscribe(
          { query: document },
          {
            next: (result) => {
              clearTimeout(timer);
              resolve({ errors: (result.errors ?? []) as Outcome['errors'], data: result.data as Record<string, unknown> });
            },
            error: (error) => {
              clearTimeout(timer);
              resolve({ errors: Array.isArray(error) ? (error as Outcome['errors']) : [{ message: String(error) }] });
            },
            complete: () => undefined,
          },
        );
      });
    } finally {
      await client.dispose();
    }
  }

  it('every root field declares a scope (shown in its description), and each key is allowed or refused by it', async () => {
    const operations = operationsOf(schema, { userId: DUMMY_USER, id: seededProfileId });
    const columns = [...API_SCOPES, ALL_SCOPES] as const;
    const failures: string[] = [];
    let cases = 0;
    for (const op of operations) {
      cases += 1;
      if (!op.declared || !(API_SCOPES as readonly string[]).includes(op.declared)) {
        failures.push(`${op.root}.${op.field}: no required scope declared (@RequiresScope)`);
        continue;
      }
      for (const scope of columns) {
        cases += 1;
        const outcome = await run(op, keys.get(scope)!);
        const forbidden = forbiddenOf(outcome);
        const allowed = scope === ALL_SCOPES || scope === op.declared;
        if (allowed && forbidden.length > 0) failures.push(`${op.root}.${op.field} × ${scope}: refused (${forbidden[0]!.message})`);
        if (!allowed) {
          const named = forbidden.length === 1 && outcome.errors.length === 1 && forbidden[0]!.extensions?.['requiredScope'] === op.declared && forbidden[0]!.message.includes(`"${op.declared}"`);
          if (!named) failures.push(`${op.root}.${op.field} × ${scope}: expected FORBIDDEN naming "${op.declared}", got ${JSON.stringify(outcome.errors)}`);
          if (outcome.data && outcome.data[op.field] !== null && outcome.data[op.field] !== undefined) failures.push(`${op.root}.${op.field} × ${scope}: refused but answered data`);
        }
      }
    }
    console.log(`scope matrix: ${operations.length} root fields × ${columns.length} keys (+ declaration checks): ${cases} cases, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(operations.length).toBeGreaterThan(50);
  }, 300_000);

  it("every root field, called by another workspace's key with this workspace's customer and ids, answers nothing of it", async () => {
    const operations = operationsOf(schema, { userId: SEEDED_USER, id: seededProfileId });
    const failures: string[] = [];
    const shownToOwnWorkspaceOnly: string[] = [];
    for (const op of operations) {
      const outcome = await run(op, otherWorkspaceKey);
      if (op.root === 'Query' && (op.nullableResult || op.listResult)) {
        const own = (await run(op, keys.get(ALL_SCOPES)!)).data?.[op.field];
        const found = Array.isArray(own) ? own.some((item) => item !== null) : own !== null && own !== undefined;
        if (found) shownToOwnWorkspaceOnly.push(op.field);
      }
      if (forbiddenOf(outcome).length > 0) failures.push(`${op.root}.${op.field}: FORBIDDEN for a * key of another workspace`);
      if (JSON.stringify(outcome).includes('isolation-canary')) failures.push(`${op.root}.${op.field}: answered this workspace's data`);
      const value = outcome.data?.[op.field];
      if (op.root === 'Query' && op.nullableResult && value !== null && value !== undefined) failures.push(`${op.root}.${op.field}: answered ${JSON.stringify(value)}, not null`);
      if (op.root === 'Query' && op.listResult && Array.isArray(value) && value.some((item) => item !== null)) failures.push(`${op.root}.${op.field}: answered ${JSON.stringify(value)}`);
    }
    console.log(
      `isolation matrix: ${operations.length} root fields × 1 foreign key: ${operations.length} cases, ${failures.length} failures; ` +
        `found by their own workspace, null to the other: ${shownToOwnWorkspaceOnly.join(', ')}`,
    );
    expect(failures).toEqual([]);
    expect(shownToOwnWorkspaceOnly).toEqual(expect.arrayContaining(['node', 'nodes', 'profile']));
    // What the other workspace was refused is there for this one's key, untouched by its mutations.
    const own = await gateway.graphql<{ node: { __typename: string } | null; nodes: Array<unknown>; profile: { userId: string } | null }>(
      `query($id: ID!) { node(id: $id) { __typename } nodes(ids: [$id]) { __typename } profile(userId: "${SEEDED_USER}") { userId } }`,
      { id: seededProfileId },
      keys.get('read')!,
    );
    expect(own.data).toEqual({ node: { __typename: 'Profile' }, nodes: [{ __typename: 'Profile' }], profile: { userId: SEEDED_USER } });
  }, 300_000);

  it('a subscription refused for its scope leaves the connection open for the next one', async () => {
    const client = createClient({ url: `${gateway.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': keys.get('agent')! }, retryAttempts: 0 });
    let closed = false;
    client.on('closed', () => (closed = true));
    try {
      const first = (document: string) =>
        new Promise<unknown>((resolve) => {
          const timer = setTimeout(() => resolve('started'), 500);
          client.subscribe({ query: document }, { next: (result) => (clearTimeout(timer), resolve(result.errors)), error: (error) => (clearTimeout(timer), resolve(error)), complete: () => undefined });
        });
      expect(await first(`subscription { customerActivity(userId: "${DUMMY_USER}") { cursor } }`)).toMatchObject([{ extensions: { code: 'FORBIDDEN', requiredScope: 'read' } }]);
      expect(await first('subscription { conversationUpdates { cursor } }')).toBe('started');
      expect(closed).toBe(false);
    } finally {
      await client.dispose();
    }
  });

  it('REST routes that take an API key require their scope (403 FORBIDDEN naming it)', async () => {
    const post = (key: string) =>
      fetch(`${gateway.url}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ userId: DUMMY_USER }) });
    const get = (key: string) => fetch(`${gateway.url}/messages/00000000-0000-4000-8000-000000000000`, { headers: { 'x-api-key': key } });
    const codec = (path: string) => (key: string) =>
      fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: '{"payloads":[]}' });
    const codecInPath = (action: string) => (key: string) =>
      fetch(`${gateway.url}/codec/${key}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payloads":[]}' });
    const cases: Array<[string, (key: string) => Promise<Response>, ApiScope]> = [
      ['POST /messages', post, 'operate'],
      ['GET /messages/:id', get, 'read'],
      // The codec server (payload encryption is off here: an allowed key gets 404, a refused one 403).
      ['POST /codec/decode', codec('/codec/decode'), 'operate'],
      ['POST /codec/encode', codec('/codec/encode'), 'operate'],
      ['POST /codec/:key/decode', codecInPath('decode'), 'operate'],
      ['POST /codec/:key/encode', codecInPath('encode'), 'operate'],
    ];
    for (const [route, call, required] of cases) {
      for (const scope of [...API_SCOPES, ALL_SCOPES] as const) {
        const response = await call(keys.get(scope)!);
        const body = (await response.json()) as { error?: { code: string; requiredScope?: string; message: string } };
        if (scope === required || scope === ALL_SCOPES) expect(response.status, `${route} × ${scope}`).not.toBe(403);
        else {
          expect(response.status, `${route} × ${scope}`).toBe(403);
          expect(body.error).toMatchObject({ code: 'FORBIDDEN', requiredScope: required });
          expect(body.error?.message).toContain(`"${required}"`);
        }
      }
    }
    expect((await fetch(`${gateway.url}/messages/x`)).status).toBe(401);
  });
});
