import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, TenantAdmin, WorkspaceStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

/** Tenant administration through the real gateway (docs/api/auth.md, "Administration"). */

const BOOTSTRAP_KEY = 'ck_bootstrap_admin_key_for_tests_0123456789';
const KEY_FIELDS = 'id name scopes createdAt revokedAt';

type Errors = Array<{ message: string; extensions?: Record<string, unknown> }>;
type UserErrors = Array<{ code: string; field: string[] | null; message: string }>;

describe('tenant administration', () => {
  let gateway: GatewayFixture;
  let admin: string;

  beforeAll(async () => {
    gateway = await startGatewayFixture({ env: { CONTINUUM_BOOTSTRAP_ADMIN_KEY: BOOTSTRAP_KEY, GRAPHQL_RATE_LIMIT_PER_SECOND: '0' } });
    admin = BOOTSTRAP_KEY;
  }, 240_000);

  afterAll(async () => {
    await gateway?.teardown();
  });

  async function createKey(name: string, scopes: string[], key = admin, workspaceId?: string) {
    const result = await gateway.graphql<{ createApiKey: { apiKey: { id: string; name: string; scopes: string[] } | null; secret: string | null; userErrors: UserErrors } }>(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { ${KEY_FIELDS} } secret userErrors { code field message } } }`,
      { input: { name, scopes, ...(workspaceId ? { workspaceId } : {}) } },
      key,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.createApiKey;
  }

  const codeOf = (errors: Errors | undefined) => errors?.[0]?.extensions?.['code'];

  it('the bootstrap key exists once, hashed, with scope admin, and an admin key works', async () => {
    const rows: Array<{ key_hash: string; scopes: string[] }> = await gateway.dataSource.query(`SELECT key_hash, scopes FROM api_keys WHERE name = 'bootstrap-admin'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).not.toContain(BOOTSTRAP_KEY);
    expect(rows[0]!.scopes).toEqual(['admin']);
    const audit: Array<{ actor: string }> = await gateway.dataSource.query(`SELECT actor FROM admin_audit WHERE action = 'bootstrapAdminKey'`);
    expect(audit).toEqual([{ actor: 'bootstrap' }]);
    // What every later start does: nothing more.
    expect(await new TenantAdmin(gateway.dataSource).ensureBootstrapAdminKey(BOOTSTRAP_KEY)).toBe(false);
    expect(await gateway.dataSource.query(`SELECT count(*)::int AS n FROM api_keys WHERE name = 'bootstrap-admin'`)).toEqual([{ n: 1 }]);
    const listed = await gateway.graphql<{ workspaces: { nodes: Array<{ slug: string }> } }>(`{ workspaces { nodes { slug } } }`, {}, admin);
    expect(listed.data!.workspaces.nodes.map((w) => w.slug)).toContain('default');
  });

  it('creates a key that works with exactly its scopes; the list never shows a secret', async () => {
    const created = await createKey('reporting', ['READ', 'TRACK']);
    expect(created.userErrors).toEqual([]);
    expect(created.apiKey!.scopes).toEqual(['TRACK', 'READ']);
    expect(created.secret).toMatch(/^ck_/);
    const secret = created.secret!;
    expect((await gateway.graphql(`{ profile(userId: "nobody") { userId } }`, {}, secret)).errors).toBeUndefined();
    const refused = await gateway.graphql(`mutation { deleteProfile(input: { userId: "nobody" }) { userErrors { code } } }`, {}, secret);
    expect(codeOf(refused.errors)).toBe('FORBIDDEN');
    expect(codeOf((await gateway.graphql(`{ apiKeys { nodes { id } } }`, {}, secret)).errors)).toBe('FORBIDDEN');

    const list = await gateway.graphql(`{ apiKeys(first: 100) { totalCount edges { cursor node { ${KEY_FIELDS} } } } }`, {}, admin);
    expect(list.errors).toBeUndefined();
    const text = JSON.stringify(list.data);
    expect(text).toContain('reporting');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(BOOTSTRAP_KEY);
    const hashes: Array<{ key_hash: string }> = await gateway.dataSource.query(`SELECT key_hash FROM api_keys`);
    for (const { key_hash } of hashes) expect(text).not.toContain(key_hash);
    const stored: Array<{ count: string }> = await gateway.dataSource.query(`SELECT count(*) FROM api_keys WHERE key_hash = $1`, [secret]);
    expect(stored[0]!.count).toBe('0');
  });

  it('rotation refuses the old secret at once (UNAUTHENTICATED) and gives a new one with the same scopes', async () => {
    const created = await createKey('rotating', ['READ']);
    const old = created.secret!;
    expect((await gateway.graphql(`{ profile(userId: "nobody") { userId } }`, {}, old)).errors).toBeUndefined(); // now cached
    const rotated = await gateway.graphql<{ rotateApiKey: { apiKey: { id: string; scopes: string[]; name: string }; secret: string; revokedApiKey: { id: string; revokedAt: string | null }; userErrors: UserErrors } }>(
      `mutation($id: ID!) { rotateApiKey(input: { id: $id }) { apiKey { ${KEY_FIELDS} } secret revokedApiKey { id revokedAt } userErrors { code field message } } }`,
      { id: created.apiKey!.id },
      admin,
    );
    const payload = rotated.data!.rotateApiKey;
    expect(payload.userErrors).toEqual([]);
    expect(payload.apiKey).toMatchObject({ name: 'rotating', scopes: ['READ'] });
    expect(payload.revokedApiKey).toMatchObject({ id: created.apiKey!.id });
    expect(payload.revokedApiKey.revokedAt).not.toBeNull();
    expect(codeOf((await gateway.graphql(`{ profile(userId: "nobody") { userId } }`, {}, old)).errors)).toBe('UNAUTHENTICATED');
    expect((await gateway.graphql(`{ profile(userId: "nobody") { userId } }`, {}, payload.secret)).errors).toBeUndefined();

    const again = await gateway.graphql<{ rotateApiKey: { userErrors: UserErrors } }>(
      `mutation($id: ID!) { rotateApiKey(input: { id: $id }) { userErrors { code field message } } }`,
      { id: created.apiKey!.id },
      admin,
    );
    expect(again.data!.rotateApiKey.userErrors).toEqual([expect.objectContaining({ code: 'FAILED_PRECONDITION', field: ['input', 'id'] })]);
  });

  it('revocation refuses the key at once; the last admin key of a workspace cannot be revoked', async () => {
    const created = await createKey('temporary', ['ALL']);
    expect(created.apiKey!.scopes).toEqual(['ALL']);
    expect((await gateway.graphql(`{ apiKeys { totalCount } }`, {}, created.secret)).errors).toBeUndefined();
    const revoke = (id: string, key = admin) =>
      gateway.graphql<{ revokeApiKey: { apiKey: { revokedAt: string | null } | null; userErrors: UserErrors } }>(
        `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt } userErrors { code field message } } }`,
        { id },
        key,
      );
    const revoked = await revoke(created.apiKey!.id);
    expect(revoked.data!.revokeApiKey.userErrors).toEqual([]);
    expect(revoked.data!.revokeApiKey.apiKey!.revokedAt).not.toBeNull();
    expect(codeOf((await gateway.graphql(`{ apiKeys { totalCount } }`, {}, created.secret)).errors)).toBe('UNAUTHENTICATED');

    // A new workspace whose only admin key tries to revoke itself.
    const workspace = await gateway.graphql<{ createWorkspace: { workspace: { id: string; slug: string; name: string } } }>(
      `mutation { createWorkspace(input: { slug: "acme-br", name: " Acme Brasil " }) { workspace { id slug name createdAt } userErrors { code field message } } }`,
      {},
      admin,
    );
    const acme = workspace.data!.createWorkspace.workspace;
    expect(acme).toMatchObject({ slug: 'acme-br', name: 'Acme Brasil' });
    const acmeAdmin = await createKey('acme-admin', ['ADMIN'], admin, acme.id);
    expect(acmeAdmin.userErrors).toEqual([]);
    const self = await revoke(acmeAdmin.apiKey!.id, acmeAdmin.secret!);
    expect(self.data!.revokeApiKey).toEqual({ apiKey: null, userErrors: [expect.objectContaining({ code: 'FAILED_PRECONDITION', field: ['input', 'id'] })] });

    // Within its workspace, that admin key manages its own keys and sees only its own workspace.
    const own = await gateway.graphql<{ workspaces: { nodes: Array<{ slug: string }> }; apiKeys: { nodes: Array<{ name: string }> } }>(`{ workspaces { nodes { slug } } apiKeys { nodes { name } } }`, {}, acmeAdmin.secret!);
    expect(own.data).toEqual({ workspaces: { nodes: [{ slug: 'acme-br' }] }, apiKeys: { nodes: [{ name: 'acme-admin' }] } });
    const foreign = await gateway.graphql<{ createWorkspace: { userErrors: UserErrors } }>(
      `mutation { createWorkspace(input: { slug: "sneaky", name: "Sneaky" }) { userErrors { code field message } } }`,
      {},
      acmeAdmin.secret!,
    );
    expect(foreign.data!.createWorkspace.userErrors).toEqual([expect.objectContaining({ code: 'FAILED_PRECONDITION', field: null })]);
    const defaultKeyId = (await gateway.graphql<{ apiKeys: { nodes: Array<{ id: string }> } }>(`{ apiKeys { nodes { id } } }`, {}, admin)).data!.apiKeys.nodes[0]!.id;
    expect((await revoke(defaultKeyId, acmeAdmin.secret!)).data!.revokeApiKey.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'id'] })]);
    const defaultWorkspace = await new WorkspaceStore(gateway.dataSource).getWorkspace(DEFAULT_WORKSPACE_ID);
    expect(defaultWorkspace).not.toBeNull();
  });

  it('user errors name the input field: invalid slug, name, scopes, taken slug', async () => {
    const create = (slug: string, name: string) =>
      gateway.graphql<{ createWorkspace: { workspace: unknown; userErrors: UserErrors } }>(
        `mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id } userErrors { code field message } } }`,
        { input: { slug, name } },
        admin,
      );
    expect((await create('Bad Slug', 'x')).data!.createWorkspace).toEqual({ workspace: null, userErrors: [expect.objectContaining({ code: 'INVALID', field: ['input', 'slug'] })] });
    expect((await create('fine', '   ')).data!.createWorkspace.userErrors).toEqual([expect.objectContaining({ code: 'INVALID', field: ['input', 'name'] })]);
    expect((await create('default', 'Again')).data!.createWorkspace.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'slug'] })]);
    expect((await createKey('no scopes', [])).userErrors).toEqual([expect.objectContaining({ code: 'INVALID', field: ['input', 'scopes'] })]);
    expect((await createKey('mixed', ['ALL', 'READ'])).apiKey!.scopes).toEqual(['ALL']);
  });

  it('write keys: created once, listed without secrets, revoked at once on /v1', async () => {
    const created = await gateway.graphql<{ createWriteKey: { writeKey: { id: string; name: string }; secret: string; userErrors: UserErrors } }>(
      `mutation { createWriteKey(input: { name: "ios-app" }) { writeKey { id name createdAt revokedAt } secret userErrors { code field message } } }`,
      {},
      admin,
    );
    const { writeKey, secret } = created.data!.createWriteKey;
    const track = () =>
      fetch(`${gateway.url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}` },
        body: JSON.stringify({ userId: 'wk-user', event: 'Opened' }),
      });
    expect((await track()).status).toBe(200);
    const list = await gateway.graphql(`{ writeKeys { totalCount nodes { id name revokedAt } } }`, {}, admin);
    expect(JSON.stringify(list.data)).toContain('ios-app');
    expect(JSON.stringify(list.data)).not.toContain(secret);
    const revoked = await gateway.graphql<{ revokeWriteKey: { writeKey: { revokedAt: string | null }; userErrors: UserErrors } }>(
      `mutation($id: ID!) { revokeWriteKey(input: { id: $id }) { writeKey { revokedAt } userErrors { code field message } } }`,
      { id: writeKey.id },
      admin,
    );
    expect(revoked.data!.revokeWriteKey.userErrors).toEqual([]);
    expect((await track()).status).toBe(401);
  });

  it('pages keys and workspaces forward and backward with opaque cursors', async () => {
    type Page = { apiKeys: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null; startCursor: string | null }; nodes: Array<{ id: string }> } };
    const page = async (args: string) => (await gateway.graphql<Page>(`{ apiKeys(${args}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } } }`, {}, admin)).data!.apiKeys;
    const all = await page('first: 100');
    expect(all.nodes.length).toBe(all.totalCount);
    expect(all.totalCount).toBeGreaterThan(4);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const next: Page['apiKeys'] = await page(after ? `first: 2, after: ${JSON.stringify(after)}` : 'first: 2');
      seen.push(...next.nodes.map((n) => n.id));
      if (!next.pageInfo.hasNextPage) break;
      after = next.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.nodes.map((n) => n.id));
    const last = await page('last: 2');
    expect(last.nodes.map((n) => n.id)).toEqual(all.nodes.slice(-2).map((n) => n.id));
    const before = await page(`last: 2, before: ${JSON.stringify(last.pageInfo.startCursor)}`);
    expect(before.nodes.map((n) => n.id)).toEqual(all.nodes.slice(-4, -2).map((n) => n.id));
    const bad = await gateway.graphql(`{ apiKeys(first: 1, after: "nonsense") { totalCount } }`, {}, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const workspaces = await gateway.graphql<{ workspaces: { nodes: Array<{ slug: string }>; totalCount: number } }>(`{ workspaces(first: 1, after: ${JSON.stringify(Buffer.from(JSON.stringify({ slug: 'acme-br' })).toString('base64'))}) { totalCount nodes { slug } } }`, {}, admin);
    expect(workspaces.data!.workspaces.nodes).toEqual([{ slug: 'default' }]);
  });

  it('audits every action with who, what, when and outcome', async () => {
    const rows: Array<{ actor: string; action: string; outcome: string; at: Date }> = await gateway.dataSource.query(`SELECT actor, action, outcome, at FROM admin_audit ORDER BY id`);
    const keyId = (await gateway.dataSource.query(`SELECT id FROM api_keys WHERE name = 'bootstrap-admin'`))[0].id as string;
    const actions = new Set(rows.filter((r) => r.actor === `api-key:${keyId}`).map((r) => `${r.action}:${r.outcome}`));
    for (const expected of ['createApiKey:ok', 'rotateApiKey:ok', 'rotateApiKey:error', 'revokeApiKey:ok', 'createWorkspace:ok', 'createWorkspace:error', 'createWriteKey:ok', 'revokeWriteKey:ok', 'createApiKey:error']) {
      expect(actions).toContain(expected);
    }
    expect(rows.every((r) => r.at instanceof Date)).toBe(true);
    expect(rows.some((r) => r.action === 'revokeApiKey' && r.outcome === 'error' && r.actor !== `api-key:${keyId}`)).toBe(true);
  });
});
