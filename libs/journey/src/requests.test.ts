import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, RequestSigningSecretStore } from '@continuum/data';
import { parseAllowedNetworks } from '@continuum/egress';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/request-journeys';
import { deliveryEstimate, requestProbe } from './test-support/request-journeys';

interface Hit {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What `Webhook.verify` of the standardwebhooks library said about the signature. */
  verified: 'valid' | string;
}

/** A partner's service on loopback that verifies each request's signature with the workspace's secret. */
async function startPartner(listenOn: string, secret: () => Promise<string>): Promise<{ server: Server; base: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const estimateAttempts = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      void (async () => {
        let verified = 'valid';
        try {
          new Webhook(await secret()).verify(body, req.headers as Record<string, string>, { jsonParse: false });
        } catch (error) {
          verified = (error as Error).message;
        }
        const path = req.url ?? '/';
        hits.push({ path, method: req.method ?? '', headers: req.headers, body, verified });
        if (verified !== 'valid') return void res.writeHead(401).end('bad signature');
        if (path.startsWith('/estimate?')) {
          // Fails the first two attempts of each request (by webhook-id), then answers.
          const id = String(req.headers['webhook-id']);
          const attempt = (estimateAttempts.get(id) ?? 0) + 1;
          estimateAttempts.set(id, attempt);
          if (attempt <= 2) return void res.writeHead(500).end('try later');
          const { orderId } = JSON.parse(body) as { orderId: string };
          return void res.writeHead(200, { 'content-type': 'application/json', 'x-internal-trace': 'hidden' }).end(JSON.stringify({ orderId, eta: 'on Tuesday' }));
        }
        if (path === '/busy') {
          // 429 with a short Retry-After once, then 408 once, then the answer.
          const busy = (estimateAttempts.get('busy') ?? 0) + 1;
          estimateAttempts.set('busy', busy);
          if (busy === 1) return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
          if (busy === 2) return void res.writeHead(408).end('timeout');
          return void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"done":true}');
        }
        if (path === '/down') return void res.writeHead(503).end('down for maintenance');
        if (path === '/missing') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such order');
        if (path === '/big') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(64 * 1024));
        if (path === '/moved') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, listenOn, resolve));
  return { server, base: `http://${listenOn}:${(server.address() as AddressInfo).port}`, hits };
}

