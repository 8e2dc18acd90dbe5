import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomerKeyStore,
  DEFAULT_WORKSPACE_ID,
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  LocalKms,
  PAYLOAD_CUSTOMER_METADATA,
  PAYLOAD_WORKSPACE_METADATA,
  WorkspaceStore,
} from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';
import { redacted } from '../observability/http-tracing';
import { ERASED_NOTE, MAX_CODEC_PAYLOADS, type JsonPayload } from './codec.service';

const utf8 = new TextEncoder();
const json = (value: unknown, owner?: { workspaceId: string; customerId?: string }): Payload => ({
  metadata: {
    encoding: utf8.encode('json/plain'),
    ...(owner ? { [PAYLOAD_WORKSPACE_METADATA]: utf8.encode(owner.workspaceId) } : {}),
    ...(owner?.customerId ? { [PAYLOAD_CUSTOMER_METADATA]: utf8.encode(owner.customerId) } : {}),
  },
  data: utf8.encode(JSON.stringify(value)),
});
const wire = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value ?? []).toString('base64')])),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});
const dataOf = (payload: JsonPayload) => JSON.parse(Buffer.from(payload.data ?? '', 'base64').toString('utf8')) as unknown;
const encodingOf = (payload: JsonPayload) => Buffer.from(payload.metadata?.['encoding'] ?? '', 'base64').toString('utf8');

const WEB_UI = 'http://127.0.0.1:8233';

