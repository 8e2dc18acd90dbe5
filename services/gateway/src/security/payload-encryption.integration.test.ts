import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { JOURNEY_SEARCH_ATTRIBUTES } from '@continuum/contracts';
import {
  CUSTOMER_ID_METADATA,
  DataKeyDestroyedError,
  DEFAULT_WORKSPACE_ID,
  ENCRYPTED_ENCODING,
  JourneyCatalogueStore,
  WORKSPACE_ID_METADATA,
  createPayloadCodec,
} from '@continuum/data';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, journeyDescriptors, type JourneyWorker } from '@continuum/worker';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../test-support/gateway-fixture';

type History = temporal.api.history.v1.IHistory;

/** Two customers whose traits and cart would be in clear in Temporal without encryption. */
const customers = {
  zora: { first_name: 'Zoraida', last_name: 'Quintanilha', email: 'zoraida.quintanilha@example.test', phone: '+14155550177', item: 'Vermilion Loafers' },
  yuri: { first_name: 'Yuriko', last_name: 'Vasconcelos', email: 'yuriko.vasconcelos@example.test', phone: '+14155550188', item: 'Cobalt Sandals' },
} as const;
type Name = keyof typeof customers;

/** Every piece of the customer's PII that must not appear in a raw history (the phone also without its +). */
function secretsOf(name: Name): string[] {
  const c = customers[name];
  return [c.first_name, c.last_name, c.email, c.phone, c.phone.slice(1), c.item, 'you left'];
}

/**
 * Every payload of a history (inputs, signals, activity inputs and results, memos, summaries,
 * failures…), found by shape, with where it was — except search attributes, which Temporal indexes
 * and so must stay in clear (their rule is checked on their own below), and headers.
 */
function payloadsOf(value: unknown, found: Payload[] = [], path = ''): Payload[] {
  if (Array.isArray(value)) value.forEach((each, index) => payloadsOf(each, found, `${path}[${index}]`));
  else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const record = value as Record<string, unknown>;
    if (record['data'] instanceof Uint8Array && record['metadata'] && typeof record['metadata'] === 'object') found.push(Object.assign(record as Payload, { path }));
    // Written by the SDK's core, never through the codec: a `patched()` marker (the patch id) and a
    // local activity's bookkeeping (sequence, type, times); the local activity's result is checked.
    else if (record['markerName'] === 'core_patch') return found;
    else if (record['markerName'] === 'core_local_activity') payloadsOf((record['details'] as Record<string, unknown>)['result'], found, `${path}.details.result`);
    // Headers are not encoded by the SDK: they carry only the trace context (checked below: no PII).
    else for (const [key, child] of Object.entries(record)) if (key !== 'searchAttributes' && key !== 'header') payloadsOf(child, found, `${path}.${key}`);
  }
  return found;
}

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