// HTTP request steps for real: time-skipping Temporal, the worker's request activity and signing
// secrets in PostgreSQL, a partner service on loopback (allowed: 127.0.0.1/32 only) and the Twilio emulator.
describe('journey HTTP requests', () => {
  let kit: JourneyTestKit;
  let partner: Awaited<ReturnType<typeof startPartner>>;
  /** The same service on another loopback address, which the allowance does not cover. */
  let unlisted: Awaited<ReturnType<typeof startPartner>>;
  let secrets: RequestSigningSecretStore;

  beforeAll(async () => {
    kit = await createJourneyTestKit({
      workflowsPath: join(__dirname, 'test-support/request-journeys.ts'),
      journeysModule: journeys,
      settings: { EGRESS_ALLOWED_NETWORKS: parseAllowedNetworks('127.0.0.1/32'), EGRESS_MAX_RESPONSE_BYTES: 16 * 1024 },
    });
    secrets = new RequestSigningSecretStore(kit.bed.dataSource, undefined);
    const secret = async () => (await secrets.secretFor(DEFAULT_WORKSPACE_ID)).secret;
    partner = await startPartner('127.0.0.1', secret);
    unlisted = await startPartner('127.0.0.2', secret);
  });
  afterAll(async () => {
    for (const service of [partner, unlisted]) {
      service?.server.closeAllConnections();
      await new Promise((resolve) => service?.server.close(resolve));
    }
    await kit?.teardown();
  });

  it('retries 5xx, signs every attempt, and a later step texts a value from the JSON response', async () => {
    await kit.identify('ana', { phone: '+15005550101' });
    await kit.run(async () => {
      const instance = await kit.enter(deliveryEstimate, 'ana', 'Order Shipped', { orderId: 'o-42', estimateUrl: `${partner.base}/estimate?token=abc` });
      expect(await instance.result()).toMatchObject({ status: 'completed' });
      const attempts = partner.hits.filter((hit) => hit.path === '/estimate?token=abc');
      expect(attempts.map((hit) => hit.verified)).toEqual(['valid', 'valid', 'valid']);
      // One webhook-id for every attempt (receivers de-duplicate on it), a fresh signature per attempt.
      expect(new Set(attempts.map((hit) => hit.headers['webhook-id'])).size).toBe(1);
      expect(attempts[0]!.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
      expect(attempts[0]!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      expect(attempts[0]!).toMatchObject({ method: 'POST', body: '{"orderId":"o-42"}' });
      expect(attempts[0]!.headers).toMatchObject({ authorization: 'Bearer partner-token', 'content-type': 'application/json' });
      // Another workspace's secret does not verify it: signatures are per workspace.
      const other = await kit.bed.dataSource.query(`INSERT INTO workspaces (id, slug, name) VALUES (gen_random_uuid(), 'other-brand', 'Other') RETURNING id`);
      const otherSecret = (await secrets.secretFor((other as Array<{ id: string }>)[0]!.id)).secret;
      expect(() => new Webhook(otherSecret).verify(attempts[2]!.body, attempts[2]!.headers as Record<string, string>)).toThrow();

      expect(kit.messagesTo('+15005550101').map((message) => message.body)).toEqual(['Your order arrives on Tuesday']);
      expect(await instance.path({ kinds: ['request.completed', 'request.failed', 'message.sent', 'completed'], steps: true })).toEqual([
        'request.completed@fetch-estimate',
        'message.sent@estimate-sms',
        'completed@done',
      ]);
      const journal = await instance.journal();
      // The journal names the call without its query (tokens) and never holds the bodies.
      expect(journal.find((line) => line.type === 'request.completed')!.detail).toEqual({
        method: 'POST',
        url: `${partner.base}/estimate?…`,
        attempts: 3,
        httpStatus: 200,
        bytes: JSON.stringify({ orderId: 'o-42', eta: 'on Tuesday' }).length,
      });
      expect(journal.find((line) => line.type === 'completed')!.detail).toEqual({ eta: 'on Tuesday', attempts: 3 });
      // The response is in history: replay does not call the partner again.
      const before = partner.hits.length;
      await expect(kit.replay(await instance.handle.fetchHistory())).resolves.toBeUndefined();
      expect(partner.hits.length).toBe(before);
    });
  });

  const probe = async (customer: string, request: Record<string, unknown>) => {
    const instance = await kit.enter(requestProbe, customer, 'Probe Requested', { request });
    const end = await instance.result();
    expect(end).toMatchObject({ status: 'completed' });
    const journal = await instance.journal();
    const completed = journal.find((line) => line.type === 'completed')!;
    return { result: completed.detail['result'] as Record<string, unknown>, journal, instance };
  };

  it('refuses private, link-local and unlisted loopback addresses at once: journaled, never retried, nothing sent', async () => {
    await kit.run(async () => {
      const cases: Array<[string, string, string]> = [
        [`${unlisted.base}/anything`, 'loopback', '127.0.0.2'],
        ['http://169.254.169.254/latest/meta-data/', 'link-local', '169.254.169.254'],
        ['http://10.0.0.7:8080/internal', 'private', '10.0.0.7'],
        ['http://[::ffff:a9fe:a9fe]/latest/meta-data/', 'link-local', '::ffff:a9fe:a9fe'],
        ['http://0x7f.0.0.2/', 'loopback', '127.0.0.2'],
      ];
      for (const [index, [url, range, address]] of cases.entries()) {
        const { result, journal } = await probe(`refused-${index}`, { url, method: 'POST', body: { secret: 'x' } });
        expect(result, url).toMatchObject({ status: 'failed', reason: 'refused', attempts: 1 });
        expect(result['message'], url).toContain(`${address} is a ${range} address, which outbound calls may not reach (allow it with EGRESS_ALLOWED_NETWORKS)`);
        expect(journal.find((line) => line.type === 'request.failed')!.detail, url).toMatchObject({ method: 'POST', reason: 'refused', attempts: 1 });
      }
      expect(unlisted.hits).toEqual([]);
    });
  });

  it('does not retry a 404, returns a redirect without following it, and refuses a response over the cap', async () => {
    await kit.run(async () => {
      const missing = await probe('not-found', { url: `${partner.base}/missing`, attempts: 4 });
      expect(missing.result).toMatchObject({ status: 'failed', reason: 'http-error', httpStatus: 404, body: 'no such order', attempts: 1 });
      expect(partner.hits.filter((hit) => hit.path === '/missing')).toHaveLength(1);
      expect(missing.journal.find((line) => line.type === 'request.failed')!.detail).toEqual({ method: 'GET', url: `${partner.base}/missing`, attempts: 1, reason: 'http-error', message: 'answered 404', httpStatus: 404 });

      const moved = await probe('moved', { url: `${partner.base}/moved` });
      expect(moved.result).toMatchObject({ status: 'failed', reason: 'redirect', httpStatus: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });

      const big = await probe('big', { url: `${partner.base}/big` });
      expect(big.result).toMatchObject({ status: 'failed', reason: 'response-too-large', attempts: 1 });
      expect(big.result['message']).toContain(`GET ${partner.base}/big: the response body is larger than 16384 bytes`);
      expect(partner.hits.filter((hit) => hit.path === '/big')).toHaveLength(1);
    });
  });

  it('retries 429 and 408, and gives the last response of a server that stays down after the attempts', async () => {
    await kit.run(async () => {
      const busy = await probe('busy', { url: `${partner.base}/busy` });
      expect(busy.result).toMatchObject({ status: 'ok', httpStatus: 200, json: { done: true }, attempts: 3 });
      expect(partner.hits.filter((hit) => hit.path === '/busy')).toHaveLength(3);
      const down = await probe('down', { url: `${partner.base}/down`, method: 'DELETE', attempts: 2 });
      expect(down.result).toMatchObject({ status: 'failed', reason: 'http-error', httpStatus: 503, body: 'down for maintenance', attempts: 2 });
      expect(partner.hits.filter((hit) => hit.path === '/down').map((hit) => hit.method)).toEqual(['DELETE', 'DELETE']);
    });
  });

  it('after a rotation, signs with the new secret and, for the grace period, with the previous one too', async () => {
    await kit.run(async () => {
      const before = (await secrets.secretFor(DEFAULT_WORKSPACE_ID)).secret;
      const after = (await secrets.rotate(DEFAULT_WORKSPACE_ID)).secret;
      expect(after).not.toBe(before);
      await probe('rotated', { url: `${partner.base}/rotated`, method: 'PUT', body: 'plain text' });
      const hit = partner.hits.find((h) => h.path === '/rotated')!;
      expect(hit.verified).toBe('valid');
      expect(String(hit.headers['webhook-signature']).split(' ')).toHaveLength(2);
      // A receiver that has not switched yet still verifies.
      expect(() => new Webhook(before).verify(hit.body, hit.headers as Record<string, string>, { jsonParse: false })).not.toThrow();
      expect(hit.body).toBe('plain text');
    });
  });

  it('sends nothing when the workspace secret cannot be opened on this worker, and says so', async () => {
    await kit.run(async () => {
      // A secret sealed under a key this worker (no CONTINUUM_ROOT_KEY) does not have.
      await kit.bed.dataSource.query(`UPDATE request_signing_secrets SET key_id = gen_random_uuid() WHERE workspace_id = $1`, [DEFAULT_WORKSPACE_ID]);
      try {
        const unsigned = await probe('unsigned', { url: `${partner.base}/unsigned`, attempts: 3 });
        expect(unsigned.result).toMatchObject({ status: 'failed', reason: 'signing-unavailable', attempts: 1, message: expect.stringContaining('is encrypted: set CONTINUUM_ROOT_KEY') });
        expect(partner.hits.filter((hit) => hit.path === '/unsigned')).toEqual([]);
      } finally {
        await kit.bed.dataSource.query(`UPDATE request_signing_secrets SET key_id = NULL WHERE workspace_id = $1`, [DEFAULT_WORKSPACE_ID]);
      }
    });
  });

  it('refuses an invalid request before any attempt, naming the problem', async () => {
    await kit.run(async () => {
      const credentials = await probe('credentials', { url: `http://user:pw@127.0.0.1:1/` });
      expect(credentials.result).toMatchObject({ status: 'failed', reason: 'invalid-request', message: expect.stringContaining('must not carry credentials') });
      expect(JSON.stringify(credentials.journal)).not.toContain('pw@');
      const signature = await probe('own-signature', { url: `${partner.base}/x`, headers: { 'Webhook-Signature': 'v1,forged' } });
      expect(signature.result).toMatchObject({ status: 'failed', reason: 'invalid-request', message: expect.stringContaining('"Webhook-Signature" is set by the request signature') });
      const attempts = await probe('attempts', { url: `${partner.base}/x`, attempts: 11 });
      expect(attempts.result).toMatchObject({ status: 'failed', reason: 'invalid-request', message: 'attempts must be a whole number from 1 to 10', attempts: 0 });
    });
  });
});