// The codec server on a real gateway (real PostgreSQL key store) with payload encryption on.
describe('codec server (/codec/encode, /codec/decode)', () => {
  const rootKey = randomBytes(32).toString('base64');
  let gw: GatewayFixture;
  let codec: EncryptionCodec;
  let keys: CustomerKeyStore;
  let operator: string;
  let reader: string;
  let brandId: string;
  let brandOperator: string;

  beforeAll(async () => {
    gw = await startGatewayFixture({ env: { CONTINUUM_ROOT_KEY: rootKey, CODEC_CORS_ORIGINS: WEB_UI } });
    keys = new CustomerKeyStore(gw.dataSource, new LocalKms(rootKey));
    codec = new EncryptionCodec({ keys, workspaceId: DEFAULT_WORKSPACE_ID });
    const workspaces = new WorkspaceStore(gw.dataSource);
    operator = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'codec-operator', undefined, ['operate']);
    reader = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'codec-reader', undefined, ['read']);
    brandId = (await workspaces.createWorkspace('codec-brand', 'Codec brand')).id;
    brandOperator = await workspaces.createApiKey(brandId, 'brand-operator', undefined, ['operate']);
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('decodes its workspace\'s payloads for an operator key, given in x-api-key, as a Bearer token or in the path', async () => {
    const encrypted = await codec.encode([json({ phone: '+14155550123' }, { workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'cora' }), json('plain, unowned')]);
    const plain = json('never encrypted');
    for (const [path, headers] of [
      ['/codec/decode', { 'x-api-key': operator }],
      ['/codec/decode', { authorization: `Bearer ${operator}` }],
      [`/codec/${operator}/decode`, {}],
    ] as const) {
      const response = await post(path, { payloads: [...encrypted, plain].map(wire) }, headers);
      expect(response.status, path).toBe(200);
      const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
      expect(payloads.map(dataOf)).toEqual([{ phone: '+14155550123' }, 'plain, unowned', 'never encrypted']);
      expect(payloads.map(encodingOf)).toEqual(['json/plain', 'json/plain', 'json/plain']);
      expect(response.headers.get('x-continuum-refused')).toBe('0');
    }
  });

  it('refuses without a key (401) and without the operate scope (403 naming it)', async () => {
    const body = { payloads: [] };
    expect((await post('/codec/decode', body)).status).toBe(401);
    expect((await post('/codec/not-a-key/decode', body)).status).toBe(401);
    for (const response of [await post('/codec/decode', body, { 'x-api-key': reader }), await post(`/codec/${reader}/decode`, body), await post(`/codec/${reader}/encode`, body)]) {
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string; requiredScope: string } }).error).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'operate' });
    }
  });

  it('hands another workspace\'s payloads back still encrypted, and counts them', async () => {
    const [ours, theirs] = await codec.encode([json('ours', { workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'cora' }), json('theirs', { workspaceId: brandId, customerId: 'cora' })]);
    const response = await post('/codec/decode', { payloads: [wire(ours!), wire(theirs!)] }, { 'x-api-key': brandOperator });
    expect(response.status).toBe(200);
    const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
    expect(encodingOf(payloads[0]!)).toBe(ENCRYPTED_ENCODING);
    expect(payloads[0]).toEqual(wire(ours!));
    expect(dataOf(payloads[1]!)).toBe('theirs');
    expect(response.headers.get('x-continuum-refused')).toBe('1');
  });

  it('shows an erased customer\'s payloads as erased, the others decoded', async () => {
    const [gone, kept] = await codec.encode([json('gone', { workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'erased-ed' }), json('kept', { workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'kept-kim' })]);
    await keys.destroyDataKey(DEFAULT_WORKSPACE_ID, 'erased-ed');
    const response = await post('/codec/decode', { payloads: [wire(gone!), wire(kept!)] }, { 'x-api-key': operator });
    const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
    expect(payloads.map(dataOf)).toEqual([ERASED_NOTE, 'kept']);
    expect(response.headers.get('x-continuum-erased')).toBe('1');
  });

  it('encodes under the caller\'s workspace key (what the Web UI sends), and decodes it back', async () => {
    const response = await post('/codec/encode', { payloads: [wire(json({ note: 'from the Web UI' }, { workspaceId: brandId, customerId: 'someone' }))] }, { 'x-api-key': operator });
    expect(response.status).toBe(200);
    const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
    expect(encodingOf(payloads[0]!)).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(payloads[0]!.metadata!['encryption-workspace-id']!, 'base64').toString()).toBe(DEFAULT_WORKSPACE_ID);
    expect(payloads[0]!.metadata!['encryption-customer-id']).toBeUndefined();
    const back = (await (await post('/codec/decode', { payloads }, { 'x-api-key': operator })).json()) as { payloads: JsonPayload[] };
    expect(back.payloads.map(dataOf)).toEqual([{ note: 'from the Web UI' }]);
  });

  it('answers the Web UI\'s preflight for the configured origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${gw.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
    const allowed = await preflight(WEB_UI);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB_UI);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // The GraphQL endpoint is no CORS route.
    const graphql = await fetch(`${gw.url}/graphql`, { method: 'OPTIONS', headers: { origin: WEB_UI, 'access-control-request-method': 'POST' } });
    expect(graphql.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses malformed bodies with 400 naming the field, never a 5xx (property-based)', async () => {
    const cases: Array<[unknown, string]> = [
      [[], 'body'],
      [{ payloads: 'x' }, 'payloads'],
      [{ payloads: [1] }, 'payloads.0'],
      [{ payloads: [{ data: 'not base64!' }] }, 'payloads.0.data'],
      [{ payloads: [{ metadata: { encoding: 5 } }] }, 'payloads.0.metadata.encoding'],
      [{ payloads: Array.from({ length: MAX_CODEC_PAYLOADS + 1 }, () => ({})) }, 'payloads'],
    ];
    for (const [body, field] of cases) {
      const response = await post('/codec/decode', body, { 'x-api-key': operator });
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(((await response.json()) as { error: { field?: string; message: string } }).error.field).toBe(field);
    }
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.record({ payloads: fc.array(fc.record({ metadata: fc.dictionary(fc.string(), fc.jsonValue()), data: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 4 }) })), async (body) => {
        for (const path of ['/codec/decode', '/codec/encode']) {
          const response = await post(path, body, { 'x-api-key': operator });
          expect(response.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
    // Forged ciphertext of our workspace: handed back, counted, never a 5xx.
    const [real] = await codec.encode([json('x', { workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'cora' })]);
    const forged = { ...wire(real!), data: Buffer.from(randomBytes(64)).toString('base64') };
    const response = await post('/codec/decode', { payloads: [forged] }, { 'x-api-key': operator });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-continuum-undecryptable')).toBe('1');
  });

  it('keeps the key of the path form out of traces', () => {
    expect(redacted('/codec/ck_secret123/decode')).toBe('/codec/[key]/decode');
    expect(redacted('/codec/ck_secret123/encode?x=1')).toBe('/codec/[key]/encode?x=1');
    expect(redacted('/codec/decode')).toBe('/codec/decode');
  });
});

describe('codec server with payload encryption off', () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture();
  });
  afterAll(async () => {
    await gw?.teardown();
  });

  it('says so (404) instead of pretending to decode', async () => {
    const response = await fetch(`${gw.url}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': gw.apiKey }, body: '{"payloads":[]}' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('CONTINUUM_ROOT_KEY');
  });
});
