import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egressPolicy, PUBLIC_ONLY } from './address-policy';
import { EgressError } from './egress-error';
import { egressRequest, guardedLookup, type EgressRequest } from './egress-request';

describe('egressRequest against a local server', () => {
  let server: Server;
  let port: number;
  const loopback = egressPolicy('127.0.0.0/8,::1/128');

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (req.url === '/big') return void res.writeHead(200, { 'content-length': '10000' }).end(req.method === 'HEAD' ? undefined : 'x'.repeat(10_000));
      if (req.url === '/big-chunked') {
        res.write('y'.repeat(6_000));
        return void res.end('y'.repeat(6_000));
      }
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 3_000);
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (path: string, overrides: Partial<EgressRequest> = {}) =>
    egressRequest({ url: `http://127.0.0.1:${port}${path}`, method: 'POST', body: '{"a":1}', headers: { authorization: 'Bearer t' }, timeoutMs: 5_000, maxResponseBytes: 8_192, policy: loopback, ...overrides });

  const failure = async (promise: Promise<unknown>): Promise<EgressError> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(EgressError);
    return error as EgressError;
  };

  it('sends the method, headers and body where the policy allows the address', async () => {
    const response = await call('/echo');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({ method: 'POST', body: '{"a":1}', auth: 'Bearer t' });
  });

  it('refuses loopback without the allowance, by address and by a name that resolves to it (checked at connect time)', async () => {
    const byAddress = await failure(call('/echo', { policy: PUBLIC_ONLY }));
    expect(byAddress.kind).toBe('refused');
    expect(byAddress.refusal).toMatchObject({ address: '127.0.0.1', range: 'loopback' });
    const byName = await failure(call('/echo', { url: `http://localhost:${port}/echo`, policy: PUBLIC_ONLY }));
    expect(byName.kind).toBe('refused');
    expect(byName.refusal).toMatchObject({ host: 'localhost', range: 'loopback' });
    expect(byName.message).toMatch(/localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
    expect((await failure(call('/', { url: 'http://169.254.169.254/latest/meta-data/', policy: loopback }))).refusal?.range).toBe('link-local');
  });

  it('the guarded lookup refuses a name with any disallowed address and answers in both callback forms', async () => {
    const lookup = guardedLookup(egressPolicy('127.0.0.1/32'));
    const single = await new Promise<unknown[]>((resolve) => lookup('127.0.0.1', { family: 4 }, (...args) => resolve(args)));
    expect(single).toEqual([null, '127.0.0.1', 4]);
    const all = await new Promise<unknown[]>((resolve) => lookup('127.0.0.1', { all: true }, (...args) => resolve(args)));
    expect(all).toEqual([null, [{ address: '127.0.0.1', family: 4 }]]);
    const strict = guardedLookup(PUBLIC_ONLY);
    const error = await new Promise<unknown>((resolve) => strict('localhost', {}, (e) => resolve(e)));
    expect(error).toBeInstanceOf(EgressError);
  });

  it('returns a redirect instead of following it', async () => {
    const response = await call('/redirect', { method: 'GET', body: undefined });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('http://169.254.169.254/latest/meta-data/');
  });

  it('fails a response larger than the cap, declared or streamed', async () => {
    expect(await failure(call('/big'))).toMatchObject({ kind: 'response-too-large', message: expect.stringMatching(/larger than 8192 bytes \(10000 declared\)/) });
    expect(await failure(call('/big-chunked'))).toMatchObject({ kind: 'response-too-large' });
  });

  it('answers HEAD whatever length it declares (no body comes)', async () => {
    const response = await call('/big', { method: 'HEAD', body: undefined });
    expect(response).toMatchObject({ status: 200, headers: { 'content-length': '10000' } });
    expect(response.body.length).toBe(0);
  });

  it('bounds the whole exchange by the timeout', async () => {
    const error = await failure(call('/slow', { timeoutMs: 300 }));
    expect(error).toMatchObject({ kind: 'timeout', transient: true });
  });

  it('reports a refused connection as a transient network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(call('/', { url: `http://127.0.0.1:${freePort}/` }));
    expect(error).toMatchObject({ kind: 'network', transient: true, message: expect.stringMatching(/ECONNREFUSED/) });
  });
});