// Payload encryption end to end with every real part (PostgreSQL, a Temporal dev server, the gateway
// and a journey worker both given CONTINUUM_ROOT_KEY, the Twilio emulator): what Temporal stores —
// read here with a plain client that has no codec — holds no customer data, and erasing a customer
// (deleteProfile) makes exactly their payloads unreadable.
describe('payload encryption and crypto-shredding (real Temporal, real PostgreSQL)', () => {
  const rootKey = randomBytes(32).toString('base64');
  let gw: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;
  let raw: Client;
  let rawConnection: Connection;
  const histories = new Map<Name, History>();

  beforeAll(async () => {
    gw = await startGatewayFixture({
      env: { CONTINUUM_ROOT_KEY: rootKey },
      beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'encryption-test'),
    });
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    const config = await workerConfigFor(gw, emulatorUrl, { ABANDONED_CART_IDLE_TIMEOUT: '1s', CONTINUUM_ROOT_KEY: rootKey });
    worker = await createJourneyWorker(config);
    running = worker.run();
    rawConnection = await Connection.connect({ address: gw.temporalAddress });
    raw = new Client({ connection: rawConnection, namespace: gw.temporalNamespace });

    for (const name of Object.keys(customers) as Name[]) {
      const c = customers[name];
      await ok(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, {
        input: { userId: name, traits: { first_name: c.first_name, last_name: c.last_name, email: c.email, phone: c.phone } },
      });
      const { track } = await ok<{ track: { deliveredTo: string[] } }>(`mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, {
        input: { userId: name, event: 'Cart Updated', properties: { cart_id: `${name}-cart`, items: [{ name: c.item }] } },
      });
      expect(track.deliveredTo).toEqual([`journey/abandoned-cart/${name}/${name}-cart`]);
    }
    for (const name of Object.keys(customers) as Name[]) {
      const handle = raw.workflow.getHandle(`journey/abandoned-cart/${name}/${name}-cart`);
      const deadline = Date.now() + 60_000;
      while ((await handle.describe()).status.name !== 'COMPLETED') {
        if (Date.now() > deadline) throw new Error(`the cart of ${name} did not complete`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      histories.set(name, await handle.fetchHistory());
    }
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await rawConnection?.close();
    await emulator?.close();
    await gw?.teardown();
  });

  async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = (await gw.graphql<T>(query, variables)) as { data?: T; errors?: unknown[] };
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  it('sends the reminder with the customer data (so the data exists) while the raw history holds none of it', () => {
    for (const name of Object.keys(customers) as Name[]) {
      const c = customers[name];
      // The SMS itself, as the provider received it, names the customer and the item.
      const sms = emulator.messages().find((message) => message.to === c.phone);
      expect(sms?.body).toContain(c.first_name);
      expect(sms?.body).toContain(c.item);

      // The history, dumped raw (the bytes Temporal stores and backs up), grepped for each secret.
      const dump = Buffer.from(temporal.api.history.v1.History.encode(histories.get(name)!).finish());
      const found = secretsOf(name).filter((secret) => dump.includes(Buffer.from(secret)));
      console.log(
        `raw history of ${name}: ${histories.get(name)!.events?.length} events, ${dump.length} bytes, ${payloadsOf(histories.get(name)).length} payloads; ` +
          `${found.length} of ${secretsOf(name).length} secrets found (${secretsOf(name).join(' | ')})`,
      );
      for (const secret of secretsOf(name)) expect(dump.includes(Buffer.from(secret)), `${name}: "${secret}" in the raw history`).toBe(false);
      // … while the customer id (allowed in clear, it keys the Web UI's search) is there.
      expect(dump.includes(Buffer.from(name))).toBe(true);
    }
  });

  it('encrypts every payload of the history, each under its customer\'s key in its workspace', () => {
    for (const name of Object.keys(customers) as Name[]) {
      const payloads = payloadsOf(histories.get(name));
      // Inputs, signals, activity inputs and results, the summary: many kinds, all of them encrypted.
      expect(payloads.length).toBeGreaterThan(8);
      for (const payload of payloads) {
        expect(text(payload.metadata?.['encoding']), `${(payload as { path?: string }).path}: ${text(payload.data)}`).toBe(ENCRYPTED_ENCODING);
        expect(text(payload.metadata?.[WORKSPACE_ID_METADATA])).toBe(DEFAULT_WORKSPACE_ID);
      }
      // The payloads that are the customer's (their event, profile, message) are under their own key.
      const owners = new Set(payloads.map((payload) => text(payload.metadata?.[CUSTOMER_ID_METADATA])));
      expect(owners).toContain(name);
      for (const other of Object.keys(customers).filter((each) => each !== name)) expect(owners).not.toContain(other);
    }
  });

  it('keeps workflow ids and search attributes free of PII beyond the customer id', async () => {
    const secrets = (Object.keys(customers) as Name[]).flatMap(secretsOf);
    let seen = 0;
    for await (const execution of raw.workflow.list()) {
      seen++;
      const visible = JSON.stringify({ id: execution.workflowId, type: execution.type, attributes: execution.searchAttributes });
      for (const secret of secrets) expect(visible, `${execution.workflowId}: "${secret}"`).not.toContain(secret);
      for (const name of Object.keys(execution.searchAttributes)) {
        if (!(JOURNEY_SEARCH_ATTRIBUTES as readonly string[]).includes(name)) expect(name).toMatch(/^(Temporal|Build|Binary)/);
      }
    }
    expect(seen).toBeGreaterThanOrEqual(2);
  });

  it('decodes with the key store, then erasure destroys only that customer\'s key', async () => {
    const codec = () => createPayloadCodec(gw.dataSource, rootKey)!;
    const customerPayloads = (name: Name) =>
      payloadsOf(histories.get(name)).filter((payload) => text(payload.metadata?.[CUSTOMER_ID_METADATA]) === name);
    for (const name of Object.keys(customers) as Name[]) {
      const decoded = await codec().decode(customerPayloads(name));
      const plain = decoded.map((payload) => text(payload.data)).join('\n');
      expect(plain).toContain(customers[name].item);
    }

    const { deleteProfile } = await ok<{ deleteProfile: { deletedUserId: string; dataKeyDestroyed: boolean } }>(
      `mutation($input: DeleteProfileInput!) { deleteProfile(input: $input) { deletedUserId dataKeyDestroyed } }`,
      { input: { userId: 'zora' } },
    );
    expect(deleteProfile).toEqual({ deletedUserId: 'zora', dataKeyDestroyed: true });

    // Every payload of the erased customer is unreadable now, for any holder of the root key, while
    // the other customer's still read.
    expect(customerPayloads('zora').length).toBeGreaterThan(3);
    for (const payload of customerPayloads('zora')) await expect(codec().decode([payload])).rejects.toThrow(DataKeyDestroyedError);
    const yuri = await codec().decode(customerPayloads('yuri'));
    expect(yuri.map((payload) => text(payload.data)).join('\n')).toContain(customers.yuri.item);
  });
});
