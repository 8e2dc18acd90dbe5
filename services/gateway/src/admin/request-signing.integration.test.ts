import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, RequestSigningSecretStore, WorkspaceStore } from '@continuum/data';
import { toGlobalId } from '../node/global-id';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

/** The per-workspace request signing secret through the real gateway: read, rotate, scopes, tenancy, encryption at rest. */

const FIELDS = 'secret createdAt rotatedAt previousSecretExpiresAt encryptedAtRest';
type Secret = { secret: string; createdAt: string; rotatedAt: string | null; previousSecretExpiresAt: string | null; encryptedAtRest: boolean };
type UserErrors = Array<{ code: string; field: string[] | null; message: string }>;

describe('request signing secrets', () => {
  let gateway: GatewayFixture;
  let admin: string;
  let reader: string;
  let otherAdmin: string;
  let otherWorkspaceId: string;

  beforeAll(async () => {
    gateway = await startGatewayFixture({ env: { GRAPHQL_RATE_LIMIT_PER_SECOND: '0', CONTINUUM_ROOT_KEY: randomBytes(32).toString('base64') } });
    const workspaces = new WorkspaceStore(gateway.dataSource);
    admin = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'secret-admin', undefined, ['admin']);
    reader = await workspaces.createApiKey(DEFAULT_WORKSPACE_ID, 'secret-reader', undefined, ['read', 'operate']);
    otherWorkspaceId = (await workspaces.createWorkspace('signing-other', 'Other')).id;
    otherAdmin = await workspaces.createApiKey(otherWorkspaceId, 'other-admin', undefined, ['admin']);
  }, 240_000);

  afterAll(async () => {
    await gateway?.teardown();
  });

  const read = (key: string, workspaceId?: string) =>
    gateway.graphql<{ requestSigningSecret: Secret }>(`query($w: ID) { requestSigningSecret(workspaceId: $w) { ${FIELDS} } }`, { w: workspaceId ?? null }, key);
  const rotate = (key: string, workspaceId?: string) =>
    gateway.graphql<{ rotateRequestSigningSecret: { requestSigningSecret: Secret | null; userErrors: UserErrors } }>(
      `mutation($input: RotateRequestSigningSecretInput!) { rotateRequestSigningSecret(input: $input) { requestSigningSecret { ${FIELDS} } userErrors { code field message } } }`,
      { input: workspaceId ? { workspaceId } : {} },
      key,
    );

  it('makes the secret on first read, the same one the worker signs with, stored encrypted', async () => {
    const first = await read(admin);
    expect(first.errors).toBeUndefined();
    const secret = first.data!.requestSigningSecret;
    expect(secret).toMatchObject({ secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/), rotatedAt: null, previousSecretExpiresAt: null, encryptedAtRest: true });
    expect((await read(admin)).data!.requestSigningSecret.secret).toBe(secret.secret);
    // What the worker's activity signs with (its store opens the sealed secret with the same root key's hierarchy).
    const rows: Array<{ secret: Buffer; key_id: string | null }> = await gateway.dataSource.query(`SELECT secret, key_id FROM request_signing_secrets WHERE workspace_id = $1`, [DEFAULT_WORKSPACE_ID]);
    expect(rows[0]!.key_id).not.toBeNull();
    expect(rows[0]!.secret.toString('latin1')).not.toContain(secret.secret.slice(6));
    // A receiver verifies with it using a Standard Webhooks library.
    const signed = new Webhook(secret.secret).sign('msg_1', new Date(), '{"a":1}');
    expect(() => new Webhook(secret.secret).verify('{"a":1}', { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': signed })).not.toThrow();
  });

  it('rotates: a new secret, the previous one still signing for 24 h, audited', async () => {
    const before = (await read(admin)).data!.requestSigningSecret.secret;
    const rotated = await rotate(admin);
    expect(rotated.errors).toBeUndefined();
    const payload = rotated.data!.rotateRequestSigningSecret;
    expect(payload.userErrors).toEqual([]);
    expect(payload.requestSigningSecret!.secret).not.toBe(before);
    expect(payload.requestSigningSecret!.rotatedAt).not.toBeNull();
    const grace = Date.parse(payload.requestSigningSecret!.previousSecretExpiresAt!) - Date.parse(payload.requestSigningSecret!.rotatedAt!);
    expect(Math.round(grace / 3_600_000)).toBe(24);
    expect((await read(admin)).data!.requestSigningSecret.secret).toBe(payload.requestSigningSecret!.secret);
    const signing = await new RequestSigningSecretStore(gateway.dataSource, undefined).signingSecrets(DEFAULT_WORKSPACE_ID).catch((error: Error) => error.message);
    // Sealed secrets need the key store: without it, the store says so instead of signing with garbage.
    expect(signing).toMatch(/is encrypted: set CONTINUUM_ROOT_KEY/);
    const audit: Array<{ action: string; outcome: string }> = await gateway.dataSource.query(`SELECT action, outcome FROM admin_audit WHERE action = 'rotateRequestSigningSecret'`);
    expect(audit).toEqual([{ action: 'rotateRequestSigningSecret', outcome: 'ok' }]);
  });

  it('needs the admin scope, and each workspace has its own secret that no other workspace may read', async () => {
    for (const outcome of [await read(reader), await rotate(reader)]) {
      expect(outcome.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'admin' });
    }
    const own = (await read(otherAdmin)).data!.requestSigningSecret.secret;
    expect(own).not.toBe((await read(admin)).data!.requestSigningSecret.secret);
    // A workspace's key cannot name the default workspace; the operator workspace's key can name any.
    const defaultId = toGlobalId('Workspace', DEFAULT_WORKSPACE_ID);
    expect((await read(otherAdmin, defaultId)).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await rotate(otherAdmin, defaultId)).data!.rotateRequestSigningSecret.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'workspaceId'], message: `no workspace has the id "${defaultId}"` },
    ]);
    expect((await read(admin, toGlobalId('Workspace', otherWorkspaceId))).data!.requestSigningSecret.secret).toBe(own);
  });
});
