import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { CustomerKeyStore, DecryptionError, DEFAULT_WORKSPACE_ID, EncryptionCodec, LocalKms, PAYLOAD_CUSTOMER_METADATA, WorkspaceStore } from '@continuum/data';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { runAdminCli } from './admin-cli';

/** `npm run admin` against a real PostgreSQL database. */

const root = resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON output, checked by the assertions
type Json = any;

describe('admin CLI', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await db?.teardown();
  });

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string; json: () => Json }> {
    return cliWith({}, ...argv);
  }

  async function cliWith(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string; err: string; json: () => Json }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdminCli(argv, { env: { DATABASE_URL: db.url, ...env }, out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.join('\n')) };
  }

  it('creates and lists workspaces, refusing a bad or taken slug with exit code 2 naming it', async () => {
    const created = await cli('create-workspace', 'cli-shop', 'CLI Shop');
    expect(created.code).toBe(0);
    expect(created.json()).toMatchObject({ slug: 'cli-shop', name: 'CLI Shop' });
    expect((await cli('list-workspaces')).json().map((w: { slug: string }) => w.slug)).toEqual(['cli-shop', 'default']);
    const bad = await cli('create-workspace', 'Bad Slug', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('<slug>');
    const taken = await cli('create-workspace', 'cli-shop', 'Again');
    expect(taken.code).toBe(2);
    expect(taken.err).toMatch(/<slug>.*already exists.*CONFLICT/);
  });

  it('creates a key with its scopes (secret printed once, stored hashed), lists without secrets, rotates and revokes', async () => {
    const created = await cli('create-key', '--workspace', 'cli-shop', '--name', 'backend', '--scopes', 'track,read');
    expect(created.code).toBe(0);
    const key = created.json();
    expect(key).toMatchObject({ name: 'backend', scopes: ['track', 'read'], revokedAt: null });
    const store = new WorkspaceStore(db.dataSource);
    expect(await store.authenticate(key.secret)).toMatchObject({ workspaceSlug: 'cli-shop', scopes: ['track', 'read'] });

    const listed = await cli('list-keys', '--workspace', 'cli-shop');
    expect(listed.json()).toEqual([expect.objectContaining({ id: key.id, name: 'backend' })]);
    expect(listed.out).not.toContain(key.secret);
    expect(listed.out).not.toContain('hash');

    const rotated = await cli('rotate-key', key.id);
    expect(rotated.code).toBe(0);
    const next = rotated.json();
    expect(next.scopes).toEqual(['track', 'read']);
    expect(await store.authenticate(key.secret)).toBeUndefined();
    expect(await store.authenticate(next.secret)).toMatchObject({ keyId: next.id });

    expect((await cli('revoke-key', next.id)).code).toBe(0);
    expect(await store.authenticate(next.secret)).toBeUndefined();
    const again = await cli('revoke-key', next.id);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/<id>.*already revoked/);
  });

  it('refuses to revoke the last admin key of a workspace', async () => {
    const only = (await cli('create-key', '--workspace', 'cli-shop', '--name', 'admin', '--scopes', 'admin')).json();
    const refused = await cli('revoke-key', only.id);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/last admin key.*FAILED_PRECONDITION/);
    const second = (await cli('create-key', '--workspace', 'cli-shop', '--name', 'admin 2', '--scopes', '*')).json();
    expect(second.scopes).toEqual(['*']);
    expect((await cli('revoke-key', only.id)).code).toBe(0);
  });

  it('creates, lists and revokes write keys', async () => {
    const created = (await cli('create-write-key', '--workspace', 'cli-shop', '--name', 'web')).json();
    expect(created.secret).toMatch(/^wk_/);
    const listed = await cli('list-write-keys', '--workspace', 'cli-shop');
    expect(listed.json()).toEqual([expect.objectContaining({ id: created.id, name: 'web', revokedAt: null })]);
    expect(listed.out).not.toContain(created.secret);
    expect((await cli('revoke-write-key', created.id)).code).toBe(0);
    expect((await cli('list-write-keys', '--workspace', 'cli-shop')).json()[0].revokedAt).not.toBeNull();
  });

  it('names the bad argument with exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['create-key', '--workspace', 'cli-shop', '--name', 'x', '--scopes', 'read,root'], /--scopes.*"root"/],
      [['create-key', '--workspace', 'nowhere', '--name', 'x', '--scopes', 'read'], /--workspace.*"nowhere"/],
      [['create-key', '--workspace', 'cli-shop', '--scopes', 'read'], /missing option --name/],
      [['create-key', '--workspace', 'cli-shop', '--name', ' ', '--scopes', 'read'], /--name.*empty/],
      [['rotate-key', 'not-a-uuid'], /<id>.*not a key id/],
      [['rotate-key', '00000000-0000-4000-8000-000000000000'], /<id>.*no API key/],
      [['revoke-key'], /missing argument <id>/],
      [['create-workspace', 'only-slug'], /missing argument <name>/],
      [['list-keys', '--workspace', 'cli-shop', '--bogus', 'x'], /--bogus/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toMatch(message);
    }
  });

  it('audits each action with actor cli, its outcome and time', async () => {
    const rows: Array<{ actor: string; action: string; outcome: string }> = await db.dataSource.query(`SELECT DISTINCT actor, action, outcome FROM admin_audit`);
    for (const [action, outcome] of [
      ['createWorkspace', 'ok'],
      ['createWorkspace', 'error'],
      ['createApiKey', 'ok'],
      ['createApiKey', 'error'],
      ['rotateApiKey', 'ok'],
      ['revokeApiKey', 'ok'],
      ['revokeApiKey', 'error'],
      ['createWriteKey', 'ok'],
      ['revokeWriteKey', 'ok'],
    ]) {
      expect(rows).toContainEqual({ actor: 'cli', action, outcome });
    }
  });

  it('rotates a workspace key and the root key; every payload stays readable, and only under the new root', async () => {
    const oldRoot = randomBytes(32).toString('base64');
    const newRoot = randomBytes(32).toString('base64');
    const codecUnder = (kms: LocalKms) => new EncryptionCodec({ keys: new CustomerKeyStore(db.dataSource, kms), workspaceId: DEFAULT_WORKSPACE_ID });
    const utf8 = new TextEncoder();
    const [payload] = await codecUnder(new LocalKms(oldRoot)).encode([
      { metadata: { encoding: utf8.encode('json/plain'), [PAYLOAD_CUSTOMER_METADATA]: utf8.encode('rotating-rita') }, data: utf8.encode('"+14155550199"') },
    ]);
    const readBy = async (kms: LocalKms) => Buffer.from((await codecUnder(kms).decode([payload!]))[0]!.data!).toString();

    const rotated = await cliWith({ CONTINUUM_ROOT_KEY: oldRoot }, 'rotate-workspace-key', '--workspace', 'default');
    expect(rotated.code).toBe(0);
    expect(rotated.json()).toMatchObject({ version: 2, rewrapped: expect.any(Number) });
    expect(rotated.json().rewrapped).toBeGreaterThanOrEqual(1);
    expect(await readBy(new LocalKms(oldRoot))).toBe('"+14155550199"');

    // The new root without the old one named: refused, nothing changed.
    const missing = await cliWith({ CONTINUUM_ROOT_KEY: newRoot }, 'rotate-root-key');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('CONTINUUM_PREVIOUS_ROOT_KEYS');
    // During the rotation the gateways and workers hold both (the new one current): both open the keys.
    expect(await readBy(new LocalKms(newRoot, [oldRoot]))).toBe('"+14155550199"');
    const root = await cliWith({ CONTINUUM_ROOT_KEY: newRoot, CONTINUUM_PREVIOUS_ROOT_KEYS: oldRoot }, 'rotate-root-key');
    expect(root.code).toBe(0);
    expect(root.json()).toMatchObject({ workspaces: expect.any(Number), workspaceKeys: expect.any(Number) });
    expect(root.json().workspaceKeys).toBeGreaterThanOrEqual(1);
    // Afterwards the new root alone reads everything; the old root alone reads nothing.
    expect(await readBy(new LocalKms(newRoot))).toBe('"+14155550199"');
    await expect(readBy(new LocalKms(oldRoot))).rejects.toThrow(DecryptionError);
    const audit: Array<{ action: string; outcome: string }> = await db.dataSource.query(`SELECT action, outcome FROM admin_audit WHERE action IN ('rotateWorkspaceKey', 'rotateRootKey')`);
    expect(audit).toEqual(expect.arrayContaining([{ action: 'rotateWorkspaceKey', outcome: 'ok' }, { action: 'rotateRootKey', outcome: 'ok' }]));
    // A bad root key is a usage error naming it.
    const bad = await cliWith({ CONTINUUM_ROOT_KEY: 'c2hvcnQ=' }, 'rotate-workspace-key', '--workspace', 'default');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('root key must be 32 bytes');
  });

  it("sets, shows and clears a workspace's retention, and runs the retention once", async () => {
    const set = await cliWith({ RETENTION_DAYS: '400' }, 'retention', 'set', '--workspace', 'default', '--days', '90');
    expect(set.code).toBe(0);
    expect(set.json()).toEqual({ slug: 'default', retentionDays: 90, effectiveDays: 90 });
    const shown = (await cliWith({ RETENTION_DAYS: '400' }, 'retention', 'show', '--workspace', 'default')).json();
    expect(shown).toMatchObject({ defaultDays: 400, workspaces: [{ slug: 'default', retentionDays: 90 }] });
    expect(shown.partitions).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'events', name: 'events_default', from: null }), expect.objectContaining({ table: 'journal_entries' })]));
    const ran = await cli('retention', 'run');
    expect(ran.code).toBe(0);
    expect(ran.json()).toMatchObject({ ran: true, kept: [], deleted: expect.objectContaining({ events: expect.any(Number) }) });
    const cleared = await cli('retention', 'set', '--workspace', 'default', '--days', 'default');
    expect(cleared.json()).toEqual({ slug: 'default', retentionDays: null, effectiveDays: 365 });
    const audit: Array<{ action: string }> = await db.dataSource.query(`SELECT action FROM admin_audit WHERE action IN ('setRetention', 'runRetention') ORDER BY id`);
    expect(audit.map((row) => row.action)).toEqual(['setRetention', 'runRetention', 'setRetention']);
    expect((await cli('retention', 'set', '--workspace', 'nope', '--days', '3')).err).toMatch(/--workspace/);
    expect((await cli('retention', 'purge')).code).toBe(2);
    const badDefault = await cliWith({ RETENTION_DAYS: 'forever' }, 'retention', 'run');
    expect([badDefault.code, badDefault.err]).toEqual([2, expect.stringContaining('RETENTION_DAYS')]);
  });

  it('refuses any --days that is not 1 to 36500 or "default", exit code 2 naming --days, the retention unchanged (fast-check)', async () => {
    const bad = fc.oneof(
      fc.integer({ max: 0 }).map(String),
      fc.integer({ min: 36_501 }).map(String),
      fc.string({ minLength: 1 }).filter((text) => !/^\s*[0-9]+\s*$/.test(text) && text.trim() !== 'default' && !text.startsWith('-')),
      fc.constantFrom('1.5', '30d', ' ', 'Default'),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (days) => {
        const refused = await cli('retention', 'set', '--workspace', 'default', '--days', days);
        expect(refused.code).toBe(2);
        expect(refused.err).toContain('--days');
      }),
      { numRuns: 25 },
    );
    expect((await db.dataSource.query(`SELECT retention_days FROM workspaces WHERE slug = 'default'`))[0].retention_days).toBeNull();
  });

  it('runs as npm run admin does, exiting 2 with the message on stderr', async () => {
    const run = promisify(execFile);
    const failed = await run('node', ['-r', './tools/register.cjs', 'tools/admin/main.ts', 'create-workspace', 'UPPER', 'x'], { cwd: root, env: { ...process.env, DATABASE_URL: db.url } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('<slug>');
    const listed = await run('node', ['-r', './tools/register.cjs', 'tools/admin/main.ts', 'list-workspaces'], { cwd: root, env: { ...process.env, DATABASE_URL: db.url } });
    expect(JSON.parse(listed.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ slug: 'default' })]));
  }, 60_000);
});
