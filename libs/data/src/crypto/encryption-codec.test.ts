import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import {
  CUSTOMER_ID_METADATA,
  CustomerKeyStore,
  DEFAULT_WORKSPACE_ID,
  DataKeyDestroyedError,
  DecryptionError,
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  PAYLOAD_WORKSPACE_METADATA,
  WorkspaceStore,
  WORKSPACE_ID_METADATA,
  LocalKms,
  PAYLOAD_CUSTOMER_METADATA,
} from '../index';

const utf8 = new TextEncoder();
const rootKey = () => randomBytes(32).toString('base64');
const json = (value: unknown): Payload => ({ metadata: { encoding: utf8.encode('json/plain') }, data: utf8.encode(JSON.stringify(value)) });
const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack).includes(Buffer.from(needle));

describe('payload encryption and crypto-shredding (real PostgreSQL)', () => {
  let db: TestDatabase;
  let keys: CustomerKeyStore;
  const root = rootKey();
  beforeAll(async () => {
    db = await createTestDatabase();
    keys = new CustomerKeyStore(db.dataSource, new LocalKms(root));
  });
  afterAll(async () => {
    await db?.teardown();
  });
  const codec = (customerId?: string) => new EncryptionCodec({ keys, workspaceId: DEFAULT_WORKSPACE_ID, customerId });

  it('round-trips any payload bytes and metadata, and the ciphertext holds none of the plaintext', async () => {
    const ana = codec('ana');
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2048 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.uint8Array({ maxLength: 32 }), { maxKeys: 4 }),
        async (data, metadata) => {
          const [encoded] = await ana.encode([{ metadata, data }]);
          expect(Buffer.from(encoded.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
          expect(Buffer.from(encoded.metadata?.[CUSTOMER_ID_METADATA] ?? []).toString()).toBe('ana');
          if (data.length >= 8) expect(contains(encoded.data as Uint8Array, data)).toBe(false);
          const [decoded] = await codec().decode([encoded]); // any codec decodes: the ids are in the metadata
          expect(Buffer.from(decoded.data ?? [])).toEqual(Buffer.from(data));
          expect(Object.keys(decoded.metadata ?? {}).sort()).toEqual(Object.keys(metadata).sort());
          for (const [name, value] of Object.entries(metadata)) expect(Buffer.from(decoded.metadata?.[name] ?? [])).toEqual(Buffer.from(value));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps a metadata field named __proto__ as a field', async () => {
    const metadata: Record<string, Uint8Array> = Object.fromEntries([['__proto__', utf8.encode('x')]]);
    const [decoded] = await codec().decode(await codec('ana').encode([{ metadata, data: utf8.encode('y') }]));
    expect(Object.keys(decoded.metadata ?? {})).toEqual(['__proto__']);
    expect(Buffer.from(decoded.metadata?.['__proto__'] as Uint8Array).toString()).toBe('x');
  });

  it('keeps an email, a phone and a message text out of the ciphertext', async () => {
    const secret = { email: 'ana.lopez@example.com', phone: '+34600111222', body: 'Your order 1234 has shipped' };
    const [encoded] = await codec('ana').encode([json(secret)]);
    const raw = Buffer.from(encoded.data as Uint8Array).toString('latin1') + JSON.stringify(encoded.metadata);
    for (const value of Object.values(secret)) expect(raw).not.toContain(value);
  });

  it('passes a payload that is not encrypted through decode unchanged', async () => {
    const plain = json({ hello: 'world' });
    expect(await codec().decode([plain])).toEqual([plain]);
  });

  it('detects tampering with the ciphertext or the ids bound to it', async () => {
    const [encoded] = await codec('ana').encode([json({ amount: 10 })]);
    const flipped = Buffer.from(encoded.data as Uint8Array);
    flipped[flipped.length - 1] ^= 1;
    await expect(codec().decode([{ ...encoded, data: flipped }])).rejects.toThrow(DecryptionError);
    await expect(codec().decode([{ ...encoded, data: flipped }])).rejects.toThrow(/authentication failed/);
    // Moving ana's ciphertext under ben's name fails too (the key id no longer matches, or the AAD).
    const [benEncoded] = await codec('ben').encode([json({})]);
    const moved = { ...encoded, metadata: { ...encoded.metadata, [CUSTOMER_ID_METADATA]: utf8.encode('ben'), [KEY_ID_METADATA]: benEncoded.metadata?.[KEY_ID_METADATA] as Uint8Array } };
    await expect(codec().decode([moved])).rejects.toThrow(DecryptionError);
  });

  it('gives two customers different keys, the workspace its own, and the same customer the same key', async () => {
    const [ana, ben, workspace, ana2] = await Promise.all([
      keys.dataKeyFor(DEFAULT_WORKSPACE_ID, 'ana'),
      keys.dataKeyFor(DEFAULT_WORKSPACE_ID, 'ben'),
      keys.dataKeyFor(DEFAULT_WORKSPACE_ID),
      keys.dataKeyFor(DEFAULT_WORKSPACE_ID, 'ana'),
    ]);
    expect(new Set([ana.keyId, ben.keyId, workspace.keyId]).size).toBe(3);
    expect(ana.key.equals(ben.key)).toBe(false);
    expect(ana2).toEqual(ana);
  });

  it('uses the customer named in the payload metadata over the codec customer, and the workspace key with none', async () => {
    const [marked, unowned] = await codec('ana').forCustomer(undefined).encode([
      { metadata: { ...json(1).metadata, [PAYLOAD_CUSTOMER_METADATA]: utf8.encode('carla') }, data: json(1).data },
      json(2),
    ]);
    expect(Buffer.from(marked.metadata?.[CUSTOMER_ID_METADATA] ?? []).toString()).toBe('carla');
    expect(Buffer.from(marked.metadata?.[KEY_ID_METADATA] ?? []).toString()).toBe((await keys.dataKeyFor(DEFAULT_WORKSPACE_ID, 'carla')).keyId);
    expect(unowned.metadata?.[CUSTOMER_ID_METADATA]).toBeUndefined();
    expect(Buffer.from(unowned.metadata?.[KEY_ID_METADATA] ?? []).toString()).toBe((await keys.dataKeyFor(DEFAULT_WORKSPACE_ID)).keyId);
    expect(await codec().decode([unowned])).toEqual([json(2)]);
  });

  it('makes one key for concurrent first uses', async () => {
    const fresh = new CustomerKeyStore(db.dataSource, new LocalKms(root));
    const made = await Promise.all(Array.from({ length: 8 }, () => fresh.dataKeyFor(DEFAULT_WORKSPACE_ID, 'dora')));
    expect(new Set(made.map((key) => key.keyId)).size).toBe(1);
    expect(new Set(made.map((key) => key.key.toString('hex'))).size).toBe(1);
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM workspace_keys WHERE workspace_id = $1`, [DEFAULT_WORKSPACE_ID]);
    expect(count).toBe(1);
  });

  it('shreds one customer: their payloads fail with DataKeyDestroyedError, the others still decode; the id seen again gets a fresh key', async () => {
    const [erin] = await codec('erin').encode([json({ email: 'erin@example.com' })]);
    const [fred] = await codec('fred').encode([json({ email: 'fred@example.com' })]);
    expect(await keys.destroyDataKey(DEFAULT_WORKSPACE_ID, 'erin')).toBe(true);
    expect(await keys.destroyDataKey(DEFAULT_WORKSPACE_ID, 'erin')).toBe(false);
    expect(await keys.isDestroyed(DEFAULT_WORKSPACE_ID, 'erin')).toBe(true);
    await expect(codec().decode([erin])).rejects.toThrow(DataKeyDestroyedError);
    expect(await codec().decode([fred])).toEqual([json({ email: 'fred@example.com' })]);
    // The record of the destruction names no one.
    const rows: { customer_ref: string; wrapped: Buffer | null }[] = await db.dataSource.query(
      `SELECT customer_ref, wrapped FROM customer_data_keys WHERE destroyed_at IS NOT NULL`,
    );
    expect(rows.map((row) => row.wrapped)).toEqual([null]);
    expect(rows[0].customer_ref).not.toContain('erin');
    // The same user id seen again (a late event, a reused id) is a new customer: a fresh key, while
    // what the erased one left stays unreadable, even to a codec with nothing cached.
    const fresh = await keys.dataKeyFor(DEFAULT_WORKSPACE_ID, 'erin');
    const [again] = await codec('erin').encode([json({ email: 'new-erin@example.com' })]);
    expect(await codec().decode([again])).toEqual([json({ email: 'new-erin@example.com' })]);
    expect(fresh.keyId).not.toBe(new TextDecoder().decode(erin.metadata![KEY_ID_METADATA]));
    await expect(codec().decode([erin])).rejects.toThrow(DataKeyDestroyedError);
    expect(await keys.isDestroyed(DEFAULT_WORKSPACE_ID, 'erin')).toBe(false);
    // Erased again: both keys are destroyed.
    expect(await keys.destroyDataKey(DEFAULT_WORKSPACE_ID, 'erin')).toBe(true);
    await expect(codec().decode([again])).rejects.toThrow(DataKeyDestroyedError);
    await expect(codec().decode([erin])).rejects.toThrow(DataKeyDestroyedError);
  });

  it('encrypts under the workspace the payload names; a made-up or unknown workspace falls back to the codec\'s own', async () => {
    const brand = await new WorkspaceStore(db.dataSource).createWorkspace('codec-brand', 'Codec brand');
    const marked = (workspaceId: string, customerId: string): Payload => ({
      ...json({ phone: '+14155550123' }),
      metadata: { ...json({}).metadata, [PAYLOAD_WORKSPACE_METADATA]: utf8.encode(workspaceId), [PAYLOAD_CUSTOMER_METADATA]: utf8.encode(customerId) },
    });
    const [inBrand] = await codec().encode([marked(brand.id, 'ivy')]);
    expect(Buffer.from(inBrand.metadata?.[WORKSPACE_ID_METADATA] ?? []).toString()).toBe(brand.id);
    expect(Buffer.from(inBrand.metadata?.[CUSTOMER_ID_METADATA] ?? []).toString()).toBe('ivy');
    expect(Buffer.from(inBrand.metadata?.[KEY_ID_METADATA] ?? []).toString()).toBe((await keys.dataKeyFor(brand.id, 'ivy')).keyId);
    for (const workspace of ['not-a-workspace', '7d0c6a52-0000-4000-8000-000000000000']) {
      const [fallback] = await codec().encode([marked(workspace, 'ivy')]);
      expect(Buffer.from(fallback.metadata?.[WORKSPACE_ID_METADATA] ?? []).toString()).toBe(DEFAULT_WORKSPACE_ID);
      expect(fallback.metadata?.[CUSTOMER_ID_METADATA]).toBeUndefined();
      expect(Buffer.from((await codec().decode([fallback]))[0].data ?? []).toString()).toContain('+14155550123');
    }
  });

  it('records the destruction of a customer who had no key yet', async () => {
    expect(await keys.destroyDataKey(DEFAULT_WORKSPACE_ID, 'gina')).toBe(false);
    expect(await keys.isDestroyed(DEFAULT_WORKSPACE_ID, 'gina')).toBe(true);
    expect((await keys.dataKeyFor(DEFAULT_WORKSPACE_ID, 'gina')).key).toHaveLength(32);
  });

  it('rotates the workspace key: data keys are re-wrapped, old payloads still decode, the old version is gone', async () => {
    const [before] = await codec('hugo').encode([json({ n: 1 })]);
    const [workspaceBefore] = await codec().encode([json({ n: 2 })]);
    const hugo = await keys.dataKeyFor(DEFAULT_WORKSPACE_ID, 'hugo');
    const wrappedBefore: { wrapped: Buffer }[] = await db.dataSource.query(`SELECT wrapped FROM customer_data_keys WHERE key_id = $1`, [hugo.keyId]);
    const { version, rewrapped } = await keys.rotateWorkspaceKey(DEFAULT_WORKSPACE_ID);
    expect(version).toBe(2);
    expect(rewrapped).toBeGreaterThan(2);
    const after: { wrapped: Buffer; workspace_key_version: number }[] = await db.dataSource.query(
      `SELECT wrapped, workspace_key_version FROM customer_data_keys WHERE key_id = $1`,
      [hugo.keyId],
    );
    expect(after[0].workspace_key_version).toBe(2);
    expect(after[0].wrapped.equals(wrappedBefore[0].wrapped)).toBe(false);
    expect(await db.dataSource.query(`SELECT version FROM workspace_keys WHERE workspace_id = $1`, [DEFAULT_WORKSPACE_ID])).toEqual([{ version: 2 }]);
    const fresh = new EncryptionCodec({ keys: new CustomerKeyStore(db.dataSource, new LocalKms(root)), workspaceId: DEFAULT_WORKSPACE_ID });
    expect(await fresh.decode([before, workspaceBefore])).toEqual([json({ n: 1 }), json({ n: 2 })]);
    expect(await fresh.forCustomer('ivan').decode(await fresh.forCustomer('ivan').encode([json('new')]))).toEqual([json('new')]);
    expect((await keys.rotateWorkspaceKey(DEFAULT_WORKSPACE_ID)).version).toBe(3);
    expect(await fresh.decode([before])).toEqual([json({ n: 1 })]);
  });

  it('serialises concurrent rotations and first uses racing them', async () => {
    const [before] = await codec('jana').encode([json('j')]);
    const results = await Promise.all([
      keys.rotateWorkspaceKey(DEFAULT_WORKSPACE_ID),
      keys.rotateWorkspaceKey(DEFAULT_WORKSPACE_ID),
      ...['l1', 'l2', 'l3', 'l4', 'l5', 'l6'].map((customer) => keys.dataKeyFor(DEFAULT_WORKSPACE_ID, customer)),
    ]);
    const versions = results.slice(0, 2).map((result) => (result as { version: number }).version);
    expect(new Set(versions).size).toBe(2);
    expect(await db.dataSource.query(`SELECT version FROM workspace_keys WHERE workspace_id = $1`, [DEFAULT_WORKSPACE_ID])).toEqual([
      { version: Math.max(...versions) },
    ]);
    const fresh = new EncryptionCodec({ keys: new CustomerKeyStore(db.dataSource, new LocalKms(root)), workspaceId: DEFAULT_WORKSPACE_ID });
    expect(await fresh.decode([before])).toEqual([json('j')]);
    for (const customer of ['l1', 'l2', 'l3', 'l4', 'l5', 'l6']) expect(await fresh.forCustomer(customer).decode(await codec(customer).encode([json(customer)]))).toEqual([json(customer)]);
  });

  it('cannot unwrap with a wrong root key', async () => {
    const [encoded] = await codec('ana').encode([json({ secret: true })]);
    const wrong = new EncryptionCodec({ keys: new CustomerKeyStore(db.dataSource, new LocalKms(rootKey())), workspaceId: DEFAULT_WORKSPACE_ID });
    await expect(wrong.decode([encoded])).rejects.toThrow(DecryptionError);
    await expect(wrong.decode([encoded])).rejects.toThrow(/root key unwrap/);
    expect(() => new LocalKms(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('keeps at most cacheSize unwrapped keys in memory', async () => {
    const small = new EncryptionCodec({ keys, workspaceId: DEFAULT_WORKSPACE_ID, cacheSize: 3 });
    for (const customer of ['k1', 'k2', 'k3', 'k4', 'k5']) await small.forCustomer(customer).encode([json(customer)]);
    expect(small.cachedKeys).toBe(3);
  });
});
